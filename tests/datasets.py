"""The data-variant matrix: the lecture built from many data files an author might write.

Each variant changes the default `docs/data/lecture.toml` in one way that changes what the
prose must say: Q = P, another P, a fourth animal, a zero in Q or in P, a narrow poor fit,
peaks 5.2 apart, Q a permutation of P. `built_lecture(name)` builds the whole site for one
variant with a real `mkdocs build --strict` (once in a test run) and `lecture_text`
gives the visible text of one section of the built lecture, as a reader sees it.
"""

from __future__ import annotations

import copy
import html
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from tests.sitebuild import (
    ROOT,
    copy_project,
    made_once,
    mkdocs_build,
    session_cache,
    shared_site,
)

DATA = Path("docs") / "data" / "lecture.toml"
Raw = dict[str, Any]


def default_raw() -> Raw:
    """The default data file, parsed."""
    return tomllib.loads((ROOT / DATA).read_text(encoding="utf-8"))


def _forest(raw: Raw, p: dict[str, float] | None = None, q: dict[str, float] | None = None) -> Raw:
    raw = copy.deepcopy(raw)
    if p is not None:
        raw["forest"]["p"] = p
    if q is not None:
        raw["forest"]["q"] = q
    return raw


def q_equals_p(raw: Raw) -> Raw:
    return _forest(raw, q=dict(raw["forest"]["p"]))


def p_70_20_10(raw: Raw) -> Raw:
    return _forest(raw, p=dict(zip(raw["forest"]["p"], (0.7, 0.2, 0.1), strict=True)))


def four_animals(raw: Raw) -> Raw:
    """A Fox, with a tenth of the first animal's share in each distribution."""
    p, q = dict(raw["forest"]["p"]), dict(raw["forest"]["q"])
    first = next(iter(p))
    for dist in (p, q):
        moved = round(dist[first] / 10, 12)
        dist[first] = round(dist[first] - moved, 12)
        dist["Fox"] = moved
    return _forest(raw, p, q)


def q_rules_out(raw: Raw) -> Raw:
    """Q gives P's rarest animal probability 0 (its share goes to Q's first animal)."""
    p, q = raw["forest"]["p"], dict(raw["forest"]["q"])
    rare, first = min(p, key=p.__getitem__), next(iter(q))
    q[first], q[rare] = q[first] + q[rare], 0.0
    return _forest(raw, q=q)


def p_has_zero(raw: Raw) -> Raw:
    """P gives its rarest animal probability 0 (its share goes to P's first animal)."""
    p = dict(raw["forest"]["p"])
    rare, first = min(p, key=p.__getitem__), next(iter(p))
    p[first], p[rare] = p[first] + p[rare], 0.0
    return _forest(raw, p=p)


def narrow_poor_fit(raw: Raw) -> Raw:
    """The infographic's poor fit narrower than P, still off to one side."""
    raw = copy.deepcopy(raw)
    raw["curves"]["poor"] = {"mean": 1.5, "sd": 0.5}
    return raw


def peaks_5_2_apart(raw: Raw) -> Raw:
    raw = copy.deepcopy(raw)
    raw["fitting"]["separation"] = 5.2
    return raw


def q_permutes_p(raw: Raw) -> Raw:
    """Q swaps P's two likeliest animals' probabilities."""
    p = raw["forest"]["p"]
    first, second, *_ = sorted(p, key=lambda x: -p[x])
    return _forest(raw, q={**p, first: p[second], second: p[first]})


VARIANTS: dict[str, Callable[[Raw], Raw]] = {
    "default": lambda raw: raw,
    "q-equals-p": q_equals_p,
    "p-70-20-10": p_70_20_10,
    "four-animals": four_animals,
    "q-rules-out": q_rules_out,
    "p-has-zero": p_has_zero,
    "narrow-poor-fit": narrow_poor_fit,
    "peaks-5.2-apart": peaks_5_2_apart,
    "q-permutes-p": q_permutes_p,
}


def variant_raw(name: str) -> Raw:
    """The data of variant ``name``, as parsed TOML."""
    return VARIANTS[name](default_raw())


# Variants built with a figure cache of their own, so that each of their figures is drawn from
# their data: p-70-20-10's figures are compared byte for byte with the default's, to show
# which change with the forest (tests/pages/test_other_data.py).
DRAWN_ANEW = {"p-70-20-10"}


def built_lecture(name: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from variant ``name`` (once in the run, `tests.sitebuild.made_once`);
    returns the site folder. The default variant is the data file as it stands: its site
    is the run's shared one. The others share the run's build cache (but those of
    DRAWN_ANEW)."""
    if name == "default":
        return shared_site(tmp_path_factory)

    def build(work: Path) -> None:
        root = copy_project(work / "project")
        (root / DATA).write_text(tomli_w.dumps(variant_raw(name)), encoding="utf-8")
        cache = str(work / "cache") if name in DRAWN_ANEW else session_cache(tmp_path_factory)
        mkdocs_build(root, work / "site", KL_CACHE_DIR=cache)

    return made_once(tmp_path_factory, f"variant-{name}", build) / "site"


_TAG = re.compile(r"<[^>]+>")
_HIDDEN = re.compile(r"<(script|style|svg|math)\b.*?</\1>", re.S)


def page_html(site: Path, page: str = "index.html") -> str:
    return (site / page).read_text(encoding="utf-8")


def section_html(site: Path, anchor: str, page: str = "index.html") -> str:
    """The HTML of the section whose heading has id ``anchor``, up to the next h2."""
    text = page_html(site, page)
    start = text.index(f'id="{anchor}"')
    end = text.find("<h2", start)
    return text[start : end if end != -1 else len(text)]


def without_embedded(fragment: str) -> str:
    """An HTML fragment without its scripts, styles, SVGs and formulas: the page's own
    markup and text."""
    return _HIDDEN.sub(" ", fragment)


def visible(fragment: str) -> str:
    """The text a reader sees in an HTML fragment, whitespace collapsed (formulas dropped)."""
    text = html.unescape(_TAG.sub(" ", without_embedded(fragment)))
    return re.sub(r"\s+", " ", text).strip()


def lecture_text(site: Path, anchor: str, page: str = "index.html") -> str:
    """The visible text of one section of the built lecture."""
    return visible(section_html(site, anchor, page))
