"""The import direction docs/architecture.md states, checked on the source.

The layer table of the page is parsed here, so the page and the test cannot
drift apart: a module-level import of a higher layer fails, and so does an
import between the stage packages of layer 3 that the page does not allow.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PAGE = ROOT / "docs" / "architecture.md"
PACKAGE = ROOT / "govreport"
# Layer 3 stages that may read another stage: the page says which.
ALLOWED_BETWEEN_STAGES = {("govreport.template", "govreport.outline")}
STAGES = {"govreport.sources", "govreport.clean", "govreport.layouts", "govreport.forms",
          "govreport.outline", "govreport.metadata", "govreport.template"}


def _layers() -> dict[str, int]:
    out: dict[str, int] = {}
    for line in PAGE.read_text("utf-8").splitlines():
        m = re.match(r"^\|\s*(\d+)\s[^|]*\|(.*)\|\s*$", line)
        if m:
            for name in re.findall(r"`(govreport[\w.]*)`", m[2]):
                out[name] = int(m[1])
    return out


def _module(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _owner(module: str, table: dict[str, int]) -> str:
    """The table's name for ``module``: itself or its closest listed package."""
    name = module
    while name not in table:
        if "." not in name:
            raise AssertionError(f"{module} is in no layer of docs/architecture.md")
        name = name.rsplit(".", 1)[0]
    return name


def _module_level_imports(tree: ast.Module) -> set[str]:
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If):
                if "TYPE_CHECKING" in ast.unparse(node.test):
                    visit(node.orelse)
                    continue
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module == "govreport":
                    found.update(f"govreport.{a.name}" for a in node.names)
                elif node.module.startswith("govreport."):
                    found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("govreport"))

    visit(tree.body)
    return found


def _violations(root: Path = ROOT) -> list[str]:
    table = _layers()
    out: list[str] = []
    for path in sorted((root / "govreport").rglob("*.py")):
        module = _module(path, root)
        owner = _owner(module, table)
        for imported in _module_level_imports(ast.parse(path.read_text("utf-8"))):
            target = _owner(imported, table)
            if target == owner:
                continue
            if table[target] > table[owner]:
                out.append(f"{module} (layer {table[owner]}) imports {imported} "
                           f"(layer {table[target]})")
            elif owner in STAGES and target in STAGES \
                    and (owner, target) not in ALLOWED_BETWEEN_STAGES:
                out.append(f"stage {module} imports stage {imported}")
    return out


def test_the_page_lists_every_module() -> None:
    table = _layers()
    assert len(set(table.values())) >= 5
    for path in PACKAGE.rglob("*.py"):
        _owner(_module(path), table)  # raises for a module in no layer


def test_imports_follow_the_stated_direction() -> None:
    assert _violations() == []


def test_an_upward_import_is_caught(tmp_path: Path) -> None:
    package = tmp_path / "govreport"
    (package / "layouts").mkdir(parents=True)
    (package / "model.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from govreport.errors import GovReportError\n"
        "if TYPE_CHECKING:\n    from govreport.cli import main\n"
        "def f():\n    from govreport.dask import read\n", "utf-8")
    (package / "layouts" / "tab.py").write_text("from govreport.forms import Form\n", "utf-8")
    (package / "normalize.py").write_text("from govreport import corpus\n", "utf-8")
    # Only module-level, run-time imports count.
    assert _violations(tmp_path) == [
        "stage govreport.layouts.tab imports stage govreport.forms",
        "govreport.normalize (layer 2) imports govreport.corpus (layer 5)"]


def test_import_govreport_and_parse_load_no_batch_machinery() -> None:
    code = ("import sys, govreport\n"
            f"govreport.parse_file({str(ROOT / 'examples' / 'example_2021.txt')!r})\n"
            "print(' '.join(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120, cwd=ROOT).stdout.split()
    for module in ("govreport.corpus", "govreport.pool", "govreport.records",
                   "govreport.serialize", "govreport.validate", "govreport.comparison",
                   "govreport.panels", "govreport.dask", "multiprocessing", "cattrs"):
        assert module not in out, module
