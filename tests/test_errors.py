"""Tests for kl.errors: one base class for the errors kl raises on purpose, value errors where
the input is at fault, and KL_TRACEBACK asking for Python's traceback."""

from __future__ import annotations

import pytest

from kl.errors import (
    DataError,
    DistributionError,
    FigureError,
    FontError,
    KLError,
    TexError,
    traceback_wanted,
)


@pytest.mark.parametrize(("setting", "wanted"), [("", False), ("0", False), ("1", True)])
def test_kl_traceback_asks_for_a_traceback_unless_empty_or_0(
    monkeypatch: pytest.MonkeyPatch, setting: str, wanted: bool
) -> None:
    monkeypatch.setenv("KL_TRACEBACK", setting)
    assert traceback_wanted() is wanted


def test_without_kl_traceback_no_traceback_is_wanted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KL_TRACEBACK", raising=False)
    assert traceback_wanted() is False


@pytest.mark.parametrize("error", [DistributionError, DataError, TexError, FontError])
def test_bad_input_is_a_kl_error_and_a_value_error(error: type[Exception]) -> None:
    with pytest.raises(KLError, match="the message"):
        raise error("the message")
    assert issubclass(error, ValueError)


def test_a_broken_figure_module_is_a_kl_error_not_a_value_error() -> None:
    assert issubclass(FigureError, KLError) and not issubclass(FigureError, ValueError)
