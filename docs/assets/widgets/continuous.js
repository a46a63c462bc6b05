/* The continuous-distributions widget (after #fig-continuous-integrand): the reader sets
   Q's mean and standard deviation; P, Q and the integrand p·ln(p/q) redraw live, its
   positive area shaded and its negative area hatched, with KL(P‖Q) and KL(Q‖P) in nats
   both by Simpson's rule and in closed form.

   As kl computes them: Simpson's rule over `points` grid points on
   [min(mean − tail_sds·sd), max(mean + tail_sds·sd)] over P and Q, as
   kl/lecture/sections/continuous.py integrates, from log densities (kl.measures.continuous.kl_numeric_log,
   so a narrow Q whose density underflows far from its mean still gives a finite answer),
   and the closed form of kl.measures.gaussian.kl_normal. The data (P, the good and poor fits,
   tail_sds, points) come from the build. */

import {
  integrateParts,
  integrationGrid,
  klLogIntegrand,
  klNormal,
  normalLogPdf,
  normalPdf,
} from "./measures.js";
import {
  button,
  element,
  liveRegion,
  linspace,
  plot,
  rangeControl,
  divergenceReadout,
  sentence,
  showNumber,
  svgElement,
  widgetPanel,
  drawingWidth,
  formatNumber,
} from "./ui.js";

const DRAWN_POINTS = 301; // points per drawn curve (the numbers use the full grid)
const SHOWN_SDS = 4; // the drawing spans each curve's mean ± 4 sd
const SLIDER_STEP = 0.01;

/* KL both ways, numerically and in closed form, and the integrand's areas (nats). */
export function divergences(data, q) {
  const { p } = data;
  const lower = Math.min(p.mean - data.tail_sds * p.sd, q.mean - data.tail_sds * q.sd);
  const upper = Math.max(p.mean + data.tail_sds * p.sd, q.mean + data.tail_sds * q.sd);
  const { x, weights } = integrationGrid(lower, upper, data.points);
  const logP = x.map((v) => normalLogPdf(v, p.mean, p.sd));
  const logQ = x.map((v) => normalLogPdf(v, q.mean, q.sd));
  const forward = integrateParts(
    weights,
    logP.map((v, i) => klLogIntegrand(v, logQ[i])),
  );
  const reverse = integrateParts(
    weights,
    logQ.map((v, i) => klLogIntegrand(v, logP[i])),
  );
  return {
    pq_numeric: forward.total,
    qp_numeric: reverse.total,
    pq_closed: klNormal(p.mean, p.sd, q.mean, q.sd),
    qp_closed: klNormal(q.mean, q.sd, p.mean, p.sd),
    above: forward.above,
    below: forward.below,
  };
}

function drawing(figureId, width) {
  const densities = plot({ width, height: 200, label: "P and Q, redrawn as you move Q" });
  const integrand = plot({
    width,
    height: 220,
    label: "The integrand p·ln(p/q): shaded above the axis, hatched below",
  });
  const hatch = `${figureId}-hatch`;
  integrand.svg.append(
    svgElement("defs", {}, [
      svgElement(
        "pattern",
        { id: hatch, width: "6", height: "6", patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
        [svgElement("line", { x1: "0", y1: "0", x2: "0", y2: "6", class: "kl-widget__hatch" })],
      ),
    ]),
  );
  const parts = {
    p: svgElement("path", { class: "kl-widget__line kl-widget__line--truth" }),
    q: svgElement("path", { class: "kl-widget__line kl-widget__line--model" }),
    above: svgElement("path", { class: "kl-widget__area kl-widget__area--above" }),
    below: svgElement("path", { class: "kl-widget__area", fill: `url(#${hatch})` }),
    curve: svgElement("path", { class: "kl-widget__line kl-widget__line--model" }),
    axis: svgElement("line", { class: "kl-widget__axis" }),
    pLabel: svgElement("text", { class: "kl-widget__label kl-widget__label--truth", text: "P" }),
    qLabel: svgElement("text", { class: "kl-widget__label kl-widget__label--model", text: "Q" }),
  };
  const title = (text) =>
    svgElement("text", { x: "8", y: "14", class: "kl-widget__tick", text });
  densities.svg.append(title("density"), parts.p, parts.q, parts.pLabel, parts.qLabel);
  integrand.svg.append(title("p·ln(p/q)"), parts.above, parts.below, parts.axis, parts.curve);
  return { densities, integrand, parts };
}

function redraw({ densities, integrand, parts }, p, q) {
  const lo = Math.min(p.mean - SHOWN_SDS * p.sd, q.mean - SHOWN_SDS * q.sd);
  const hi = Math.max(p.mean + SHOWN_SDS * p.sd, q.mean + SHOWN_SDS * q.sd);
  const x = linspace(lo, hi, DRAWN_POINTS);
  const px = x.map((v) => normalPdf(v, p.mean, p.sd));
  const qx = x.map((v) => normalPdf(v, q.mean, q.sd));
  const top = Math.max(...px, ...qx);
  densities.setDomain([lo, hi], [0, top * 1.15]);
  parts.p.setAttribute("d", densities.path(x, px));
  parts.q.setAttribute("d", densities.path(x, qx));
  for (const [label, dist, values] of [
    [parts.pLabel, p, px],
    [parts.qLabel, q, qx],
  ]) {
    label.setAttribute("x", densities.scale.x(dist.mean).toFixed(1));
    label.setAttribute("y", (densities.scale.y(Math.max(...values)) - 4).toFixed(1));
  }
  const values = x.map((v) => klLogIntegrand(normalLogPdf(v, p.mean, p.sd), normalLogPdf(v, q.mean, q.sd)));
  const vLo = Math.min(0, ...values);
  const vHi = Math.max(0, ...values);
  const span = vHi - vLo || 1;
  integrand.setDomain([lo, hi], [vLo - 0.08 * span, vHi + 0.08 * span]);
  parts.above.setAttribute("d", integrand.path(x, values.map((v) => Math.max(v, 0)), 0));
  parts.below.setAttribute("d", integrand.path(x, values.map((v) => Math.min(v, 0)), 0));
  parts.curve.setAttribute("d", integrand.path(x, values));
  densities.xAxis(lo, hi, "x");
  integrand.xAxis(lo, hi, "x");
  const zero = integrand.scale.y(0).toFixed(2);
  parts.axis.setAttribute("x1", String(integrand.area.x0));
  parts.axis.setAttribute("x2", String(integrand.area.x1));
  parts.axis.setAttribute("y1", zero);
  parts.axis.setAttribute("y2", zero);
}

export function mount(figure, data) {
  const { p, fits } = data;
  const spread = Math.max(p.sd, ...Object.values(fits).map((f) => f.sd));
  const q = { ...fits.poor };
  const panel = widgetPanel(
    figure,
    "Try it: move Q",
    "Set Q's mean and standard deviation; P stays fixed. The integrand's area above the axis, minus the hatched area below it, is KL(P‖Q).",
  );
  const draw = drawing(figure.id, drawingWidth(panel));
  const table = divergenceReadout("KL divergence between P and your Q, in nats", [
    { key: "numeric", label: "Numerical" },
    { key: "closed", label: "Closed form" },
  ]);
  const areas = sentence([
    "Integrand of KL(P‖Q): area above the axis ",
    { key: "above" },
    " nats, below it ",
    { key: "below" },
    " nats.",
  ]);
  const live = liveRegion();

  function update() {
    redraw(draw, p, q);
    const d = divergences(data, q);
    showNumber(table.cells.pq.numeric, d.pq_numeric);
    showNumber(table.cells.pq.closed, d.pq_closed);
    showNumber(table.cells.qp.numeric, d.qp_numeric);
    showNumber(table.cells.qp.closed, d.qp_closed);
    showNumber(areas.fields.above, d.above, 4);
    showNumber(areas.fields.below, d.below, 4);
    mean.show(q.mean);
    sd.show(q.sd);
    panel.dataset.q = JSON.stringify(q);
    live.say(
      `Q = N(${formatNumber(q.mean, 2)}, ${formatNumber(q.sd, 2)}²): ` +
        `KL(P‖Q) = ${formatNumber(d.pq_closed, 4)} nats, KL(Q‖P) = ${formatNumber(d.qp_closed, 4)} nats.`,
    );
  }
  const set = (key) => (value) => {
    q[key] = value;
    update();
  };
  const mean = rangeControl({
    id: `${figure.id}-mean`,
    label: "Q's mean",
    min: p.mean - 4 * spread,
    max: p.mean + 4 * spread,
    step: SLIDER_STEP,
    value: q.mean,
    onSet: set("mean"),
  });
  const sd = rangeControl({
    id: `${figure.id}-sd`,
    label: "Q's standard deviation",
    min: p.sd / 4,
    max: 3 * spread,
    step: SLIDER_STEP,
    value: q.sd,
    onSet: set("sd"),
  });
  const presets = element(
    "div",
    { class: "kl-widget__buttons" },
    Object.entries(fits).map(([name, fit]) =>
      button(`The ${name} fit`, () => {
        Object.assign(q, fit);
        update();
      }),
    ),
  );
  panel.append(
    element("div", { class: "kl-widget__controls" }, [mean.node, sd.node]),
    presets,
    draw.densities.svg,
    draw.integrand.svg,
    table.node,
    areas.node,
    live.node,
  );
  update();
}
