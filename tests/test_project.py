"""Promises of the project itself: the CI script, the fixtures, the golden documents."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

import govreport
from govreport.serialize import converter

GOLDEN = Path(__file__).resolve().parent / "golden"


def _quickstart() -> list[str]:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Quickstart", 1)[1]
    block = re.search(r"```(?:bash)?\n(.*?)```", section, re.S)
    assert block is not None
    return [line for line in block[1].splitlines() if line.strip()]


def test_quickstart_has_two_commands_and_ci_runs_the_second() -> None:
    commands = _quickstart()
    assert len(commands) == 2
    assert "examples/" in commands[0]
    assert commands[1] in (ROOT / ".ci" / "run").read_text("utf-8")


def test_fixtures_are_what_the_generator_makes() -> None:
    proc = subprocess.run([sys.executable, str(FIXTURES / "make_fixtures.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.txt")), ids=lambda p: p.stem)
def test_document_stage_golden(path: Path) -> None:
    """The layout stage: lines and grids, with every cell's location.

    Set GOVREPORT_REGEN_GOLDEN=1 to rewrite the golden files after a deliberate change.
    """
    doc = govreport.read_document(path.read_text("utf-8"))
    got = converter.unstructure(doc)
    golden = GOLDEN / f"{path.stem}.document.json"
    if os.environ.get("GOVREPORT_REGEN_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", "utf-8")
    assert got == json.loads(golden.read_text("utf-8"))
