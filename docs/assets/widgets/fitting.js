/* Forward vs reverse KL in the browser, step for step as kl/measures/fitting.py and
   kl/lecture/sections/forward_vs_reverse.py compute them: P = ½ N(−d/2, 1) + ½ N(d/2, 1); the forward fit is
   moment matching (closed form); the reverse fits are the local minima of KL(Q‖P) that
   Nelder-Mead reaches over (mean, log sd) from a start at each peak and one at the
   forward fit, each KL by Simpson's rule on log densities. All KL values in nats.

   `constants` are kl.measures.fitting's (tail_sigmas, min_grid_points, max_grid_points,
   max_abs_log_sigma, same_minimum, kl_tie, off_centre), published by the build. */

import { normalLogPdf } from "./measures.js";

const NELDER_MEAD_STEP = 0.25;
const NELDER_MEAD_XTOL = 1e-9;
const NELDER_MEAD_MAX_ITER = 5000;

/* P, with the logs of its weights and normalising constants computed once (the same
   numbers kl computes afresh at each point). */
export function twoPeaked(separation) {
  const weights = [0.5, 0.5];
  const sigmas = [1, 1];
  return {
    weights,
    means: [-separation / 2, separation / 2],
    sigmas,
    logWeights: weights.map(Math.log),
    logNorms: sigmas.map((s) => Math.log(s * Math.sqrt(2 * Math.PI))),
    scratch: new Float64Array(weights.length),
  };
}

/* ln of the mixture's density at x, by log-sum-exp (kl.measures.fitting.Mixture.log_pdf). Plain
   loops: the fits call it a million times. */
function mixtureLogPdf(p, x) {
  const { weights, means, sigmas, logWeights, logNorms } = p;
  let top = -Infinity;
  const terms = p.scratch;
  let count = 0;
  for (let i = 0; i < weights.length; i++) {
    if (!(weights[i] > 0)) continue;
    const z = (x - means[i]) / sigmas[i];
    const t = logWeights[i] + (-0.5 * z * z - logNorms[i]);
    terms[count++] = t;
    if (t > top) top = t;
  }
  let sum = 0;
  for (let i = 0; i < count; i++) sum += Math.exp(terms[i] - top);
  return top + Math.log(sum);
}

function mixtureMean(p) {
  return p.weights.reduce((sum, w, i) => sum + w * p.means[i], 0);
}

function mixtureVariance(p) {
  const centre = mixtureMean(p);
  return p.weights.reduce(
    (sum, w, i) => sum + w * (p.sigmas[i] ** 2 + (p.means[i] - centre) ** 2),
    0,
  );
}

export function mixturePdf(p, x) {
  return Math.exp(mixtureLogPdf(p, x));
}

function gridPoints(c, p, width, sigma) {
  const narrowest = Math.min(...p.sigmas);
  const spread = Math.max(...p.means) - Math.min(...p.means);
  const feature = Math.min(sigma, narrowest, spread > 0 ? narrowest ** 2 / spread : narrowest);
  const n = Math.min(
    Math.max(c.min_grid_points, Math.ceil((4 * width) / feature) + 1),
    c.max_grid_points,
  );
  return n + 1 - (n % 2);
}

/* Simpson's weight of point i of n for unit spacing (as scipy.integrate.simpson weighs an
   odd number of points, which kl uses). */
function unitWeight(i, n) {
  if (i === 0 || i === n - 1) return 1 / 3;
  return (i % 2 === 1 ? 4 : 2) * (1 / 3);
}

/* Simpson's rule for the integral of a·ln(a/b) over n points `step` apart, where
   logA(i) and logB(i) are the log densities at point i (kl's _simpson_kl). */
function simpsonKl(n, step, logA, logB) {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const a = logA(i);
    total += Math.exp(a) * (a - logB(i)) * unitWeight(i, n);
  }
  return Math.max(0, total * step);
}

/* Point i of numpy's linspace(lo, hi, n): i · step + lo, the last exactly hi. */
function gridPoint(i, n, lo, hi, step) {
  return i === n - 1 ? hi : i * step + lo;
}

/* KL(P‖N(mean, sigma²)) in nats, over P's bounds (kl.measures.fitting.forward_kl). */
export function forwardKl(c, p, mean, sigma) {
  const lower = Math.min(...p.means.map((m, i) => m - c.tail_sigmas * p.sigmas[i]));
  const upper = Math.max(...p.means.map((m, i) => m + c.tail_sigmas * p.sigmas[i]));
  const n = gridPoints(c, p, upper - lower, sigma);
  const step = (upper - lower) / (n - 1);
  const x = (i) => gridPoint(i, n, lower, upper, step);
  return simpsonKl(
    n,
    step,
    (i) => mixtureLogPdf(p, x(i)),
    (i) => normalLogPdf(x(i), mean, sigma),
  );
}

/* KL(N(mean, sigma²)‖P) in nats, over mean ± tail_sigmas·sigma (kl.measures.fitting.reverse_kl). */
export function reverseKl(c, p, mean, sigma) {
  const n = gridPoints(c, p, 2 * c.tail_sigmas * sigma, sigma);
  const reach = c.tail_sigmas;
  const step = (2 * reach) / (n - 1);
  const logNorm = Math.log(sigma * Math.sqrt(2 * Math.PI));
  const z = (i) => gridPoint(i, n, -reach, reach, step);
  return simpsonKl(
    n,
    sigma * step,
    (i) => -0.5 * z(i) * z(i) - logNorm,
    (i) => mixtureLogPdf(p, mean + sigma * z(i)),
  );
}

/* Nelder-Mead with the standard coefficients, the method kl.measures.fitting runs with scipy.optimize. */
function nelderMead(f, start) {
  const n = start.length;
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => v + (i === j ? NELDER_MEAD_STEP : 0)))];
  let values = simplex.map(f);
  for (let iter = 0; iter < NELDER_MEAD_MAX_ITER; iter++) {
    const order = values.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    simplex = order.map(([, i]) => simplex[i]);
    values = order.map(([v]) => v);
    const spread = Math.max(...simplex.slice(1).flatMap((row) => row.map((v, j) => Math.abs(v - simplex[0][j]))));
    if (spread <= NELDER_MEAD_XTOL) return { x: simplex[0], value: values[0] };
    const centroid = start.map((_, j) => simplex.slice(0, n).reduce((s, row) => s + row[j], 0) / n);
    const worst = simplex[n];
    const reflected = centroid.map((c, j) => 2 * c - worst[j]);
    const fReflected = f(reflected);
    if (fReflected < values[0]) {
      const expanded = centroid.map((c, j) => 3 * c - 2 * worst[j]);
      const fExpanded = f(expanded);
      const better = fExpanded < fReflected;
      simplex[n] = better ? expanded : reflected;
      values[n] = better ? fExpanded : fReflected;
      continue;
    }
    if (fReflected < values[n - 1]) {
      simplex[n] = reflected;
      values[n] = fReflected;
      continue;
    }
    const towards = fReflected < values[n] ? reflected : worst;
    const contracted = centroid.map((c, j) => 0.5 * (c + towards[j]));
    const fContracted = f(contracted);
    if (fContracted < Math.min(fReflected, values[n])) {
      simplex[n] = contracted;
      values[n] = fContracted;
      continue;
    }
    for (let i = 1; i <= n; i++) {
      simplex[i] = simplex[i].map((v, j) => 0.5 * (simplex[0][j] + v));
      values[i] = f(simplex[i]);
    }
  }
  throw new Error("Nelder-Mead did not converge");
}

function reverseFitFrom(c, p, mean, sigma) {
  const objective = ([m, logSigma]) =>
    Math.abs(logSigma) > c.max_abs_log_sigma ? Infinity : reverseKl(c, p, m, Math.exp(logSigma));
  const { x, value } = nelderMead(objective, [mean, Math.log(sigma)]);
  return { mean: x[0], sd: Math.exp(x[1]), kl_nats: value };
}

function sameFit(c, a, b) {
  return (
    Math.abs(a.mean - b.mean) < c.same_minimum &&
    Math.abs(Math.log(a.sd / b.sd)) < c.same_minimum
  );
}

/* Both fits for peaks `separation` apart, as kl.lecture.sections.forward_vs_reverse.fits_for: the forward fit
   and each reverse minimum (lowest KL(Q‖P) first, minima within kl_tie of each other
   larger mean first), each with
   mean, sd, kl_pq_nats, kl_qp_nats; reverse ones also with centred and best. */
export function fits(c, separation) {
  const p = twoPeaked(separation);
  const mean = mixtureMean(p);
  const sd = Math.sqrt(mixtureVariance(p));
  const starts = [...p.means.map((m, i) => [m, p.sigmas[i]]), [mean, sd]];
  const found = [];
  for (const [m, s] of starts) {
    const fit = reverseFitFrom(c, p, m, s);
    if (!found.some((other) => sameFit(c, fit, other))) found.push(fit);
  }
  found.sort((a, b) => a.kl_nats - b.kl_nats);
  const groups = [];
  for (const fit of found) {
    const group = groups.at(-1);
    if (group && fit.kl_nats - group[0].kl_nats <= c.kl_tie) group.push(fit);
    else groups.push([fit]);
  }
  const minima = groups.flatMap((group) => group.sort((a, b) => b.mean - a.mean));
  const lowest = minima[0].kl_nats + c.kl_tie;
  const both = (fit) => ({
    mean: fit.mean,
    sd: fit.sd,
    kl_pq_nats: forwardKl(c, p, fit.mean, fit.sd),
    kl_qp_nats: reverseKl(c, p, fit.mean, fit.sd),
  });
  return {
    p,
    forward: both({ mean, sd }),
    reverse: minima.map((fit) => ({
      ...both(fit),
      centred: Math.abs(fit.mean) <= c.off_centre,
      best: fit.kl_nats <= lowest,
    })),
  };
}
