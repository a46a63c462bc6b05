/* The lecture's measures in the browser, term for term as the `kl` package computes them
   (kl/measures/discrete.py, kl/measures/continuous.py, kl/measures/gaussian.py, kl/measures/fitting.py), so that a widget's
   numbers agree with the lecture's to rounding. Results are in nats; bits divide by ln 2.
   Pure functions, no DOM. */

export const SMALLEST_NORMAL = 2.2250738585072014e-308; // numpy's finfo(float64).tiny
const LOG_SQRT_2PI_FACTOR = Math.sqrt(2 * Math.PI);

/* Python's math.fsum: the correctly rounded sum (Shewchuk's partials), so long sums such
   as Simpson's rule over 4001 points round as kl's do. +inf in the terms gives +inf. */
export function fsum(values) {
  const partials = [];
  let special = 0;
  for (let x of values) {
    if (!Number.isFinite(x)) {
      special += x;
      continue;
    }
    let i = 0;
    for (let y of partials) {
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    partials.push(x);
  }
  if (special !== 0 || Number.isNaN(special)) return special;
  let total = 0;
  for (let j = partials.length - 1; j >= 0; j--) {
    const x = total;
    total = x + partials[j];
    const lo = partials[j] - (total - x);
    if (lo !== 0) {
      // Round half to even across the remaining partials, as CPython does.
      if (j > 0 && ((lo < 0 && partials[j - 1] < 0) || (lo > 0 && partials[j - 1] > 0))) {
        const y = lo * 2;
        const x2 = total + y;
        if (y === x2 - total) total = x2;
      }
      break;
    }
  }
  return total;
}

/* ---- discrete distributions (kl/measures/discrete.py) ---- */

export function logRatio(p, q) {
  const ratio = p / q;
  return Number.isFinite(ratio) && ratio >= SMALLEST_NORMAL
    ? Math.log(ratio)
    : Math.log(p) - Math.log(q);
}

function nonNegativeSum(terms) {
  return Math.max(0, fsum(terms));
}

export function entropy(p) {
  return nonNegativeSum(p.filter((x) => x > 0).map((x) => -x * Math.log(x)));
}

function missesSupport(p, q) {
  return p.some((x, i) => x > 0 && q[i] === 0);
}

export function crossEntropy(p, q) {
  if (missesSupport(p, q)) return Infinity;
  return nonNegativeSum(p.flatMap((x, i) => (x > 0 ? [-x * Math.log(q[i])] : [])));
}

/* KL(P‖Q) as the sum of max(p ln(p/q) − p + q, 0) over p > 0, plus q where p = 0. */
export function klDivergence(p, q) {
  if (missesSupport(p, q)) return Infinity;
  const onSupport = p.flatMap((x, i) =>
    x > 0 ? [Math.max(x * logRatio(x, q[i]) - x + q[i], 0)] : [],
  );
  const offSupport = p.flatMap((x, i) => (x > 0 ? [] : [q[i]]));
  return nonNegativeSum([...onSupport, ...offSupport]);
}

/* exp(z) / Σ exp(z), shifted by the largest logit (kl.measures.fitting.softmax). */
export function softmax(logits) {
  const top = Math.max(...logits);
  const e = logits.map((z) => Math.exp(z - top));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / total);
}

/* ---- continuous densities (kl/measures/continuous.py, kl/measures/gaussian.py) ---- */

export function normalPdf(x, mu, sigma) {
  const z = (x - mu) / sigma;
  return Math.exp(-0.5 * z * z) / (sigma * LOG_SQRT_2PI_FACTOR);
}

/* numpy's linspace(0, 1, n)[i]: i · (1 / (n − 1)), the last point exactly 1. */
function unitGrid(n) {
  const step = 1 / (n - 1);
  const t = Array.from({ length: n }, (_, i) => i * step);
  t[n - 1] = 1;
  return t;
}

/* Composite Simpson weights for n (odd, >= 3) points h apart: the rule kl.measures.continuous
   applies with scipy.integrate.simpson. */
export function simpsonWeights(n, h) {
  const third = h / 3;
  return Array.from({ length: n }, (_, i) => {
    if (i === 0 || i === n - 1) return third;
    return (i % 2 === 1 ? 4 : 2) * third;
  });
}

/* The grid of kl.measures.continuous.kl_numeric: lower + t (upper − lower), its last point upper. */
export function integrationGrid(lower, upper, points) {
  const x = unitGrid(points).map((t) => lower + t * (upper - lower));
  x[points - 1] = upper;
  return { x, weights: simpsonWeights(points, (upper - lower) / (points - 1)) };
}

/* The log density of N(mu, sigma²) at x (kl.measures.fitting's _normal_log_pdf). */
export function normalLogPdf(x, mu, sigma) {
  const z = (x - mu) / sigma;
  return -0.5 * z * z - Math.log(sigma * LOG_SQRT_2PI_FACTOR);
}

/* p (ln p − ln q) at one point from log densities (kl.measures.continuous.kl_numeric_log): 0 where
   p underflows to 0, +inf only where ln q is −inf and p > 0. */
export function klLogIntegrand(logP, logQ) {
  const p = Math.exp(logP);
  return p > 0 ? p * (logP - logQ) : 0;
}

/* Simpson's sum of an integrand on a grid, in nats, and its parts above and below 0:
   total is never below 0 and is inf if any term is (as kl's _integrate). */
export function integrateParts(weights, integrand) {
  const weighted = integrand.map((v, i) => weights[i] * v);
  return {
    total: Math.max(0, fsum(weighted)),
    above: fsum(weighted.filter((v) => v > 0)),
    below: fsum(weighted.filter((v) => v < 0)),
  };
}

/* KL(N(mu1, s1²) ‖ N(mu2, s2²)) in nats, as kl.measures.gaussian.kl_normal writes it. */
export function klNormal(mu1, s1, mu2, s2) {
  const ratio = s2 / s1;
  const logR = ratio > 0 && ratio < Infinity ? Math.log(ratio) : Math.log(s2) - Math.log(s1);
  const varianceTerm = 0.5 * (Math.expm1(-2 * logR) + 2 * logR);
  const diff = mu1 - mu2;
  const z = Number.isFinite(diff) ? diff / s2 : 2 * ((0.5 * mu1 - 0.5 * mu2) / s2);
  return Math.max(0, varianceTerm + 0.5 * z * z);
}
