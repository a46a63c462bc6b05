/* An exercise's answer checker: the reader types an answer, and each field says whether
   it is right, within the tolerance its page states.

   The form (docs/includes/checks.jinja) holds everything: each field's answer, its
   tolerance and its unit in data attributes, computed by the build (kl/lecture/answer_checks.py),
   with the answer and the tolerance as the page writes them,
   and every sentence the checker can say, in .kl-check__sentences. This module only
   shows the form (hidden without JavaScript), reads the reader's number, converts
   between bits and nats (1 bit = ln 2 nats) where the field offers both, and copies the
   fitting sentence into the field's live region with its numbers filled in. An answer of
   ∞ is matched only by ∞ (typed ∞, inf or infinity). */

const INFINITE = /^\+?(∞|inf|infinity)$/i;
const FLOAT_SLACK = 1e-9;
const NUMBER = /^[+\-−]?(\d+\.?\d*|\.\d+)(e[+\-−]?\d+)?$/i;

/* The reader's text as a number, or NaN: a true minus sign, spaces, a decimal comma (when
   there is no point) and thousands commas (when there is one) are read as a person means
   them. */
export function readNumber(text) {
  let plain = text.trim().replace(/\s+/g, "");
  if (INFINITE.test(plain)) return Infinity;
  if (plain.includes(".")) plain = plain.replaceAll(",", "");
  else plain = plain.replace(/^([+\-−]?\d+),(\d+)$/, "$1.$2");
  if (!NUMBER.test(plain)) return Number.NaN;
  return Number(plain.replaceAll("−", "-"));
}

/* x, in `from` units, in `to` units ("bits", "nats" or "" for a plain number). */
function converted(x, from, to) {
  if (from === to || !from) return x;
  return from === "bits" ? x * Math.LN2 : x / Math.LN2;
}

function formatted(x, decimals) {
  if (x === Infinity) return "∞";
  return x.toFixed(decimals).replace("-", "−");
}

/* "right", "low" (the answer is larger), "high", "unreadable" or "empty". */
export function verdict(text, answer, tolerance) {
  if (!text.trim()) return "empty";
  const x = readNumber(text);
  if (Number.isNaN(x)) return "unreadable";
  if (answer === Infinity) return x === Infinity ? "right" : "low";
  if (x === Infinity) return "high";
  // "Within ±0.00005" includes 0.00005 itself, which binary floats can overshoot by a hair
  // (0.03125 typed as 0.0313 or 0.0312).
  if (Math.abs(x - answer) <= tolerance * (1 + FLOAT_SLACK)) return "right";
  return x < answer ? "low" : "high";
}

function mountField(field, sentences) {
  const input = field.querySelector(".kl-check__input");
  const unitChoice = field.querySelector("select.kl-check__unit");
  const live = field.querySelector(".kl-check__verdict");
  const native = field.dataset.unit;
  const answer = Number(field.dataset.answer);
  const tolerance = Number(field.dataset.tolerance);
  const decimals = Number(field.dataset.decimals);
  const unitWord = () =>
    unitChoice
      ? unitChoice.selectedOptions[0].textContent
      : (field.querySelector("[data-unit-word]")?.textContent ?? "");
  /* The field's verdict; with `quiet`, an empty box says nothing. */
  return function check(quiet) {
    if (quiet && !input.value.trim()) {
      live.textContent = "";
      delete field.dataset.verdict;
      input.removeAttribute("aria-invalid");
      return "empty";
    }
    const unit = unitChoice ? unitChoice.value : native;
    const want = converted(answer, native, unit);
    const said = verdict(input.value, want, tolerance);
    const sentence = sentences.querySelector(`[data-verdict="${said}"]`).cloneNode(true);
    const unitText = unitWord() ? ` ${unitWord()}` : "";
    const fill = {
      // In its own unit, the answer as the page shows it; in the other, to as many decimals.
      answer: unit === native ? field.dataset.answerText : formatted(want, decimals),
      unit: unitText,
      tolerance: field.dataset.toleranceText + unitText,
    };
    for (const slot of sentence.querySelectorAll("[data-fill]")) {
      slot.textContent = fill[slot.dataset.fill];
    }
    live.textContent = sentence.textContent;
    field.dataset.verdict = said;
    input.setAttribute("aria-invalid", String(said !== "right" && said !== "empty"));
    return said;
  };
}

export function mount(form) {
  const sentences = form.querySelector(".kl-check__sentences");
  const inputs = [...form.querySelectorAll(".kl-check__input")];
  const checks = [...form.querySelectorAll(".kl-check__field")].map((field) =>
    mountField(field, sentences),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    // Only the boxes the reader filled are judged; with all of them empty, each says so.
    const anyFilled = inputs.some((input) => input.value.trim());
    for (const check of checks) check(anyFilled);
  });
  form.hidden = false;
}
