"""The Summary says only true things for every data set of the matrix (checked with scipy)."""

from __future__ import annotations

import math
import re

import pytest
import scipy.stats

from tests.datasets import VARIANTS, built_lecture, section_html, variant_raw, visible

pytestmark = pytest.mark.site  # builds the site with MkDocs

NUMBER = r"(−?[\d,]+(?:\.\d+)?)"


def _kl2(a: list[float], b: list[float]) -> float:
    return float(scipy.stats.entropy(a, b, base=2))


def _item(items: list[str], title: str) -> str:
    """The summary's numbered item that starts with ``title``."""
    return next(item for item in items if item.startswith(title))


@pytest.fixture(scope="module", params=list(VARIANTS))
def summary(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    variant = request.param
    raw = variant_raw(variant)
    names = list(raw["forest"]["p"])
    p = [raw["forest"]["p"][x] for x in names]
    q = [raw["forest"]["q"][x] for x in names]
    fragment = section_html(built_lecture(variant, tmp_path_factory), "summary")
    items = [visible(li) for li in re.findall(r"<li>(.*?)</li>", fragment, re.S)]
    return variant, names, p, q, items


def test_the_forest_divergence_is_stated_truly(summary) -> None:
    _, names, p, q, items = summary
    item = _item(items, "KL divergence")
    forward = _kl2(p, q)
    if p == q:
        assert "it is 0, because here Q is P" in item
    elif math.isinf(forward):
        assert "infinite" in item
        assert all(f"the {x}" in item for x, a, b in zip(names, p, q, strict=True) if b == 0 < a)
    else:
        found = re.search(r"it is " + NUMBER + " bits", item)
        assert found and float(found.group(1)) == pytest.approx(forward, abs=5e-7)


def test_the_two_directions_are_never_two_equal_numbers_set_against_each_other(summary) -> None:
    _, _, p, q, items = summary
    item = _item(items, "Not a distance")
    forward, backward = _kl2(p, q), _kl2(q, p)
    shown = [float(x.replace(",", "")) for x in re.findall(NUMBER + " bits", item)]
    if "while" in item:
        assert len(shown) >= 2 and shown[0] != shown[1]
        assert shown[0] == pytest.approx(forward, abs=5e-7)
        assert shown[1] == pytest.approx(backward, abs=5e-7)
    if p == q:
        assert "both directions are 0, but only because Q is P" in item
    elif math.isclose(forward, backward) and math.isfinite(forward):
        assert "happen to agree" in item
    assert re.search(r"totals " + NUMBER, item), item
    detour, direct = (
        float(x)
        for x in re.findall(
            r"totals " + NUMBER + r" bits, less than "
            r"the direct " + NUMBER,
            item,
        )[0]
    )
    assert detour < direct


def test_learning_never_claims_to_reach_a_zero_of_p(summary) -> None:
    variant, names, p, _, items = summary
    item = _item(items, "In AI")
    zeros = [x for x, a in zip(names, p, strict=True) if a == 0]
    if zeros:
        assert "without reaching 0" in item and all(f"the {x}" in item for x in zeros)
    else:
        assert "without reaching 0" not in item
    raw = variant_raw(variant)
    assert f"in {raw['learning']['steps']} steps" in item
