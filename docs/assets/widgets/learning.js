/* The learning widget (after #fig-learning): gradient descent on KL(P‖Q), played, paused
   or stepped by the reader, with the learning rate adjustable at any time; the
   divergence curve (nats, as the figure and the gradient: log scale) and Q's bars update at each step.

   As kl.measures.fitting.learn_by_gradient: Q = softmax(logits) starts uniform, and each step
   subtracts the learning rate times the gradient q − p (nats per logit) from the
   logits. The animals, P, the number of steps and the lecture's learning rate come from
   the build; the run stops after that many steps (Reset starts again). */

import { klDivergence, softmax } from "./measures.js";
import {
  button,
  drawingWidth,
  element,
  formatNumber,
  liveRegion,
  plot,
  rangeControl,
  readoutTable,
  sentence,
  showNumber,
  svgElement,
  widgetPanel,
} from "./ui.js";

const PLAY_INTERVAL_MS = 200;
const MAX_Y_LABELS = 5;
const SUPERSCRIPTS = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

function powerOfTen(k) {
  return `10${[...String(k)].map((c) => SUPERSCRIPTS[c]).join("")}`;
}
const RATE_STEP = 0.05;

const LABELS = 90; // room for the animals' names left of the bars
const VALUES = 48; // and for Q's value right of them

function bars(names, width) {
  const chart = plot({
    width,
    height: 40 + 44 * names.length,
    label: "P's and Q's probability for each animal, redrawn at each step",
    margin: { top: 8, right: VALUES, bottom: 8, left: LABELS },
  });
  const rows = names.map((name, i) => {
    const y = 12 + 44 * i;
    const p = svgElement("rect", { y: String(y), height: "16", class: "kl-widget__bar--p" });
    const q = svgElement("rect", { y: String(y + 18), height: "16", class: "kl-widget__bar--q" });
    const value = svgElement("text", { y: String(y + 31), class: "kl-widget__tick" });
    chart.svg.append(
      svgElement("text", {
        x: String(LABELS - 6),
        y: String(y + 22),
        "text-anchor": "end",
        class: "kl-widget__label kl-widget__label--text",
        text: name,
      }),
      p,
      q,
      value,
    );
    return { p, q, value };
  });
  const legendY = String(28 + 44 * names.length);
  chart.svg.append(
    ...legend(LABELS, legendY, "kl-widget__bar--p", "P"),
    ...legend(LABELS + 50, legendY, "kl-widget__bar--q", "Q"),
  );
  return {
    svg: chart.svg,
    draw(p, q) {
      const top = Math.max(...p, ...q);
      const x = (v) => LABELS + (v / top) * (width - LABELS - VALUES);
      rows.forEach((row, i) => {
        row.p.setAttribute("x", String(LABELS));
        row.p.setAttribute("width", (x(p[i]) - LABELS).toFixed(2));
        row.q.setAttribute("x", String(LABELS));
        row.q.setAttribute("width", (x(q[i]) - LABELS).toFixed(2));
        row.value.setAttribute("x", (x(q[i]) + 4).toFixed(2));
        row.value.textContent = formatNumber(q[i], 3);
      });
    },
  };
}

function legend(x, y, swatch, text) {
  return [
    svgElement("rect", { x: String(x), y: String(Number(y) - 10), width: "12", height: "12", class: swatch }),
    svgElement("text", { x: String(x + 18), y, class: "kl-widget__tick", text }),
  ];
}

function curve(steps, width) {
  const chart = plot({
    width,
    height: 200,
    label: "KL(P‖Q) in nats after each step, on a logarithmic scale",
    margin: { top: 28, right: 10, bottom: 24, left: 48 },
  });
  const line = svgElement("path", { class: "kl-widget__line kl-widget__line--kl" });
  const dot = svgElement("circle", { r: "4", class: "kl-widget__star" });
  const yAxis = svgElement("g", { "aria-hidden": "true" });
  chart.svg.append(
    svgElement("text", { x: "4", y: "14", class: "kl-widget__tick", text: "KL(P‖Q), nats (log scale)" }),
    yAxis,
    line,
    dot,
  );
  /* A grid line and a label 10ᵏ at each power of ten from 10^lo to 10^hi. */
  function drawYAxis(lo, hi) {
    const every = Math.ceil((hi - lo) / MAX_Y_LABELS);
    const powers = [];
    for (let k = hi; k >= lo; k -= every) powers.push(k);
    yAxis.replaceChildren(
      ...powers.flatMap((k) => {
        const y = chart.scale.y(k).toFixed(1);
        return [
          svgElement("line", { x1: String(chart.area.x0), x2: String(chart.area.x1), y1: y, y2: y, class: "kl-widget__grid" }),
          svgElement("text", { x: String(chart.area.x0 - 6), y: String(Number(y) + 4), "text-anchor": "end", class: "kl-widget__tick", text: powerOfTen(k) }),
        ];
      }),
    );
  }
  return {
    svg: chart.svg,
    draw(history) {
      const positive = history.map((kl, step) => [step, kl]).filter(([, kl]) => kl > 0);
      if (!positive.length) return;
      const logs = positive.map(([, kl]) => Math.log10(kl));
      const hi = Math.ceil(Math.max(...logs));
      // a quarter of a decade below the lowest point, so the last dot stays clear of the
      // step axis's title under the bottom right corner
      const lo = Math.min(hi - 1, Math.floor(Math.min(...logs) - 0.25));
      chart.setDomain([0, steps], [lo, hi]);
      drawYAxis(lo, hi);
      chart.xAxis(0, steps + 1, "step");
      line.setAttribute("d", chart.path(positive.map(([s]) => s), logs));
      const [last, lastLog] = [positive[positive.length - 1][0], logs[logs.length - 1]];
      dot.setAttribute("cx", chart.scale.x(last).toFixed(2));
      dot.setAttribute("cy", chart.scale.y(lastLog).toFixed(2));
    },
  };
}

export function mount(figure, data) {
  const { names, p, steps } = data;
  const panel = widgetPanel(
    figure,
    "Try it: run the learning yourself",
    "Play, pause or take one step at a time; change the learning rate at any point.",
  );
  const run = { rate: data.rate, logits: [], q: [], history: [], timer: 0 };
  const table = readoutTable(
    "Q at the current step, against P",
    [
      { key: "animal", label: "Animal" },
      { key: "p", label: "P" },
      { key: "q", label: "Q" },
    ],
    names.map((name, i) => ({ key: String(i), label: name })),
  );
  const status = sentence(["Step ", { key: "step" }, ": KL(P‖Q) = ", { key: "kl-nats" }, " nats."]);
  const live = liveRegion();
  const width = drawingWidth(panel);
  const barChart = bars(names, width);
  const klCurve = curve(steps, width);

  function show() {
    const current = run.history.length - 1;
    const kl = run.history[current];
    showNumber(status.fields.step, current, 0);
    showNumber(status.fields["kl-nats"], kl);
    run.q.forEach((x, i) => {
      showNumber(table.cells[String(i)].p, p[i], 4);
      showNumber(table.cells[String(i)].q, x, 4);
    });
    barChart.draw(p, run.q);
    klCurve.draw(run.history);
    panel.dataset.q = JSON.stringify(run.q);
    panel.dataset.logits = JSON.stringify(run.logits);
    panel.dataset.rate = String(run.rate);
    stepButton.disabled = current >= steps;
    playButton.disabled = current >= steps;
    live.say(`Step ${current}: KL(P‖Q) = ${formatNumber(kl, 6)} nats.`, !run.timer);
  }

  function reset() {
    pause();
    run.logits = names.map(() => Math.log(1 / names.length));
    run.q = softmax(run.logits);
    run.history = [klDivergence(p, run.q)];
    show();
  }

  function takeStep() {
    if (run.history.length - 1 >= steps) {
      pause();
      return;
    }
    run.logits = run.logits.map((z, i) => z - run.rate * (run.q[i] - p[i]));
    run.q = softmax(run.logits);
    run.history.push(klDivergence(p, run.q));
    if (run.history.length - 1 >= steps) pause();
    show();
  }

  function pause() {
    window.clearInterval(run.timer);
    run.timer = 0;
    playButton.textContent = "Play";
  }

  const playButton = button("Play", () => {
    if (run.timer) {
      pause();
      show();
      return;
    }
    run.timer = window.setInterval(takeStep, PLAY_INTERVAL_MS);
    playButton.textContent = "Pause";
  });
  const stepButton = button("Step", takeStep);
  const rate = rangeControl({
    id: `${figure.id}-rate`,
    label: "Learning rate",
    min: RATE_STEP,
    max: 4 * data.rate,
    step: RATE_STEP,
    value: data.rate,
    onSet: (value) => {
      run.rate = value;
      rate.show(value);
      panel.dataset.rate = String(value);
    },
  });
  panel.append(
    element("div", { class: "kl-widget__buttons" }, [playButton, stepButton, button("Reset", reset)]),
    element("div", { class: "kl-widget__controls" }, [rate.node]),
    status.node,
    klCurve.svg,
    barChart.svg,
    table.node,
    live.node,
  );
  reset();
}
