/* The simplex widget (after #fig-simplex): every belief Q about three outcomes is a point
   of the triangle. The reader taps or drags the point (or moves it with the arrow keys)
   and reads KL(P‖Q) and KL(Q‖P) in bits and nats; P is marked with a star.

   Coordinates as kl/measures/simplex.py: outcome 0's corner at (0, 0), outcome 1's at (1, 0),
   outcome 2's at (1/2, √3/2); a point off the triangle is pulled onto it as
   kl.measures.simplex.simplex_from_xy does (negative coordinates set to 0, the rest rescaled).
   The corners (each the list of its animals) and P and Q come from the build
   (kl.lecture.sections.not_a_distance's simplex_vectors: with more than three animals, the
   least likely are lumped into one corner, named as the lecture names it). */

import { klDivergence } from "./measures.js";
import {
  element,
  formatNumber,
  liveRegion,
  divergenceReadout,
  showNumber,
  svgElement,
  widgetPanel,
} from "./ui.js";

const SQRT3_HALF = Math.sqrt(3) / 2;
const KEY_STEP = 0.01; // an arrow key moves Q by a hundredth of a side
const SIZE = 400; // SVG units across the drawing
const PAD = 40; // room for the corner labels
const HANDLE_RADIUS = 9;
const TARGET_RADIUS = 30; // a touch target around the handle: 44 px even at 375 px wide

export function ternaryXY(q) {
  return [q[1] + 0.5 * q[2], SQRT3_HALF * q[2]];
}

export function simplexFromXY(x, y) {
  const third = y / SQRT3_HALF;
  const second = x - 0.5 * third;
  const point = [1 - second - third, second, third].map((v) => Math.max(v, 0));
  const total = point[0] + point[1] + point[2];
  return point.map((v) => v / total);
}

const side = SIZE - 2 * PAD;
const toSvg = ([x, y]) => [PAD + x * side, PAD + (SQRT3_HALF - y) * side];
const fromSvg = (sx, sy) => [(sx - PAD) / side, SQRT3_HALF - (sy - PAD) / side];

function star(cx, cy, r) {
  const points = Array.from({ length: 10 }, (_, i) => {
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    const radius = i % 2 === 0 ? r : r * 0.45;
    return `${(cx + radius * Math.cos(angle)).toFixed(1)},${(cy + radius * Math.sin(angle)).toFixed(1)}`;
  });
  return svgElement("polygon", { points: points.join(" "), class: "kl-widget__star" });
}

function describe(names, q) {
  return names.map((name, i) => `${name} ${formatNumber(q[i], 2)}`).join(", ");
}

// A corner's name: its animal, or what the lecture calls the corner the rest are lumped into.
const cornerName = (animals) => (animals.length === 1 ? animals[0] : "other animals");

export function mount(figure, data) {
  const { p } = data;
  const names = data.corners.map(cornerName);
  let q = [...data.q];
  const panel = widgetPanel(
    figure,
    "Try it: pick Q on the triangle",
    "Tap or drag the circle to choose Q (arrow keys move it when it has focus). The star is P.",
  );
  const height = PAD * 2 + SQRT3_HALF * side;
  const svg = svgElement("svg", {
    viewBox: `0 0 ${SIZE} ${height.toFixed(1)}`,
    class: "kl-widget__plot kl-widget__plot--simplex",
  });
  const corners = [
    [0, 0],
    [1, 0],
    [0.5, SQRT3_HALF],
  ].map(toSvg);
  svg.append(
    svgElement("polygon", {
      points: corners.map((c) => c.map((v) => v.toFixed(1)).join(",")).join(" "),
      class: "kl-widget__triangle",
    }),
  );
  const anchors = ["start", "end", "middle"];
  const offsets = [
    [-PAD / 2, 24],
    [PAD / 2, 24],
    [0, -12],
  ];
  names.forEach((name, i) => {
    svg.append(
      svgElement("text", {
        x: (corners[i][0] + offsets[i][0]).toFixed(1),
        y: (corners[i][1] + offsets[i][1]).toFixed(1),
        "text-anchor": anchors[i],
        class: "kl-widget__label kl-widget__label--text",
        "aria-hidden": "true",
        text: name,
      }),
    );
  });
  const [px, py] = toSvg(ternaryXY(p));
  svg.append(star(px, py, 11), svgElement("text", {
    x: (px + 14).toFixed(1),
    y: (py - 8).toFixed(1),
    class: "kl-widget__label kl-widget__label--text",
    "aria-hidden": "true",
    text: "P",
  }));
  const handle = svgElement(
    "g",
    {
      class: "kl-widget__handle-group",
      tabindex: "0",
      role: "slider",
      "aria-label": `Q, a point on the triangle of ${names.join(", ")}`,
      "aria-valuemin": "0",
      "aria-valuemax": "1",
    },
    [
      svgElement("circle", { r: String(TARGET_RADIUS), class: "kl-widget__handle-target" }),
      svgElement("circle", { r: String(HANDLE_RADIUS), class: "kl-widget__handle" }),
      svgElement("text", {
        x: "13",
        y: "-10",
        class: "kl-widget__label kl-widget__label--text",
        "aria-hidden": "true",
        text: "Q",
      }),
    ],
  );
  svg.append(handle);

  const table = divergenceReadout("KL divergence between P and the Q you picked", [
    { key: "bits", label: "bits" },
    { key: "nats", label: "nats" },
  ]);
  const shownQ = element("p", { class: "kl-widget__hint" });
  const live = liveRegion();

  function update() {
    const [hx, hy] = toSvg(ternaryXY(q));
    handle.setAttribute("transform", `translate(${hx.toFixed(2)},${hy.toFixed(2)})`);
    handle.setAttribute("aria-valuenow", String(q[0]));
    handle.setAttribute("aria-valuetext", `Q: ${describe(names, q)}`);
    const pq = klDivergence(p, q);
    const qp = klDivergence(q, p);
    showNumber(table.cells.pq.nats, pq);
    showNumber(table.cells.pq.bits, pq / Math.LN2);
    showNumber(table.cells.qp.nats, qp);
    showNumber(table.cells.qp.bits, qp / Math.LN2);
    shownQ.textContent = `Q: ${describe(names, q)}. P: ${describe(names, p)}.`;
    panel.dataset.q = JSON.stringify(q);
    live.say(
      `Q: ${describe(names, q)}. KL(P‖Q) = ${formatNumber(pq / Math.LN2, 4)} bits, ` +
        `KL(Q‖P) = ${formatNumber(qp / Math.LN2, 4)} bits.`,
    );
  }

  function moveTo(x, y) {
    q = simplexFromXY(x, y);
    update();
  }

  function fromPointer(event) {
    const point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    const local = point.matrixTransform(svg.getScreenCTM().inverse());
    moveTo(...fromSvg(local.x, local.y));
  }

  svg.addEventListener("pointerdown", (event) => {
    svg.setPointerCapture(event.pointerId);
    fromPointer(event);
    handle.focus({ preventScroll: true });
  });
  svg.addEventListener("pointermove", (event) => {
    if (svg.hasPointerCapture(event.pointerId)) fromPointer(event);
  });
  const moves = {
    ArrowRight: [KEY_STEP, 0],
    ArrowLeft: [-KEY_STEP, 0],
    ArrowUp: [0, KEY_STEP],
    ArrowDown: [0, -KEY_STEP],
  };
  handle.addEventListener("keydown", (event) => {
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const [x, y] = ternaryXY(q);
    moveTo(x + move[0], y + move[1]);
  });

  panel.append(svg, shownQ, table.node, live.node);
  update();
}
