/* A box that scrolls sideways (a wide table, a long formula on a phone) can be reached with
   the Tab key and scrolled with the arrow keys, and a screen reader announces what it is.
   Only boxes that overflow at the current width get a tab stop; resizing updates them. */
(() => {
  "use strict";

  const BOXES = ".md-typeset__scrollwrap, .math-display";
  const MARK = "klScrollFocus";

  function describe(box) {
    if (box.classList.contains("math-display")) {
      return "Formula, scrolls sideways";
    }
    const caption = box.querySelector("caption");
    return caption ? `${caption.textContent.trim()}, scrolls sideways` : "Table, scrolls sideways";
  }

  /* Chromium can report a stale scrollWidth for a box of MathML until the MathML itself
     has been measured, so the content is measured first. */
  function overflows(box) {
    const inner = box.firstElementChild;
    const width = Math.max(inner ? inner.scrollWidth : 0, box.scrollWidth);
    return width > box.clientWidth + 1;
  }

  function update() {
    for (const box of document.querySelectorAll(BOXES)) {
      const overflowing = overflows(box);
      if (overflowing && !box.hasAttribute("tabindex")) {
        box.dataset[MARK] = "";
        box.tabIndex = 0;
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", describe(box));
      } else if (!overflowing && MARK in box.dataset) {
        delete box.dataset[MARK];
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }

  let pending = 0;
  function schedule() {
    window.cancelAnimationFrame(pending);
    pending = window.requestAnimationFrame(update);
  }

  /* Material wraps each table in its scrolling box once the page is loaded; formulas
     widen when the math font arrives. */
  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(schedule);
  }
  window.addEventListener("load", schedule);
  window.addEventListener("resize", schedule);
  document.fonts.addEventListener("loadingdone", schedule);
  document.fonts.ready.then(schedule);
})();
