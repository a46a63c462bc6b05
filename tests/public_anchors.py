"""The public anchors as first published, written out independently of docs/anchors.toml
so that a test notices when the contract file itself loses one."""

SECTIONS = [
    "recap",
    "definition",
    "forest-example",
    "coding-intuition",
    "zero-to-infinity",
    "not-a-distance",
    "cross-entropy-decomposition",
    "continuous",
    "forward-vs-reverse",
    "kl-in-ai",
    "summary",
    "exercises",
]
FIGURES = [
    "hero",
    "forest-bars",
    "code-lengths",
    "extra-bits",
    "zero-to-infinity",
    "simplex",
    "decomposition",
    "continuous-integrand",
    "forward-reverse",
    "vae-kl",
    "learning",
]
FORMULAS = [
    "eq-entropy",
    "eq-cross-entropy",
    "eq-kl-discrete",
    "eq-kl-continuous",
    "eq-decomposition",
    "eq-gibbs",
    "eq-kl-normal",
    "eq-kl-mvn",
    "eq-vae-kl",
    "eq-mle",
    "eq-bits-nats",
]
