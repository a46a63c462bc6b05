"""Fuzzing the measures with arbitrary input: a float that is not NaN, or DistributionError.

The lecture's measures (entropy, cross-entropy, KL of discrete distributions) are called
with whatever hypothesis can make of floats (NaN, ±inf, ±0, subnormals, the largest
floats, negatives), integers too large for a float, booleans, strings, None, ragged and
nested lists, arrays and mappings, and with arbitrary bases. The Gaussian and grid
measures get the same junk, but numbers only from the range their docstrings support
(`kl.measures.gaussian`, `kl.measures.continuous`), plus NaN and ±inf, which they must
reject. The only acceptable outcomes are a float that is not NaN (inf is allowed) and
`kl.errors.DistributionError`. numpy warnings count as failures: a measure must not reach its
answer through an overflow or an invalid operation it did not plan for.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kl.errors import DistributionError
from kl.measures.continuous import kl_numeric, kl_numeric_log, normal_pdf
from kl.measures.discrete import cross_entropy, entropy, kl_divergence
from kl.measures.gaussian import kl_mvn, kl_normal, kl_to_standard_normal
from tests.strategies import distribution_pairs, distributions

FUZZ = settings(deadline=None)  # examples: the profile's (tests/conftest.py)

EXTREMES = [
    0.0,
    -0.0,
    5e-324,  # the smallest subnormal
    2.2250738585072014e-308,  # the smallest normal float
    1e-300,
    1.0,
    1.7976931348623157e308,  # the largest float
    -1.7976931348623157e308,
    math.inf,
    -math.inf,
    math.nan,
]

any_float = st.one_of(st.sampled_from(EXTREMES), st.floats())
non_negative_float = st.one_of(
    st.sampled_from([0.0, 5e-324, 1e-300, 1.0, 1.7976931348623157e308]),
    st.floats(min_value=0.0, allow_infinity=False),
)
# The numbers kl.measures.gaussian and kl.measures.continuous support, and those they must reject.
NOT_FINITE = [math.inf, -math.inf, math.nan]
supported_float = st.one_of(
    st.sampled_from([0.0, -0.0, 1e-100, 1.0, 1e100, -1e100, *NOT_FINITE]),
    st.floats(min_value=-1e100, max_value=1e100),
)
supported_sigma = st.one_of(
    st.sampled_from([1e-50, 1.0, 1e50, 0.0, -1.0, *NOT_FINITE]),
    st.floats(min_value=1e-50, max_value=1e50),
)
junk = st.one_of(st.none(), st.text(max_size=3), st.just(1j), st.integers(min_value=10**309))
number = st.one_of(any_float, st.integers(), st.booleans())
entry = st.one_of(number, junk)
supported_number = st.one_of(supported_float, st.integers(-(10**6), 10**6), st.booleans(), junk)
sigma_number = st.one_of(supported_sigma, st.integers(-3, 10**6), junk)
supported_vector = st.one_of(
    st.lists(supported_number, max_size=6),
    arrays(
        np.float64,
        st.integers(0, 2).flatmap(lambda nd: st.tuples(*[st.integers(0, 3)] * nd)),
        elements=supported_float,
    ),
    st.lists(st.lists(supported_float, max_size=3), max_size=3),
    supported_number,
)

# Shapes a caller might pass: flat lists and tuples of anything, float arrays of any
# dimension, mappings (string or integer keys), nested lists, and a bare scalar.
vector = st.one_of(
    st.lists(entry, max_size=6),
    st.lists(number, max_size=6).map(tuple),
    st.lists(non_negative_float, min_size=1, max_size=6),
    arrays(
        np.float64,
        st.integers(0, 2).flatmap(lambda nd: st.tuples(*[st.integers(0, 3)] * nd)),
        elements=any_float,
    ),
    st.dictionaries(st.one_of(st.text(max_size=2), st.integers(0, 3)), entry, max_size=5),
    st.dictionaries(st.sampled_from("abcd"), non_negative_float, min_size=1),
    st.lists(st.lists(any_float, max_size=3), max_size=3),
    entry,
)
distribution_like = st.one_of(vector, distributions().map(list))
base = st.one_of(
    st.sampled_from([2.0, math.e, 10.0, 0.5, 1.0, 1 + 2**-52, 1 - 2**-53]),
    number,
    junk,
)


@pytest.fixture(autouse=True)
def _numpy_warnings_are_errors() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(divide="raise", invalid="raise", over="raise"):
            yield


def call(measure: Callable[..., float], *args: Any, **kwargs: Any) -> float | None:
    """The measure's result, checked to be a float that is not NaN; None for DistributionError.

    Any other exception propagates and fails the test. Where the base is a real number
    above 1 the result is also checked to be >= 0 (every measure here is).
    """
    try:
        result = measure(*args, **kwargs)
    except DistributionError:
        return None
    assert isinstance(result, float), f"returned {type(result).__name__} {result!r}"
    assert not math.isnan(result), "returned NaN"
    b = kwargs.get("base", math.e)
    if isinstance(b, int | float) and not isinstance(b, bool) and b > 1:
        assert result >= 0, f"returned a negative value {result!r} for base {b!r}"
    return result


@FUZZ
@given(p=distribution_like, b=base, normalize=st.booleans())
def test_entropy(p: object, b: object, normalize: bool) -> None:
    call(entropy, p, base=b, normalize=normalize)


@FUZZ
@given(p=distribution_like, q=distribution_like, b=base, normalize=st.booleans())
def test_cross_entropy_and_kl_divergence(p: object, q: object, b: object, normalize: bool) -> None:
    call(cross_entropy, p, q, base=b, normalize=normalize)
    call(kl_divergence, p, q, base=b, normalize=normalize)


@FUZZ
@given(pair=distribution_pairs(q_zeros=True), b=base)
def test_measures_of_valid_distributions_never_fail(
    pair: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]], b: object
) -> None:
    p, q = pair
    for measure in (cross_entropy, kl_divergence):
        call(measure, p, q, base=b)
    call(entropy, p, base=b)
    if not isinstance(b, bool) and b in (2.0, math.e, 10.0):
        assert call(kl_divergence, p, q, base=b) is not None


@FUZZ
@given(mu1=supported_number, sigma1=sigma_number, mu2=supported_number, sigma2=sigma_number, b=base)
def test_kl_normal(mu1: object, sigma1: object, mu2: object, sigma2: object, b: object) -> None:
    call(kl_normal, mu1, sigma1, mu2, sigma2, base=b)


@FUZZ
@given(mu1=supported_float, sigma1=supported_sigma, mu2=supported_float, sigma2=supported_sigma)
def test_kl_normal_with_sound_parameters_is_a_number(
    mu1: float, sigma1: float, mu2: float, sigma2: float
) -> None:
    finite_positive = [math.isfinite(s) and s > 0 for s in (sigma1, sigma2)]
    finite = [math.isfinite(m) for m in (mu1, mu2)]
    result = call(kl_normal, mu1, sigma1, mu2, sigma2)
    assert (result is not None) == (all(finite_positive) and all(finite))


matrix = st.one_of(
    arrays(
        np.float64,
        st.sampled_from([(1, 1), (2, 2), (3, 3), (2, 3), (2,)]),
        elements=st.one_of(st.floats(-1e50, 1e50), st.sampled_from(NOT_FINITE)),
    ),
    st.lists(st.lists(supported_number, max_size=3), max_size=3),
    supported_number,
)


@st.composite
def covariances(draw: st.DrawFn, k: int) -> npt.NDArray[np.float64]:
    """A symmetric matrix A Aᵀ + d I with eigenvalues within the supported 1e-50 to 1e50:
    often well conditioned, sometimes barely positive definite in floating point."""
    a = draw(arrays(np.float64, (k, k), elements=st.floats(-1e20, 1e20)))
    d = draw(st.sampled_from([1e-50, 1e-8, 1.0, 1e40]))
    cov: npt.NDArray[np.float64] = a @ a.T + d * np.eye(k)
    return cov


@FUZZ
@given(mu1=supported_vector, cov1=matrix, mu2=supported_vector, cov2=matrix, b=base)
@example(mu1=[0.0, 0.0], cov1=[[1.0, 1e50], [-1e50, 1.0]], mu2=[0, 0], cov2=np.eye(2), b=2)
@example(mu1=[1e100], cov1=[[1e-50]], mu2=[-1e100], cov2=[[1e-50]], b=math.e)
@example(mu1=[0.0], cov1=[[1e50]], mu2=[0.0], cov2=[[1e-50]], b=math.e)
@example(mu1=0.0, cov1=1e-100, mu2=14044539.0, cov2=1.0972343920118848e-294, b=2.0)  # inf
def test_kl_mvn_on_anything(
    mu1: object, cov1: object, mu2: object, cov2: object, b: object
) -> None:
    call(kl_mvn, mu1, cov1, mu2, cov2, base=b)


@FUZZ
@given(data=st.data(), k=st.integers(1, 3))
def test_kl_mvn_on_extreme_covariances(data: st.DataObject, k: int) -> None:
    mean = arrays(np.float64, (k,), elements=supported_float)
    call(
        kl_mvn,
        data.draw(mean),
        data.draw(covariances(k)),
        data.draw(mean),
        data.draw(covariances(k)),
    )


@FUZZ
@given(mu=supported_vector, sigma=supported_vector, b=base)
def test_kl_to_standard_normal(mu: object, sigma: object, b: object) -> None:
    call(kl_to_standard_normal, mu, sigma, base=b)


Density = Callable[[npt.NDArray[np.float64]], object]
# Densities kl.measures.continuous supports (at most 1e10, 0 included) and values it must reject.
density_value = st.one_of(
    st.sampled_from([0.0, 5e-324, 1e-300, 1.0, 1e10, -1.0, *NOT_FINITE]),
    st.floats(min_value=0.0, max_value=1e10),
)
# Log densities kl.measures.continuous supports (-inf, or -1e4 to 23) and values it must reject.
log_density_value = st.one_of(
    st.sampled_from([-math.inf, -1e4, 0.0, 23.0, math.inf, math.nan]),
    st.floats(min_value=-1e4, max_value=23.0),
)


@st.composite
def densities(draw: st.DrawFn, value: st.SearchStrategy[float]) -> Density:
    """Vectorised "densities" (or log densities) that return ``value``s (supported or
    rejected), a normal density, wrong shapes or odd types."""
    kind = draw(st.sampled_from(["constant", "step", "normal", "values", "scalar", "short"]))
    a, b = draw(value), draw(value)
    if kind == "constant":
        return lambda x: np.full_like(x, a)
    if kind == "step":
        return lambda x: np.where(x > 0, a, b)
    if kind == "normal":
        mu = draw(st.floats(-1e3, 1e3))
        sigma = draw(st.floats(min_value=1e-3, max_value=1e3))

        def density(x: npt.NDArray[np.float64]) -> object:
            if value is log_density_value:
                return -0.5 * ((x - mu) / sigma) ** 2 - math.log(sigma * math.sqrt(2 * math.pi))
            with np.errstate(under="ignore"):
                return normal_pdf(x, mu, sigma)

        return density
    if kind == "values":
        values = np.asarray(draw(st.lists(value, min_size=1, max_size=5)))
        return lambda x: np.resize(values, x.shape)
    if kind == "scalar":
        return lambda x: a
    return lambda x: np.full(max(x.size - 1, 0), a)


GRID = {
    "points": st.one_of(st.integers(-3, 41), st.sampled_from([3.0, 4.5, math.nan]), junk),
    "lower": supported_float,
    "upper": supported_float,
    "b": base,
}


@FUZZ
@pytest.mark.parametrize(
    ("measure", "value"), [(kl_numeric, density_value), (kl_numeric_log, log_density_value)]
)
@given(data=st.data(), **GRID)
def test_kl_numeric(
    measure: Callable[..., float],
    value: st.SearchStrategy[float],
    data: st.DataObject,
    lower: float,
    upper: float,
    points: object,
    b: object,
) -> None:
    """Both grid measures, with densities (or log densities) from their supported range."""
    p, q = data.draw(densities(value)), data.draw(densities(value))
    call(measure, p, q, lower, upper, points=points, base=b)
