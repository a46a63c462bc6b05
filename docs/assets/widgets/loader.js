/* Hydrates the lecture's interactive figures when they scroll near, never before.

   Each static figure (<figure id="fig-...">, with its light and dark images, caption,
   CSV and alt text) stays as it is; a widget adds its controls and live drawing after
   it. The page reads in full without JavaScript. Nothing here runs before the first
   paint: this module waits for two animation frames (the second starts after the first
   frame is painted), then watches the figures; a widget's module is imported only once
   its figure comes within WAKE_MARGIN of the viewport. The widgets' inputs come from the
   build, in <script type="application/json" id="kl-widgets"> (kl/build/widgets.py).
   The exercises' answer checkers (<form class="kl-check">, hidden without JavaScript)
   are woken the same way, by check.js; each carries its own answers.

   document.documentElement.dataset.klWidgetsStarted records when this module first did
   any work (performance.now(), ms), for the tests to compare with the first paint. */

const WIDGETS = {
  "continuous-integrand": "./continuous.js",
  "forward-reverse": "./forward-reverse.js",
  simplex: "./simplex.js",
  learning: "./learning.js",
};
const CHECKER = "./check.js";
const WAKE_MARGIN = "600px 0px";

function start() {
  const island = document.getElementById("kl-widgets");
  const checkers = document.querySelectorAll("form.kl-check");
  if (!island && checkers.length === 0) return;
  document.documentElement.dataset.klWidgetsStarted = String(performance.now());
  const data = island ? JSON.parse(island.textContent) : {};
  const checkerAt = new Map(); // the element watched for a checker -> its form
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        if (checkerAt.has(entry.target)) wakeChecker(checkerAt.get(entry.target));
        else hydrate(entry.target, data);
      }
    },
    { rootMargin: WAKE_MARGIN },
  );
  for (const id of Object.keys(WIDGETS)) {
    const figure = document.getElementById(`fig-${id}`);
    if (figure && data[id]) observer.observe(figure);
  }
  // A hidden form has no box to intersect: its place is watched, the element before it.
  for (const form of checkers) {
    const place = form.previousElementSibling ?? form.parentElement;
    checkerAt.set(place, form);
    observer.observe(place);
  }
}

let stylesheet = null;

/* widgets.css, added to the page once, with the first widget. */
function loadStylesheet() {
  stylesheet ??= new Promise((resolve, reject) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = new URL("./widgets.css", import.meta.url).href;
    link.addEventListener("load", resolve);
    link.addEventListener("error", reject);
    document.head.append(link);
  });
  return stylesheet;
}

async function hydrate(figure, data) {
  const id = figure.id.slice("fig-".length);
  const [module, { applyPalette }] = await Promise.all([
    import(new URL(WIDGETS[id], import.meta.url).href),
    import(new URL("./ui.js", import.meta.url).href),
    loadStylesheet(),
  ]);
  applyPalette(data.palette);
  module.mount(figure, data[id]);
  figure.dataset.widgetReady = "true";
}

async function wakeChecker(form) {
  const [{ mount }] = await Promise.all([
    import(new URL(CHECKER, import.meta.url).href),
    loadStylesheet(),
  ]);
  mount(form);
  form.dataset.widgetReady = "true";
}

requestAnimationFrame(() => requestAnimationFrame(start));
