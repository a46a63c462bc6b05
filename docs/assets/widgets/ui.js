/* What the widgets share: DOM and SVG building, labelled controls (a slider with its
   number box), number formatting, a polite live region and a small SVG plot with linear
   scales. No framework; every colour comes from the build's palette (see palette()). */

const SVG_NS = "http://www.w3.org/2000/svg";
const ANNOUNCE_DELAY_MS = 500;
export const DECIMALS = 6;

export function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  setAttributes(node, attributes);
  node.append(...children);
  return node;
}

export function svgElement(tag, attributes = {}, children = []) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttributes(node, attributes);
  node.append(...children);
  return node;
}

function setAttributes(node, attributes) {
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
}

export function formatNumber(x, decimals = DECIMALS) {
  if (x === Infinity) return "∞";
  const text = x.toFixed(decimals);
  // A tiny negative number rounds to zero, shown without a sign.
  return /^-[0.]+$/.test(text) ? text.slice(1) : text.replace("-", "−");
}

/* The number's shown text, and its unrounded value for tests, on one element. */
export function showNumber(node, x, decimals = DECIMALS) {
  node.textContent = formatNumber(x, decimals);
  node.dataset.value = String(x);
}

/* The widgets' colours: the figures' palette from the build, light and dark, as CSS
   custom properties (--kl-truth, --kl-poor, ...) that follow Material's palette toggle. */
export function applyPalette(palette) {
  if (document.getElementById("kl-widget-palette")) return;
  const rules = (colours) =>
    Object.entries(colours)
      .map(([role, colour]) => `--kl-${role}:${colour};`)
      .join("");
  const style = element("style", { id: "kl-widget-palette" });
  style.textContent =
    `.kl-widget{${rules(palette.light)}}` +
    `[data-md-color-scheme="slate"] .kl-widget{${rules(palette.dark)}}`;
  document.head.append(style);
}

/* A labelled slider and number box for one quantity. The box applies on Enter or when it
   loses focus; values are clamped to [min, max]. onSet(value) is called with each one. */
export function rangeControl({ id, label, min, max, step, value, onSet }) {
  const range = element("input", {
    type: "range",
    id: `${id}-range`,
    min: String(min),
    max: String(max),
    step: String(step),
  });
  const number = element("input", {
    type: "number",
    id: `${id}-number`,
    min: String(min),
    max: String(max),
    step: "any",
    inputmode: "decimal",
  });
  const clamp = (x) => Math.min(max, Math.max(min, x));
  range.addEventListener("input", () => onSet(clamp(Number.parseFloat(range.value))));
  number.addEventListener("change", () => {
    const x = Number.parseFloat(number.value);
    if (Number.isFinite(x)) onSet(clamp(x));
    else show(current);
  });
  let current = value;
  function show(x) {
    current = x;
    range.value = String(x);
    range.setAttribute("aria-valuetext", formatNumber(x, 2));
    number.value = String(Number(x.toFixed(4)));
  }
  show(value);
  const node = element("div", { class: "kl-widget__control" }, [
    element("label", { for: range.id, text: label }),
    range,
    element("label", {
      for: number.id,
      class: "kl-widget__hidden-label",
      text: `${label}, as a number`,
    }),
    number,
  ]);
  return { node, range, number, show };
}

export function button(text, run, attributes = {}) {
  const node = element("button", { type: "button", class: "md-button", text, ...attributes });
  node.addEventListener("click", run);
  return node;
}

/* A polite live region that speaks once the reader pauses, not at every step of a slider. */
export function liveRegion() {
  const node = element("p", { class: "kl-widget__live", "aria-live": "polite" });
  let timer = 0;
  return {
    node,
    say(text, now = false) {
      window.clearTimeout(timer);
      if (now) node.textContent = text;
      else timer = window.setTimeout(() => (node.textContent = text), ANNOUNCE_DELAY_MS);
    },
  };
}

/* A table of named readouts: rows of [label, cells...]; returns the value cells by key. */
export function readoutTable(caption, columns, rows) {
  const cells = {};
  const body = rows.map(({ key, label }) => {
    cells[key] = {};
    const tr = element("tr", {}, [element("th", { scope: "row", text: label })]);
    for (const column of columns.slice(1)) {
      const td = element("td", { "data-key": key, "data-column": column.key });
      cells[key][column.key] = td;
      tr.append(td);
    }
    return tr;
  });
  const table = element("table", { class: "kl-widget__readout" }, [
    element("caption", { text: caption }),
    element("thead", {}, [
      element(
        "tr",
        {},
        columns.map(({ label }) => element("th", { scope: "col", text: label })),
      ),
    ]),
    element("tbody", {}, body),
  ]);
  return { node: table, cells };
}

/* The readout of KL(P‖Q) and KL(Q‖P): one row each, a cell per column. */
export function divergenceReadout(caption, columns) {
  return readoutTable(caption, [{ key: "measure", label: "Divergence" }, ...columns], [
    { key: "pq", label: "KL(P‖Q)" },
    { key: "qp", label: "KL(Q‖P)" },
  ]);
}

/* A sentence with numbers in it: parts are text, or the data-key of a span to fill in
   (with showNumber). Returns the paragraph and the spans by key. */
export function sentence(parts) {
  const fields = {};
  const node = element(
    "p",
    { class: "kl-widget__hint" },
    parts.map((part) => {
      if (typeof part === "string") return part;
      fields[part.key] = element("span", { "data-key": part.key });
      return fields[part.key];
    }),
  );
  return { node, fields };
}

/* A plot area of width × height SVG units with margins, and linear scales set per draw. */
export function plot({ width, height, label, margin = { top: 8, right: 8, bottom: 24, left: 8 } }) {
  const svg = svgElement("svg", {
    viewBox: `0 0 ${width} ${height}`,
    class: "kl-widget__plot",
    role: "img",
    "aria-label": label,
  });
  const area = { x0: margin.left, x1: width - margin.right, y0: height - margin.bottom, y1: margin.top };
  const scale = { x: (v) => v, y: (v) => v };
  const axis = svgElement("g", { "aria-hidden": "true" });
  svg.append(axis);
  return {
    svg,
    area,
    scale,
    setDomain([xLo, xHi], [yLo, yHi]) {
      scale.x = (v) => area.x0 + ((v - xLo) / (xHi - xLo)) * (area.x1 - area.x0);
      scale.y = (v) => area.y0 + ((v - yLo) / (yHi - yLo)) * (area.y1 - area.y0);
    },
    /* Tick labels along the bottom at round values (1, 2 or 5 times a power of ten). */
    xAxis(lo, hi, title = "") {
      const ticks = niceTicks(lo, hi);
      const baseline = area.y0 + 16;
      axis.replaceChildren(
        ...ticks.map((t) =>
          svgElement("text", {
            x: scale.x(t).toFixed(1),
            y: String(baseline),
            "text-anchor": "middle",
            class: "kl-widget__tick",
            text: formatTick(t),
          }),
        ),
        svgElement("text", {
          x: String(area.x1),
          y: String(baseline),
          "text-anchor": "end",
          class: "kl-widget__tick",
          text: title,
        }),
      );
    },
    /* An SVG path through the points (x[i], y[i]); closed down to y = base if base is set. */
    path(x, y, base) {
      const points = x.map((v, i) => `${scale.x(v).toFixed(2)},${scale.y(y[i]).toFixed(2)}`);
      if (base === undefined) return `M${points.join("L")}`;
      const b = scale.y(base).toFixed(2);
      return `M${scale.x(x[0]).toFixed(2)},${b}L${points.join("L")}L${scale.x(x[x.length - 1]).toFixed(2)},${b}Z`;
    },
  };
}

const TITLE_ROOM = 0.06; // of the axis, kept free of ticks at its right end

function niceTicks(lo, hi, count = 6) {
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) ticks.push(t);
  // A tick close to the right end would run into the axis title there.
  return ticks.filter((t) => hi - t > TITLE_ROOM * (hi - lo));
}

function formatTick(t) {
  return String(Number(t.toPrecision(6))).replace("-", "−");
}

export function linspace(lo, hi, n) {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/* The width, in SVG units, of a drawing across the panel: its width in CSS pixels (within
   [MIN_DRAWING, MAX_DRAWING]), so that text in the drawing keeps its size on a phone. */
const MIN_DRAWING = 280;
const MAX_DRAWING = 640;
export function drawingWidth(panel) {
  const style = getComputedStyle(panel);
  const inner = panel.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return Math.round(Math.min(MAX_DRAWING, Math.max(MIN_DRAWING, inner)));
}

/* The widget's container, placed right after its static figure (which stays as it is). */
export function widgetPanel(figure, title, description) {
  const heading = element("p", { class: "kl-widget__title", id: `${figure.id}-widget-title` }, [
    element("strong", { text: title }),
  ]);
  const panel = element(
    "section",
    { class: "kl-widget", "aria-labelledby": heading.id, "data-widget": figure.id },
    [heading, element("p", { class: "kl-widget__hint", text: description })],
  );
  figure.after(panel);
  return panel;
}
