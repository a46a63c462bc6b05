/* Measures of the site's formulas on a comparison sheet (tests/browser/test_formulas.py):
   one message per place where the MathML is not set as TeX (and KaTeX) set it. Each
   formula is a td.ours cell of a row with data-index. */
(() => {
  const SCRIPTS = new Set(["msub", "msup", "msubsup", "munder", "mover", "munderover"]);
  const DELIMITERS = /^[()\[\]{}⟨⟩|‖∥⌈⌉⌊⌋]$/;
  const PRIMES = /^[′″‴]+$/;
  const isSpace = (e) =>
    e.localName === "mspace" || (e.localName === "mtext" && !e.textContent.trim());
  const sibling = (e, step) => {
    let s = step > 0 ? e.nextElementSibling : e.previousElementSibling;
    while (s && isSpace(s)) s = step > 0 ? s.nextElementSibling : s.previousElementSibling;
    return s;
  };
  const box = (e) => e.getBoundingClientRect();
  /* An element's box less its padding (a large operator with limits is spaced by it). */
  const content = (e) => {
    const b = box(e), style = getComputedStyle(e);
    return { left: b.left + parseFloat(style.paddingLeft), right: b.right - parseFloat(style.paddingRight) };
  };
  /* The <mo> an element embellishes (a script's base, alone in a row), or null. */
  const coreOperator = (e) => {
    while (SCRIPTS.has(e.localName) || (e.localName === "mrow" && e.children.length === 1)) {
      e = e.firstElementChild;
    }
    return e.localName === "mo" ? e : null;
  };
  const problems = [];
  for (const cell of document.querySelectorAll("td.ours")) {
    const n = cell.parentElement.dataset.index;
    const math = cell.querySelector("math");
    const em = parseFloat(getComputedStyle(math).fontSize);
    const say = (what) => problems.push(`formula ${n}: ${what}`);
    for (const mo of math.querySelectorAll("mo")) {
      const text = mo.textContent;
      if (PRIMES.test(text) && !PRIMES.test(mo.previousElementSibling?.textContent ?? "")) {
        const base = box(mo.previousElementSibling), prime = box(mo);
        if (Math.abs(prime.left - base.right) > 0.1 * em) say(`prime ${(prime.left - base.right) / em} em from its base`);
        if (prime.top < base.top - 0.1 * em) say("prime above its base");
        if (prime.bottom > base.top + 0.6 * base.height) say("prime below superscript height");
        if (prime.height < 0.2 * em) say(`prime ${prime.height / em} em tall`);
      }
      if (/^[∫∑∏]$/.test(text)) {
        /* After a relation or binary operator, only that operator's space (TeX's thick
           space after "=" is the widest, 0.278em), not the large operator's own too. */
        let unit = mo;
        while (unit.parentElement !== math && unit.parentElement.firstElementChild === unit
               && (SCRIPTS.has(unit.parentElement.localName) || unit.parentElement.children.length === 1)) {
          unit = unit.parentElement;
        }
        const before = sibling(unit, -1);
        if (before?.localName === "mo" && !DELIMITERS.test(before.textContent)) {
          const gap = box(unit).left - box(before).right;
          if (gap > 0.3 * em) say(`"${text}" ${gap / em} em after "${before.textContent}"`);
          /* After a sign (= -\sum), TeX's thin space between an ordinary term and it. */
          const signGap = content(unit).left - box(before).right;
          if (before.getAttribute("form") === "prefix" && signGap < 0.1 * em) say(`"${text}" ${signGap / em} em after a sign`);
        }
      }
      if (text === "∫" && math.getAttribute("display") === "block" && box(mo).height < 1.8 * em) {
        say(`display integral ${box(mo).height / em} em tall`);
      }
      /* KaTeX's display ∑ is 1.45em tall; the font's inline one 1.1em, its display one 1.56em. */
      if (/^[∑∏]$/.test(text) && math.getAttribute("display") === "block" && box(mo).height < 1.45 * em) {
        say(`display "${text}" ${box(mo).height / em} em tall`);
      }
      /* What follows right after (an explicit space, such as the one before an operator
         name, is meant). */
      const before = sibling(mo, -1), after = mo.nextElementSibling;
      /* A sign's own rspace is meant too: the thin space before an operator name. */
      const signed = after && !coreOperator(after) && !mo.hasAttribute("rspace");
      const afterOperator = before?.localName === "mo" && !/^[)\]}]$/.test(before.textContent);
      if (text === "−" && signed && (!before || afterOperator)) {
        const gap = box(after).left - box(mo).right;
        if (gap > 0.1 * em) say(`a sign spaced ${gap / em} em from what it signs`);
      }
    }
    for (const mi of math.querySelectorAll("mi")) {
      const apply = mi.nextElementSibling;
      if (mi.textContent.length < 2 || apply?.textContent !== "\u2061") continue;
      const parent = mi.parentElement;
      const scripted = SCRIPTS.has(parent.parentElement?.localName) && parent.parentElement.firstElementChild === parent;
      const unit = scripted ? parent.parentElement : mi;
      const before = sibling(unit, -1), after = sibling(scripted ? unit : apply, 1);
      const name = box(unit);
      if (before && !DELIMITERS.test(before.textContent)) {
        const gap = name.left - content(before).right;
        if (gap < 0.1 * em) say(`"${mi.textContent}" ${gap / em} em after what precedes it`);
      }
      if (after && !DELIMITERS.test(after.textContent)) {
        const gap = content(after).left - name.right;
        if (gap < 0.1 * em) say(`"${mi.textContent}" ${gap / em} em before what follows it`);
      }
    }
    /* TeX's null delimiter space (0.12em) on each side of a fraction, whatever is next. */
    for (const frac of math.querySelectorAll("mfrac")) {
      let unit = frac;
      while (unit.parentElement !== math && unit.parentElement.children.length === 1) {
        unit = unit.parentElement;
      }
      if (SCRIPTS.has(unit.parentElement.localName) || unit.parentElement.localName === "mfrac") continue;
      const own = parseFloat(getComputedStyle(frac).fontSize);
      const before = sibling(unit, -1), after = sibling(unit, 1);
      if (before && box(frac).left - box(before).right < 0.1 * own) {
        say(`a fraction ${(box(frac).left - box(before).right) / own} em after what precedes it`);
      }
      if (after && box(after).left - box(frac).right < 0.1 * own) {
        say(`a fraction ${(box(after).left - box(frac).right) / own} em before what follows it`);
      }
    }
    /* A \left(...\right) group (a row of a row, between fences: \bigl( and \bigr) are in
       the row they enclose) is TeX's inner atom: a thin space from an ordinary term or a
       closing delimiter before it (the fence's glyph, not its box, is measured). */
    const glyph = (e) => {
      const range = document.createRange();
      range.selectNodeContents(e);
      return range.getBoundingClientRect();
    };
    for (const group of math.querySelectorAll("mrow")) {
      const [open, close] = [group.firstElementChild, group.lastElementChild];
      const fences = [open, close].every((f) => f?.localName === "mo" && f.getAttribute("fence") === "true");
      const before = group.previousElementSibling;
      if (!fences || group.children.length < 2 || !before || isSpace(before)) continue;
      const core = coreOperator(before);
      if (core && !/^[)\]}⟩]$/.test(core.textContent)) continue;
      if (group.closest("msub > :not(:first-child), msup > :not(:first-child), msubsup > :not(:first-child), munder > :not(:first-child), mover > :not(:first-child), munderover > :not(:first-child)")) continue;
      if (math.getAttribute("display") !== "block" && group.closest("mfrac")) continue;
      const gap = Math.max(glyph(open).left, content(open).left) - box(before).right; /* a fence of a fixed size is spaced by padding */
      if (gap < 0.1 * em) say(`"${open.textContent}" of a \\left group ${gap / em} em after what precedes it`);
    }
    /* An ellipsis is TeX's inner atom: spaced from a comma beside it by the comma's thin
       space (and its own after it), not as a relation. */
    for (const dots of math.querySelectorAll("mo")) {
      if (!/^[…⋯]$/.test(dots.textContent)) continue;
      const before = sibling(dots, -1), after = sibling(dots, 1);
      if (before && glyph(dots).left - glyph(before).right > 0.3 * em) {
        say(`"${dots.textContent}" ${(glyph(dots).left - glyph(before).right) / em} em after what precedes it`);
      }
      if (after && glyph(after).left - glyph(dots).right > 0.3 * em) {
        say(`"${dots.textContent}" ${(glyph(after).left - glyph(dots).right) / em} em before what follows it`);
      }
    }
    /* An accent over a letter (\hat{P}) is no wider than the letter, as KaTeX draws it. */
    for (const over of math.querySelectorAll('mover[accent="true"]')) {
      const [base, accent] = over.children;
      if (base?.localName !== "mi" || accent?.localName !== "mo" || accent.getAttribute("stretchy") === "true") continue;
      const own = parseFloat(getComputedStyle(accent).fontSize);
      const wider = glyph(accent).width - box(base).width;
      if (wider > 0.02 * own) say(`accent "${accent.textContent}" ${wider / own} em wider than its letter`);
      /* Over an italic letter, right of its centre by the letter's skew (the math font's
         top accent attachment: 0.02em for p, 0.065em for P), as TeX sets it. */
      const centre = (r) => (r.left + r.right) / 2;
      const skew = (centre(glyph(accent)) - centre(box(base))) / own;
      if (base.textContent.length === 1 && !base.hasAttribute("mathvariant") && skew < 0.015) {
        say(`accent "${accent.textContent}" ${skew} em right of its letter's centre`);
      }
    }
    /* An explicit space (\, \: \; \quad ...) is as wide as TeX's, a whole number of mu
       (1/18 em): KaTeX's Unicode spaces took the font's widths (U+2009 0.2em for \,).
       \ and ~ are a text space, not measured in mu. */
    for (const space of math.querySelectorAll("mspace, mtext")) {
      if (!isSpace(space) || space.textContent.includes("\u00a0")) continue;
      if (space.closest("mover, munder")) continue; /* the padding of an arrow's label */
      const width = box(space).width / parseFloat(getComputedStyle(space).fontSize);
      if (Math.abs(width * 18 - Math.round(width * 18)) > 0.05) say(`an explicit space ${width} em wide`);
    }
    /* A delimiter of a fixed size (\bigl(, or a \left( TeX sets at one) is no wider
       than KaTeX's of that size, the same glyph in another font (KaTeX's larger sizes are
       the wider): Chromium made its box as wide as the font's largest size. */
    const fixed = [...math.querySelectorAll("mo[minsize]")].filter((mo) => DELIMITERS.test(mo.textContent));
    const sized = [...cell.parentElement.querySelectorAll("td.reference .delimsizing:not(.mult)")];
    if (fixed.length === sized.length) {
      fixed.forEach((mo, i) => {
        const theirs = box(sized[i]).width / parseFloat(getComputedStyle(sized[i]).fontSize);
        const inner = content(mo), ours = (inner.right - inner.left) / parseFloat(getComputedStyle(mo).fontSize);
        if (ours > theirs + 0.06) say(`"${mo.textContent}" of a fixed size ${ours} em wide, KaTeX's ${theirs} em`);
      });
    } else {
      say(`${fixed.length} delimiters of a fixed size, KaTeX ${sized.length}`);
    }
    for (const row of math.querySelectorAll('mtable[columnalign="right left"] > mtr')) {
      const [left, right] = [...row.children].map((cell) => cell.firstElementChild);
      if (!left?.textContent || !right?.textContent) continue;
      const gap = box(right).left - box(left).right;
      if (Math.abs(gap) > 0.05 * em) say(`aligned columns ${gap / em} em apart`);
    }
  }
  return problems;
})
