/* A box that scrolls sideways (a wide table, a long formula on a phone) can be reached with
   the Tab key and scrolled with the arrow keys, and a screen reader announces what it is.
   Only boxes whose content is wider than they are get a tab stop, and that follows the
   width (resizing, turning the phone, opening a solution).

   Measuring a formula costs Chromium a few milliseconds (it lays out the MathML's
   overflow on demand, and reports a stale scrollWidth for the box until then), so boxes
   are measured a few at a time while the browser is idle, never in one long task. When
   all are done, <html> gets data-kl-scroll-focus="checked". */
(() => {
  "use strict";

  const BOXES = ".md-typeset__scrollwrap, .math-display";
  const MARK = "klScrollFocus";
  const root = document.documentElement;
  const queue = new Set();
  let scheduled = false;

  /* Idle time after the next frame: the frame brings styles and layout up to date, so a
     measurement lays out one box, not the whole page changed since the last frame. */
  const whenIdle = window.requestIdleCallback
    ? (work) =>
        window.requestAnimationFrame(() => window.requestIdleCallback(work, { timeout: 1000 }))
    : (work) => window.setTimeout(() => work({ timeRemaining: () => 8 }), 50);

  function overflows(box) {
    const inner = box.firstElementChild; /* measured first: see above */
    const width = Math.max(inner ? inner.scrollWidth : 0, box.scrollWidth);
    return width > box.clientWidth + 1;
  }

  function describe(box) {
    if (box.classList.contains("math-display")) {
      return "Formula, scrolls sideways";
    }
    const caption = box.querySelector("caption");
    return caption ? `${caption.textContent.trim()}, scrolls sideways` : "Table, scrolls sideways";
  }

  function refresh(box) {
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

  /* Each turn stops after SLICE_MS, even with idle time left, so that on a slow phone
     (several times slower than the machine the page was tested on) no turn is long. */
  const SLICE_MS = 8;

  function work(deadline) {
    scheduled = false;
    const start = performance.now();
    for (const box of queue) {
      queue.delete(box);
      refresh(box);
      if (deadline.timeRemaining() < 4 || performance.now() - start > SLICE_MS) {
        break;
      }
    }
    if (queue.size > 0) {
      schedule();
    } else {
      root.dataset[MARK] = "checked";
    }
  }

  function schedule() {
    if (!scheduled) {
      scheduled = true;
      whenIdle(work);
    }
  }

  function check(scope) {
    for (const box of scope.querySelectorAll(BOXES)) {
      queue.add(box);
    }
    delete root.dataset[MARK];
    schedule();
  }

  const checkPage = () => check(document);
  /* Material wraps each table in its scrolling box once the page has loaded; formulas
     change width when the math font arrives. */
  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(checkPage);
  }
  /* document.fonts is first touched once the page has loaded: touching it makes the
     browser bring every style up to date, which while the page is still being read
     is a long task. */
  window.addEventListener("load", () => {
    checkPage();
    document.fonts.ready.then(checkPage);
  });
  window.addEventListener("resize", checkPage);
  document.addEventListener("toggle", (event) => check(event.target), true);
})();
