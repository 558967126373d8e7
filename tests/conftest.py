"""Shared test fixtures: the real corpus in ../shared (skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
EXTRA = SHARED / "corpus" / "extra"
FIELDS_TSV = SHARED / "spec" / "fields.tsv"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
    return data


@pytest.fixture
def needs_shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repository")
    return SHARED
