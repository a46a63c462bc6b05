/* The explorer (docs/explorer.md): the reader sets P and Q over the forest's animals and
   sees KL(P‖Q), KL(Q‖P), H(P) and H(P, Q) in bits and nats, live.

   The page carries the starting point, computed at build time from the data file, as
   JSON in <script id="kl-explorer-start">: {"names": [...], "p": [...], "q": [...]}.
   This script replaces the text in <div id="kl-explorer"> (what readers without
   JavaScript see) with sliders, number boxes, a table of results and a bar chart.
   No framework and no network.

   The measures mirror kl/measures.py term for term, so the two agree to rounding:
   KL sums max(p·ln(p/q) − p + q, 0) over p > 0, plus q where p = 0; a zero q where p > 0
   makes KL and the cross-entropy infinite. Results are in nats; bits divide by ln 2.

   Normalisation rule: setting one probability to v (clamped to [0, 1]) rescales the
   others by one common factor so that they sum to 1 − v, keeping their ratios; if they
   are all 0 they share 1 − v equally.

   The root element exposes the current state for tests: data-p and data-q hold the
   distributions as JSON, and each result cell's data-value holds the unrounded number. */
(() => {
  "use strict";

  const SMALLEST_NORMAL = 2.2250738585072014e-308; // numpy's finfo(float64).tiny
  const SLIDER_STEP = "0.01";
  const RESULT_DECIMALS = 6;
  const ANNOUNCE_DELAY_MS = 500;

  /* ---- the measures, as in kl/measures.py (nats) ---- */

  function logRatio(p, q) {
    const ratio = p / q;
    return Number.isFinite(ratio) && ratio >= SMALLEST_NORMAL
      ? Math.log(ratio)
      : Math.log(p) - Math.log(q);
  }

  function nonNegativeSum(terms) {
    return Math.max(0, terms.reduce((a, b) => a + b, 0));
  }

  function entropy(p) {
    return nonNegativeSum(p.filter((x) => x > 0).map((x) => -x * Math.log(x)));
  }

  function missesSupport(p, q) {
    return p.some((x, i) => x > 0 && q[i] === 0);
  }

  function crossEntropy(p, q) {
    if (missesSupport(p, q)) return Infinity;
    return nonNegativeSum(p.flatMap((x, i) => (x > 0 ? [-x * Math.log(q[i])] : [])));
  }

  function klDivergence(p, q) {
    if (missesSupport(p, q)) return Infinity;
    return nonNegativeSum(
      p.map((x, i) => (x > 0 ? Math.max(x * logRatio(x, q[i]) - x + q[i], 0) : q[i])),
    );
  }

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
      cells[key] = {};
      const row = element("tr", {}, [
        element("th", { scope: "row" }, [
          element("span", { class: "kl-explorer__measure", text: label }),
          element("span", { class: "kl-explorer__hint", text: hint }),
        ]),
      ]);
      for (const unit of ["bits", "nats"]) {
        cells[key][unit] = element("td", { "data-measure": key, "data-unit": unit });
        row.append(cells[key][unit]);
      }
      return row;
    });
    const table = element("table", { class: "kl-explorer__results" }, [
      element("caption", { text: "The divergences and entropies for the P and Q above" }),
      element("thead", {}, [
        element("tr", {}, [
          element("th", { scope: "col", text: "Measure" }),
          element("th", { scope: "col", text: "bits" }),
          element("th", { scope: "col", text: "nats" }),
        ]),
      ]),
      element("tbody", {}, body),
    ]);
    return { node: table, cells };
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
    const state = { p: [...start.p], q: [...start.q] };

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
      for (const { key } of MEASURES) {
        const nats = values[key];
        const bits = nats / Math.LN2;
        for (const [unit, x] of [
          ["bits", bits],
          ["nats", nats],
        ]) {
          const cell = results.cells[key][unit];
          cell.textContent = formatResult(x);
          cell.dataset.value = String(x);
        }
      }
      root.dataset.p = JSON.stringify(p);
      root.dataset.q = JSON.stringify(q);
      // The live region speaks once the reader pauses, not at every step of a slider.
      window.clearTimeout(announceTimer);
      const announce = () => {
        const pq = formatResult(values.kl_pq / Math.LN2);
        const qp = formatResult(values.kl_qp / Math.LN2);
        summary.textContent = `KL(P‖Q) = ${pq} bits; KL(Q‖P) = ${qp} bits.`;
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
    root.replaceChildren(controls.node, buttons, live, results.node, chart.node);
    root.dataset.ready = "true";
  }

  // Material's `document$` emits on every page load, including instant navigation.
  if (typeof window.document$ !== "undefined") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
