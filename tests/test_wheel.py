"""The built wheel: grammars inside, parses from a read-only install."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow

SCRIPT = """
import sys, govreport
report = govreport.parse_file(sys.argv[1])
assert report.template == "2021", report.template
assert report.applications is not None
print(govreport.__file__)
print(report.agency, govreport.flatten(report)["applications.new_received.total"])
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation",
                    "--outdir", str(out), str(ROOT)], check=True, capture_output=True)
    (path,) = out.glob("govreport-*.whl")
    return path


def test_wheel_ships_grammars_and_types(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "govreport/grammars/outline.lark" in names
    assert "govreport/grammars/applications_2021.lark" in names
    assert "govreport/py.typed" in names


def _make_read_only(root: Path) -> None:
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            (Path(dirpath) / name).chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        Path(dirpath).chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)


def test_installed_wheel_parses_from_read_only_site(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-index", "--target", str(target), str(wheel)], check=True)
    _make_read_only(target)
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "HOME": str(home),
           "XDG_CACHE_HOME": str(home / ".cache")}
    env.pop("GOVREPORT_CACHE_DIR", None)
    example = ROOT / "examples" / "example_2021.txt"
    for _ in range(2):  # the second run loads Lark's cache
        proc = subprocess.run([sys.executable, "-c", SCRIPT, str(example)], env=env,
                              capture_output=True, text=True, cwd=tmp_path, check=False)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.splitlines()[0].startswith(str(target))
        assert proc.stderr == ""
    assert list((home / ".cache" / "govreport").glob("*.lark-cache"))
    target.chmod(stat.S_IRWXU)
