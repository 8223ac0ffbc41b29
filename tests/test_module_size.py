"""Structure check (issue 12): no module of the package over ~400 lines. A module that grows past
it is split by what it holds (see docs/ARCHITECTURE.md, "where things go")."""

from __future__ import annotations

from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cashier"
LIMIT = 420  # "about 400": a docstring or two of slack, never a second concern in one file


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_package_has_modules():
    assert len(_modules()) > 100


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_over_about_400_lines(path: Path):
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert n <= LIMIT, f"{path.relative_to(PACKAGE.parent)} has {n} lines (limit {LIMIT}): split it by what it holds"
