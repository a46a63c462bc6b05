/* The forward-vs-reverse widget (after #fig-forward-reverse): a slider for the distance
   between P's two peaks; the forward fit (moment matching) and every local minimum of
   the reverse KL are refitted and redrawn live, each with both divergences (nats). The
   reader sees the one-peak minima appear past `peaks_appear` and win past `peaks_win`,
   the thresholds the build computes (kl.measures.fitting.reverse_fit_thresholds). Fitting as
   kl.lecture.sections.forward_vs_reverse does, in fitting.js. */

import { fits, mixturePdf } from "./fitting.js";
import { normalPdf } from "./measures.js";
import {
  drawingWidth,
  element,
  formatNumber,
  linspace,
  liveRegion,
  plot,
  rangeControl,
  showNumber,
  svgElement,
  widgetPanel,
} from "./ui.js";

const SLIDER_STEP = 0.01;
const DRAWN_POINTS = 401;
const REACH_PAST_PEAK = 4; // the drawing spans the peaks ± 4 (and 3 forward sds)

function fitName(fit) {
  if (fit.centred) return fit.best ? "Reverse, centred (best)" : "Reverse, centred (local minimum)";
  const side = fit.mean > 0 ? "right peak" : "left peak";
  return `Reverse, ${side}${fit.best ? " (best)" : " (local minimum)"}`;
}

function readout(caption) {
  const body = element("tbody");
  const table = element("table", { class: "kl-widget__readout" }, [
    element("caption", { text: caption }),
    element("thead", {}, [
      element(
        "tr",
        {},
        ["Fit", "mean", "sd", "KL(P‖Q)", "KL(Q‖P)"].map((text) =>
          element("th", { scope: "col", text }),
        ),
      ),
    ]),
    body,
  ]);
  return {
    node: table,
    show(rows) {
      body.replaceChildren(
        ...rows.map(({ key, name, fit }) => {
          const cells = ["mean", "sd", "kl_pq_nats", "kl_qp_nats"].map((column) => {
            const td = element("td", { "data-key": key, "data-column": column });
            showNumber(td, fit[column], 3);
            return td;
          });
          return element("tr", {}, [element("th", { scope: "row", text: name }), ...cells]);
        }),
      );
    },
  };
}

export function mount(figure, data) {
  const panel = widgetPanel(
    figure,
    "Try it: move the peaks apart",
    `Set the distance between P's two peaks. One-peak minima of the reverse KL appear past about ${formatNumber(data.peaks_appear, 2)} and win past about ${formatNumber(data.peaks_win, 2)}.`,
  );
  const width = drawingWidth(panel);
  const chart = plot({
    width,
    height: 240,
    label: "P, the forward fit and each reverse-KL minimum, redrawn as the peaks move",
  });
  const lines = {
    area: svgElement("path", { class: "kl-widget__area--truth" }),
    p: svgElement("path", { class: "kl-widget__line kl-widget__line--truth" }),
    forward: svgElement("path", { class: "kl-widget__line kl-widget__line--forward" }),
    reverse: svgElement("g"),
  };
  const key = element("p", { class: "kl-widget__hint", text: "Solid: P. Dashed: the forward fit. Dash-dotted: the best reverse fit. Dotted: the reverse KL's other local minima." });
  chart.svg.append(lines.area, lines.p, lines.forward, lines.reverse);
  const table = readout("Each fit and its two divergences, in nats");
  const live = liveRegion();
  let separation = data.separation;
  let pending = 0;

  function update() {
    pending = 0;
    const result = fits(data, separation);
    const forwardSd = result.forward.sd;
    const reach = Math.max(separation / 2 + REACH_PAST_PEAK, 3 * forwardSd);
    const x = linspace(-reach, reach, DRAWN_POINTS);
    const px = x.map((v) => mixturePdf(result.p, v));
    const curveOf = (fit) => x.map((v) => normalPdf(v, fit.mean, fit.sd));
    const reverseCurves = result.reverse.map(curveOf);
    const top = Math.max(...px, ...reverseCurves.flat());
    chart.setDomain([-reach, reach], [0, top * 1.15]);
    chart.xAxis(-reach, reach, "x");
    lines.area.setAttribute("d", chart.path(x, px, 0));
    lines.p.setAttribute("d", chart.path(x, px));
    lines.forward.setAttribute("d", chart.path(x, curveOf(result.forward)));
    lines.reverse.replaceChildren(
      ...reverseCurves.map((curve, i) =>
        svgElement("path", {
          d: chart.path(x, curve),
          class: `kl-widget__line kl-widget__line--${i === 0 ? "reverse" : "local"}`,
        }),
      ),
    );
    table.show([
      { key: "forward", name: "Forward (moment matching)", fit: result.forward },
      ...result.reverse.map((fit, i) => ({ key: `reverse-${i}`, name: fitName(fit), fit })),
    ]);
    slider.show(separation);
    panel.dataset.separation = String(separation);
    panel.dataset.fits = JSON.stringify(result.reverse.length);
    const best = result.reverse[0];
    live.say(
      `Peaks ${formatNumber(separation, 2)} apart: ${result.reverse.length} reverse-KL ` +
        `${result.reverse.length === 1 ? "minimum" : "minima"}; the best ` +
        `${best.centred ? "is centred" : "sits on one peak"}, KL(Q‖P) = ${formatNumber(best.kl_qp_nats, 3)} nats.`,
    );
  }

  const slider = rangeControl({
    id: `${figure.id}-separation`,
    label: "Distance between the peaks",
    min: 0,
    max: 2 * data.separation,
    step: SLIDER_STEP,
    value: separation,
    onSet: (value) => {
      separation = value;
      // Refit once per frame however fast the slider moves.
      pending ||= requestAnimationFrame(update);
    },
  });
  panel.append(
    element("div", { class: "kl-widget__controls" }, [slider.node]),
    chart.svg,
    key,
    table.node,
    live.node,
  );
  update();
}
