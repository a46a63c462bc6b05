/* The explorer (docs/explorer.md): the reader sets P and Q over the forest's animals and
   sees KL(P‖Q), KL(Q‖P), H(P) and H(P, Q) in bits and nats, live.

   The page carries the starting point, computed at build time from the data file, as
   JSON in <script id="kl-explorer-start">: {"names": [...], "p": [...], "q": [...]}.
   This script replaces the text in <div id="kl-explorer"> (what readers without
   JavaScript see) with sliders, number boxes, a table of results and a bar chart.
   No framework and no network.

   The measures mirror kl/measures/discrete.py term for term, so the two agree to rounding:
   KL sums max(p·ln(p/q) − p + q, 0) over p > 0, plus q where p = 0; a zero q where p > 0
   makes KL and the cross-entropy infinite. Results are in nats; bits divide by ln 2.

   Normalisation rule: setting one probability to v (clamped to [0, 1]) rescales the
   others by one common factor so that they sum to 1 − v, keeping their ratios; if they
   are all 0 they share 1 − v equally.

   The state is in the page's address: ?P=0.5,0.25,0.25&Q=...&unit=nats opens the same
   P, Q and unit (capitals, as Material's search owns ?q=). Each probability is written
   in the fewest digits that read back as the same float, so a shared link round-trips
   exactly. A link whose P or Q is not a distribution over the page's animals is ignored,
   with a note, for the lecture's example.

   The root element exposes the current state for tests: data-p and data-q hold the
   distributions as JSON, data-unit the unit shown, and each result cell's data-value
   holds the unrounded number in that unit. */
import { crossEntropy, entropy, fsum, klDivergence } from "./widgets/measures.js";

const SLIDER_STEP = "0.01";
const RESULT_DECIMALS = 6;
const ANNOUNCE_DELAY_MS = 500;
const UNITS = { bits: Math.LN2, nats: 1 }; // nats per unit
const SUM_TOLERANCE = 1e-9; // a linked distribution may miss 1 by rounding, no more

/* ---- the normalisation rule ---- */

function withProbability(dist, index, value) {
  const v = Math.min(1, Math.max(0, value));
  const othersTotal = dist.reduce((sum, x, i) => (i === index ? sum : sum + x), 0);
  const rest = 1 - v;
  const share = 1 / (dist.length - 1);
  return dist.map((x, i) => {
    if (i === index) return v;
    return othersTotal > 0 ? (x * rest) / othersTotal : rest * share;
  });
}

/* ---- formatting ---- */

function formatResult(x) {
  return Number.isFinite(x) ? x.toFixed(RESULT_DECIMALS) : "∞";
}

function formatProbability(x) {
  return String(Number(x.toFixed(4)));
}

function listNames(names) {
  if (names.length < 2) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/* ---- the page ---- */

function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

const DISTRIBUTIONS = [
  { key: "p", legend: "P, the truth", role: "in P" },
  { key: "q", legend: "Q, the model's belief", role: "in Q" },
];

const MEASURES = [
  { key: "kl_pq", label: "KL(P‖Q)", hint: "extra cost of Q's code on P's data" },
  { key: "kl_qp", label: "KL(Q‖P)", hint: "the same with P and Q swapped" },
  { key: "h_p", label: "H(P)", hint: "entropy of P" },
  { key: "h_pq", label: "H(P, Q)", hint: "cross-entropy = H(P) + KL(P‖Q)" },
];

function readStart() {
  const script = document.getElementById("kl-explorer-start");
  return script ? JSON.parse(script.textContent) : { names: [], p: [], q: [] };
}

function buildControls(names, onSet) {
  const inputs = {};
  const fieldsets = DISTRIBUTIONS.map(({ key, legend, role }) => {
    inputs[key] = names.map((name, i) => {
      const id = `kl-explorer-${key}-${i}`;
      const range = element("input", {
        type: "range",
        id: `${id}-range`,
        min: "0",
        max: "1",
        step: SLIDER_STEP,
      });
      const number = element("input", {
        type: "number",
        id: `${id}-number`,
        min: "0",
        max: "1",
        step: "any",
        inputmode: "decimal",
      });
      range.addEventListener("input", () => onSet(key, i, Number.parseFloat(range.value)));
      number.addEventListener("change", () => onSet(key, i, Number.parseFloat(number.value)));
      return { range, number };
    });
    const rows = names.map((name, i) =>
      element("div", { class: "kl-explorer__control" }, [
        element("label", { for: inputs[key][i].range.id, text: name }),
        inputs[key][i].range,
        element("label", {
          for: inputs[key][i].number.id,
          class: "kl-explorer__hidden-label",
          text: `${name} ${role}, as a number`,
        }),
        inputs[key][i].number,
      ]),
    );
    return element("fieldset", { class: `kl-explorer__dist kl-explorer__dist--${key}` }, [
      element("legend", { text: legend }),
      ...rows,
    ]);
  });
  return { node: element("div", { class: "kl-explorer__controls" }, fieldsets), inputs };
}

function buildChart(names) {
  const bars = {};
  const rows = names.map((name, i) => {
    const row = element("div", { class: "kl-explorer__chart-row" }, [
      element("span", { class: "kl-explorer__chart-name", text: name }),
    ]);
    bars[i] = {};
    for (const { key } of DISTRIBUTIONS) {
      const fill = element("span", { class: "kl-explorer__bar-fill" });
      const value = element("span", { class: "kl-explorer__bar-value" });
      row.append(
        element("span", { class: `kl-explorer__bar kl-explorer__bar--${key}` }, [
          element("span", { class: "kl-explorer__bar-track", "aria-hidden": "true" }, [fill]),
          value,
        ]),
      );
      bars[i][key] = { fill, value };
    }
    return row;
  });
  const node = element("figure", { class: "kl-explorer__chart" }, [
    ...rows,
    element("figcaption", {
      text: "P (solid bars) and Q (striped bars), animal by animal.",
    }),
  ]);
  return { node, bars };
}

function buildResults() {
  const cells = {};
  const body = MEASURES.map(({ key, label, hint }) => {
    cells[key] = element("td", { "data-measure": key });
    return element("tr", {}, [
      element("th", { scope: "row" }, [
        element("span", { class: "kl-explorer__measure", text: label }),
        element("span", { class: "kl-explorer__hint", text: hint }),
      ]),
      cells[key],
    ]);
  });
  const unitHeader = element("th", { scope: "col" });
  const table = element("table", { class: "kl-explorer__results" }, [
    element("caption", { text: "The divergences and entropies for the P and Q above" }),
    element("thead", {}, [
      element("tr", {}, [element("th", { scope: "col", text: "Measure" }), unitHeader]),
    ]),
    element("tbody", {}, body),
  ]);
  return { node: table, cells, unitHeader };
}

function buildUnitSwitch(onSet) {
  const inputs = {};
  const options = Object.keys(UNITS).map((unit) => {
    inputs[unit] = element("input", {
      type: "radio",
      name: "kl-explorer-unit",
      id: `kl-explorer-unit-${unit}`,
      value: unit,
    });
    inputs[unit].addEventListener("change", () => onSet(unit));
    return element("label", { class: "kl-explorer__unit", for: inputs[unit].id }, [
      inputs[unit],
      unit,
    ]);
  });
  const node = element("fieldset", { class: "kl-explorer__units" }, [
    element("legend", { text: "Units" }),
    ...options,
  ]);
  return { node, inputs };
}

/* ---- the state in the address ---- */

function parseDistribution(text, size) {
  if (typeof text !== "string") return null;
  const values = text.split(",").map(Number);
  const valid =
    values.length === size &&
    values.every((x) => Number.isFinite(x) && x >= 0 && x <= 1) &&
    Math.abs(fsum(values) - 1) <= SUM_TOLERANCE;
  return valid ? values : null;
}

/* P, Q and the unit a link asks for; null for what it does not give, and invalid: true
   if it gave a P or Q that is not a distribution over `size` outcomes. */
function stateFromAddress(size) {
  const params = new URLSearchParams(window.location.search);
  const asked = { p: params.get("P"), q: params.get("Q") };
  const read = {
    p: asked.p === null ? null : parseDistribution(asked.p, size),
    q: asked.q === null ? null : parseDistribution(asked.q, size),
  };
  const invalid = (asked.p !== null && !read.p) || (asked.q !== null && !read.q);
  const unit = Object.hasOwn(UNITS, params.get("unit")) ? params.get("unit") : null;
  return { p: invalid ? null : read.p, q: invalid ? null : read.q, unit, invalid };
}

function writeAddress(state) {
  const params = new URLSearchParams(window.location.search);
  params.set("P", state.p.map(String).join(","));
  params.set("Q", state.q.map(String).join(","));
  params.set("unit", state.unit);
  const url = new URL(window.location.href);
  url.search = params.toString().replaceAll("%2C", ",");
  window.history.replaceState(window.history.state, "", url);
}

function buildButtons(actions) {
  return element(
    "div",
    { class: "kl-explorer__buttons" },
    actions.map(({ text, run }) => {
      const button = element("button", { type: "button", class: "md-button", text });
      button.addEventListener("click", run);
      return button;
    }),
  );
}

function infinityNotes(names, p, q) {
  const notes = [];
  const qMisses = names.filter((_, i) => p[i] > 0 && q[i] === 0);
  const pMisses = names.filter((_, i) => q[i] > 0 && p[i] === 0);
  if (qMisses.length) {
    notes.push(
      `KL(P‖Q) and H(P, Q) are infinite: Q gives ${listNames(qMisses)} probability 0, ` +
        "but P says it happens. A code built for Q has no codeword for an outcome Q " +
        "calls impossible, so it cannot encode P's data at any length.",
    );
  }
  if (pMisses.length) {
    notes.push(
      `KL(Q‖P) is infinite: P gives ${listNames(pMisses)} probability 0, but Q does not.`,
    );
  }
  return notes;
}

function init() {
  const root = document.getElementById("kl-explorer");
  if (!root || root.dataset.ready) return;
  const start = readStart();
  const { names } = start;
  if (names.length < 2) return;
  const linked = stateFromAddress(names.length);
  const state = {
    p: linked.p ?? [...start.p],
    q: linked.q ?? [...start.q],
    unit: linked.unit ?? "bits",
  };

  const controls = buildControls(names, (key, i, value) => {
    if (Number.isNaN(value)) {
      update();
      return;
    }
    state[key] = withProbability(state[key], i, value);
    update();
  });
  const chart = buildChart(names);
  const results = buildResults();
  const units = buildUnitSwitch((unit) => {
    state.unit = unit;
    update();
  });
  const linkNote = linked.invalid
    ? [
        element("p", {
          class: "kl-explorer__note",
          text: "The link's P or Q is not a distribution over these animals, so the explorer shows the lecture's example instead.",
        }),
      ]
    : [];
  const buttons = buildButtons([
    {
      text: "Reset to the lecture's example",
      run: () => {
        state.p = [...start.p];
        state.q = [...start.q];
        update();
      },
    },
    {
      text: "Make Q equal to P",
      run: () => {
        state.q = [...state.p];
        update();
      },
    },
    {
      text: "Swap P and Q",
      run: () => {
        [state.p, state.q] = [state.q, state.p];
        update();
      },
    },
  ]);
  const summary = element("p", { class: "kl-explorer__summary" });
  const notes = element("div", { class: "kl-explorer__notes" });
  const live = element("div", { class: "kl-explorer__live", "aria-live": "polite" }, [
    summary,
    notes,
  ]);
  let announceTimer = 0;

  function update() {
    const { p, q } = state;
    const values = {
      kl_pq: klDivergence(p, q),
      kl_qp: klDivergence(q, p),
      h_p: entropy(p),
      h_pq: crossEntropy(p, q),
    };
    for (const { key } of DISTRIBUTIONS) {
      state[key].forEach((x, i) => {
        const { range, number } = controls.inputs[key][i];
        range.value = String(x);
        range.setAttribute("aria-valuetext", formatProbability(x));
        number.value = formatProbability(x);
        chart.bars[i][key].fill.style.width = `${(100 * x).toFixed(2)}%`;
        chart.bars[i][key].value.textContent = `${key.toUpperCase()} ${formatProbability(x)}`;
      });
    }
    const perUnit = UNITS[state.unit];
    for (const { key } of MEASURES) {
      const x = values[key] / perUnit;
      results.cells[key].textContent = formatResult(x);
      results.cells[key].dataset.value = String(x);
    }
    results.unitHeader.textContent = state.unit;
    units.inputs[state.unit].checked = true;
    root.dataset.p = JSON.stringify(p);
    root.dataset.q = JSON.stringify(q);
    root.dataset.unit = state.unit;
    writeAddress(state);
    // The live region speaks once the reader pauses, not at every step of a slider.
    window.clearTimeout(announceTimer);
    const announce = () => {
      const pq = formatResult(values.kl_pq / perUnit);
      const qp = formatResult(values.kl_qp / perUnit);
      summary.textContent = `KL(P‖Q) = ${pq} ${state.unit}; KL(Q‖P) = ${qp} ${state.unit}.`;
      notes.replaceChildren(
        ...infinityNotes(names, p, q).map((text) =>
          element("p", { class: "kl-explorer__note", text }),
        ),
      );
    };
    if (root.dataset.ready) announceTimer = window.setTimeout(announce, ANNOUNCE_DELAY_MS);
    else announce();
  }

  update();
  root.replaceChildren(
    controls.node,
    buttons,
    ...linkNote,
    live,
    units.node,
    results.node,
    chart.node,
  );
  root.dataset.ready = "true";
}

// Material's `document$` emits on every page load, including instant navigation.
if (typeof window.document$ !== "undefined") window.document$.subscribe(init);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
