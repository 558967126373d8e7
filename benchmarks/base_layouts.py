"""Load another checkout's layout detection beside this one, for a same-run comparison.

``GOVREPORT_BASE`` names a source tree of an earlier govreport (``git
worktree add /tmp/base 4aa0597``, or ``git archive 4aa0597 | tar -x -C
/tmp/base``). Its ``govreport`` package and ``pyproject.toml`` are copied to
a temporary directory as ``govreport_base``, every import of ``govreport``
in it rewritten to ``govreport_base``, so both versions run in one process
and are timed in alternate rounds. Nothing but the package name changes.
"""

from __future__ import annotations

import atexit
import importlib
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["load_base_detect"]

NAME = "govreport_base"
# "govreport" as a module name: import statements and dotted paths (entry points).
_MODULE = re.compile(r"\bgovreport(?=\.[a-z_]|\s+import\b|\s*$)", re.MULTILINE)


def _rewrite(text: str) -> str:
    text = re.sub(r"^(\s*)import govreport\b", rf"\1import {NAME} as govreport", text,
                  flags=re.MULTILINE)
    return _MODULE.sub(NAME, text)


def load_base_detect(source: Path) -> Callable[[Sequence[str]], Any]:
    """The ``detect(lines)`` of the govreport source tree at ``source``."""
    target = Path(tempfile.mkdtemp(prefix="govreport-base-"))
    atexit.register(shutil.rmtree, target, True)  # the copy lives as long as the process
    shutil.copytree(source / "govreport", target / NAME)
    for path in (target / NAME).rglob("*.py"):
        path.write_text(_rewrite(path.read_text("utf-8")), "utf-8")
    pyproject = (source / "pyproject.toml").read_text("utf-8")
    # The entry points' group and values name the package; the project name stays.
    pyproject = pyproject.replace('"govreport.', f'"{NAME}.')
    (target / "pyproject.toml").write_text(pyproject, "utf-8")
    # Kept on the path: the base registry imports its layouts when first asked.
    sys.path.insert(0, str(target))
    module = importlib.import_module(f"{NAME}.layouts")
    detect: Callable[[Sequence[str]], Any] = module.detect
    return detect
