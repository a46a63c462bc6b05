"""Forward vs reverse KL (SPEC section 9): one normal Q fitted to a two-peaked P both ways.

P is an equal mix of two unit-variance normals ``data.fitting.separation`` apart
(`kl.measures.fitting.two_peaked`). Minimising KL(P||Q) gives the moment-matched normal, which
covers both peaks. Minimising KL(Q||P) has up to three local minima: a wide one centred
between the peaks and, once the peaks are far enough apart, one on each peak; which of
them is lowest depends on the separation (`kl.measures.fitting.reverse_fit_thresholds`). All KL
values here are in nats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from kl.lecture.data import LectureData
from kl.lecture.formatting import format_number
from kl.lecture.tables import Label, Table
from kl.lecture.values import Fact, Value
from kl.measures.fitting import (
    KL_TIE,
    OFF_CENTRE,
    GaussianFit,
    Mixture,
    ReverseFitThresholds,
    forward_kl,
    forward_kl_fit,
    reverse_fit_thresholds,
    reverse_kl,
    reverse_kl_fit,
    two_peaked,
)


@dataclass(frozen=True)
class Fit:
    """A fitted normal N(mean, sd^2) with both of its divergences from P, in nats; ``best``
    is None for the forward fit, else whether this reverse fit is the lowest (within KL_TIE)."""

    mean: float
    sd: float
    kl_pq_nats: float
    kl_qp_nats: float
    best: bool | None = None

    @property
    def centred(self) -> bool:
        return abs(self.mean) <= OFF_CENTRE

    @property
    def place(self) -> str:
        """Where its peak is: "centred", "right" or "left"."""
        return "centred" if self.centred else ("right" if self.mean > 0 else "left")


@dataclass(frozen=True)
class Fits:
    """The forward fit and every local minimum of reverse KL found, the lowest first."""

    p: Mixture
    forward: Fit
    reverse: tuple[Fit, ...]

    @property
    def best_reverse(self) -> Fit:
        return self.reverse[0]


def _both_ways(p: Mixture, fit: GaussianFit, best: bool | None = None) -> Fit:
    return Fit(
        mean=fit.mean,
        sd=fit.sigma,
        kl_pq_nats=forward_kl(p, fit.mean, fit.sigma),
        kl_qp_nats=reverse_kl(p, fit.mean, fit.sigma),
        best=best,
    )


@lru_cache(maxsize=4)
def fits_for(separation: float) -> Fits:
    """Both fits for the two-peaked P with peaks ``separation`` apart (cached)."""
    p = two_peaked(separation)
    minima = reverse_kl_fit(p).minima
    lowest = minima[0].kl_nats + KL_TIE
    return Fits(
        p=p,
        forward=_both_ways(p, forward_kl_fit(p)),
        reverse=tuple(_both_ways(p, fit, fit.kl_nats <= lowest) for fit in minima),
    )


def fits(data: LectureData) -> Fits:
    """Both fits for the data file's two-peaked P."""
    return fits_for(data.fitting.separation)


@lru_cache(maxsize=1)
def thresholds() -> ReverseFitThresholds:
    """The separations where one-peak minima of reverse KL appear and where they win (cached)."""
    return reverse_fit_thresholds()


def values(data: LectureData) -> dict[str, Fact]:
    """The fits' parameters and divergences (nats), and what reverse KL does at this
    separation: whether its best fit is the centred one, how many other local minima it
    has and, where one exists, the lowest one-peak minimum and the centred one."""
    result, limits = fits(data), thresholds()
    forward, best = result.forward, result.best_reverse
    others = result.reverse[1:]
    peaks = [fit for fit in result.reverse if not fit.centred]
    centred = [fit for fit in result.reverse if fit.centred]
    out: dict[str, Fact] = {
        "forward_vs_reverse.separation": Value(data.fitting.separation, kind="probability"),
        "forward_vs_reverse.half_separation": Value(
            data.fitting.separation / 2, kind="probability"
        ),
        "forward_vs_reverse.forward_mean": Value(forward.mean, digits=2),
        "forward_vs_reverse.forward_sd": Value(forward.sd, digits=3),
        "forward_vs_reverse.forward_kl_pq_nats": Value(forward.kl_pq_nats, digits=3),
        "forward_vs_reverse.forward_kl_qp_nats": Value(forward.kl_qp_nats, digits=3),
        "forward_vs_reverse.reverse_mean": Value(best.mean, digits=3),
        "forward_vs_reverse.reverse_sd": Value(best.sd, digits=3),
        "forward_vs_reverse.reverse_kl_pq_nats": Value(best.kl_pq_nats, digits=3),
        "forward_vs_reverse.reverse_kl_qp_nats": Value(best.kl_qp_nats, digits=3),
        "forward_vs_reverse.best_is_centred": best.centred,
        "forward_vs_reverse.has_peak_minima": bool(peaks),
        "forward_vs_reverse.has_centred_minimum": bool(centred),
        "forward_vs_reverse.two_peaked": data.fitting.separation
        > 2,  # two unit normals: one peak up to 2
        "forward_vs_reverse.other_minima": len(others),
        "forward_vs_reverse.other_means": [Value(fit.mean, digits=2) for fit in others],
        "forward_vs_reverse.peaks_appear": Value(limits.peaks_appear, digits=1),
        "forward_vs_reverse.peaks_win": Value(limits.peaks_win, digits=1),
        "forward_vs_reverse.ln2_nats": Value(math.log(2), digits=3),
    }
    if peaks:
        out["forward_vs_reverse.peak_kl_qp_nats"] = Value(peaks[0].kl_qp_nats, digits=3)
        out["forward_vs_reverse.peak_kl_pq_nats"] = Value(peaks[0].kl_pq_nats, digits=2)
    if centred:
        out["forward_vs_reverse.centred_kl_qp_nats"] = Value(centred[0].kl_qp_nats, digits=3)
    return out


def _row_label(fit: Fit) -> Label:
    if fit.best is None:
        return Label("forward")
    return Label("reverse", {"place": fit.place, "best": fit.best})


def fits_table(data: LectureData) -> Table:
    """One row per fit: its mean and sd, and both divergences in nats."""
    result = fits(data)
    return Table(
        headers=[Label("fit"), "m", "s", Label("kl_pq_nats"), Label("kl_qp_nats")],
        rows=[
            [
                _row_label(fit),
                format_number(fit.mean, 3),
                format_number(fit.sd, 3),
                format_number(fit.kl_pq_nats, 3),
                format_number(fit.kl_qp_nats, 3),
            ]
            for fit in (result.forward, *result.reverse)
        ],
    )


def tables(data: LectureData) -> dict[str, Table]:
    return {"fits": fits_table(data)}
