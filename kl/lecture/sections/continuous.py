"""Continuous distributions (SPEC section 8): the infographic's curves, KL by numerical
integration and in closed form, and the integrand p(x) log(p(x)/q(x)) behind each value."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.integrate import simpson

from kl.lecture.data import Curves, LectureData, Normal
from kl.lecture.formatting import MINUS, format_number, format_probability, format_small
from kl.lecture.tables import Cell, Label, Table
from kl.lecture.values import Fact, Value
from kl.measures.continuous import kl_integrand, kl_numeric, normal_pdf
from kl.measures.distributions import FloatArray
from kl.measures.gaussian import kl_normal

TAIL_SDS = 12.0  # integrate over every curve's mean +- 12 sd: the mass outside is < 1e-32
GRID_POINTS = 4001
FITS = ("good", "poor")


def integration_bounds(curves: Curves) -> tuple[float, float]:
    """An interval holding essentially all the mass of P and of both approximations."""
    normals = (curves.p, curves.good, curves.poor)
    return (
        min(n.mean - TAIL_SDS * n.sd for n in normals),
        max(n.mean + TAIL_SDS * n.sd for n in normals),
    )


@dataclass(frozen=True)
class Integrand:
    """p, q and the integrand p ln(p/q) (nats per unit of x) on an equally spaced grid."""

    x: FloatArray
    p: FloatArray
    q: FloatArray
    values: FloatArray

    def peak_x(self) -> float:
        """The x where the integrand is largest: where most of the divergence comes from."""
        return float(self.x[int(np.argmax(self.values))])

    def peak_ratio(self) -> float:
        """p / q at `peak_x`: how many times likelier P finds that x than Q does."""
        i = int(np.argmax(self.values))
        return float(self.p[i] / self.q[i])

    def gap_area(self) -> float:
        """The area between the curves, the integral of |p - q| (Simpson's rule): at most 2,
        and not the divergence."""
        return float(simpson(np.abs(self.p - self.q), x=self.x))

    def parts_nats(self) -> tuple[float, float]:
        """(area above 0, area below 0) of the integrand, by Simpson's rule; their sum is KL."""
        above = simpson(np.maximum(self.values, 0.0), x=self.x)
        below = simpson(np.minimum(self.values, 0.0), x=self.x)
        return float(above), float(below)


def integrand(curves: Curves, fit: str, points: int = GRID_POINTS) -> Integrand:
    """The integrand of KL(P||Q) with Q the ``fit`` ("good" or "poor") curve."""
    q_normal: Normal = getattr(curves, fit)
    x = np.linspace(*integration_bounds(curves), points)
    p = normal_pdf(x, curves.p.mean, curves.p.sd)
    q = normal_pdf(x, q_normal.mean, q_normal.sd)
    return Integrand(x=x, p=p, q=q, values=kl_integrand(p, q))


def numeric_nats(curves: Curves, fit: str) -> float:
    """KL(P||Q) in nats by Simpson's rule (`kl.measures.continuous.kl_numeric`)."""
    q: Normal = getattr(curves, fit)
    return kl_numeric(
        lambda x: normal_pdf(x, curves.p.mean, curves.p.sd),
        lambda x: normal_pdf(x, q.mean, q.sd),
        *integration_bounds(curves),
        points=GRID_POINTS,
    )


def closed_form_nats(curves: Curves, fit: str) -> float:
    """KL(P||Q) in nats from the closed form for two normals (`kl.measures.gaussian.kl_normal`)."""
    q: Normal = getattr(curves, fit)
    return kl_normal(curves.p.mean, curves.p.sd, q.mean, q.sd)


def as_written(x: float) -> str:
    """A number from the data file as a person wrote it (0.25, −1.5), with a true minus."""
    return format_probability(x).replace("-", MINUS)


def normal_label(n: Normal) -> str:
    """N(mean, sd²) as written in the data file, e.g. N(0.25, 1.1²)."""
    return f"N({as_written(n.mean)}, {as_written(n.sd)}²)"


def times(ratio: float) -> Value:
    """A ratio as the page says "N times": with one decimal (5.9), or from 100 on as a
    whole number with separators (22,235), whose decimal would be noise."""
    return Value(ratio, kind="integer") if ratio >= 100 else Value(ratio, digits=1)


def values(data: LectureData) -> dict[str, Fact]:
    """Each curve's mean and standard deviation as written in the data file; per fit: KL(P||Q)
    (nats; in closed form, and by numerical integration to 6 decimals), in bits, the
    integrand's positive and negative areas (nats, both given as positive numbers), the x
    where it peaks and the area between the two curves (not a divergence)."""
    curves = data.curves
    out: dict[str, Fact] = {"continuous.grid_points": Value(GRID_POINTS, kind="integer")}
    for name in ("p", *FITS):
        normal: Normal = getattr(curves, name)
        out[f"continuous.{name}_mean"] = Value(normal.mean, kind="probability")
        out[f"continuous.{name}_sd"] = Value(normal.sd, kind="probability")
    for fit in FITS:
        numeric, closed = numeric_nats(curves, fit), closed_form_nats(curves, fit)
        grid = integrand(curves, fit)
        above, below = grid.parts_nats()
        out[f"continuous.kl_{fit}_nats"] = Value(closed)
        out[f"continuous.{fit}_peak_x"] = Value(grid.peak_x(), digits=2)
        out[f"continuous.{fit}_peak_ratio"] = times(grid.peak_ratio())
        out[f"continuous.{fit}_gap_area"] = Value(grid.gap_area(), digits=2)
        out[f"continuous.{fit}_numeric_nats"] = Value(numeric, digits=6)
        out[f"continuous.{fit}_bits"] = Value(closed / math.log(2), digits=4)
        out[f"continuous.{fit}_above_nats"] = Value(above, digits=3)
        out[f"continuous.{fit}_below_nats"] = Value(abs(below), digits=3)
    return out


def continuous_table(data: LectureData) -> Table:
    """Each approximation: KL(P||Q) by numerical integration and in closed form, and the gap."""
    curves = data.curves
    rows: list[list[Cell]] = []
    for fit in FITS:
        numeric, closed = numeric_nats(curves, fit), closed_form_nats(curves, fit)
        rows.append(
            [
                Label(fit),
                normal_label(getattr(curves, fit)),
                format_number(numeric, 9),
                format_number(closed, 9),
                format_small(abs(numeric - closed), 0) if numeric != closed else "0",
            ]
        )
    return Table(
        headers=[Label("approximation"), "Q", Label("numerical"), Label("closed"), Label("gap")],
        rows=rows,
        align=["l", "l", "r", "r", "r"],
    )


def tables(data: LectureData) -> dict[str, Table]:
    return {"continuous": continuous_table(data)}
