"""The registry and the example plugin (examples/plugin, docs/extending.md).

The plugin is installed with pip into a temporary folder and used from a
subprocess, so govreport finds it exactly as a user's install would: through
its dist-info and the ``govreport.layouts`` entry point.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT
from registered import without
from synth import crawled

import govreport
from govreport import registry
from govreport.forms import register_form
from govreport.layouts import Layout

PLUGIN = ROOT / "examples" / "plugin"
REPORT = FIXTURES / "plugin" / "qinghe_2023.txt"
TOTAL_ROW = "四、合计\t213\t174"

# Run in the subprocess: everything the test asserts, as one JSON document.
_PROBE = r"""
import json, sys
import govreport
from govreport import registry

path, broken_path = sys.argv[1:3]
report = govreport.parse_file(path)
broken = govreport.parse_file(broken_path)
entry = next(e for e in registry.entries() if e.name == "qinghe_supplement")
print(json.dumps({
    "entry": [entry.kind, entry.origin],
    "extra": [t.form for t in report.extra_tables],
    "total": report.extra_table("qinghe_supplement").total.this_year.value,
    "diagnostics": [d.code for d in report.diagnostics],
    "flat": {k: v for k, v in govreport.flatten(report).items() if k.startswith("qinghe.")},
    "flat_keys": list(govreport.flatten(report)),
    "template_keys": len(govreport.FIELDS[report.template]),
    "passed": [(f.code, f.status) for f in govreport.check(report, include_passed=True)
               if f.code == "QH1"],
    "broken": [(f.code, f.status, list(f.keys), f.actual, f.expected, f.line)
               for f in govreport.check(broken) if f.code == "QH1"],
    "round_trip": govreport.from_json(govreport.to_json(report)) == report,
    "json_form": json.loads(govreport.to_json(report))["extra_tables"][0]["form"],
}, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment whose PYTHONPATH holds the installed example plugin."""
    target = tmp_path_factory.mktemp("site")
    # No build isolation and no index: hatchling comes from the test extra,
    # so nothing is downloaded.
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--no-build-isolation", "--target", str(target), str(PLUGIN)],
        capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert list(target.glob("govreport_example_province-*.dist-info"))
    env = dict(os.environ)
    env["PYTHONPATH"] = str(target)
    return env


def _run(env: dict[str, str], cwd: Path, *args: str) -> str:
    proc = subprocess.run([sys.executable, *args], env=env, cwd=cwd, capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_plugin_through_its_entry_point(plugin_env: dict[str, str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.txt"
    text = REPORT.read_text("utf-8")
    assert TOTAL_ROW in text
    broken.write_text(text.replace(TOTAL_ROW, "四、合计\t999\t174"), "utf-8")
    # cwd is a temporary folder: govreport is the installed one, not the checkout's.
    out = json.loads(_run(plugin_env, tmp_path, "-c", _PROBE, str(REPORT), str(broken)))
    kind, origin = out["entry"]
    assert kind == "form" and origin.startswith("govreport-example-province 0.1.0")
    assert out["extra"] == ["qinghe_supplement"]
    assert out["total"] == 213
    assert out["diagnostics"] == []  # the fixture is otherwise the clean example report
    flat = out["flat"]
    assert flat["qinghe.total.this_year"] == 213 and flat["qinghe.open_days.last_year"] == 3
    assert len(flat) == 8
    # The template's keys, then the plugin's.
    assert len(out["flat_keys"]) == out["template_keys"] + 8
    assert out["flat_keys"][-8:] == list(flat)
    assert out["passed"] == [["QH1", "passed"], ["QH1", "passed"]]
    [finding] = out["broken"]
    code, status, keys, actual, expected, line = finding
    assert (code, status, actual, expected) == ("QH1", "failed", 999, 213)
    assert keys[0] == "qinghe.total.this_year" and line == text.splitlines().index(TOTAL_ROW) + 1
    assert out["round_trip"] is True and out["json_form"] == "qinghe_supplement"


def test_layouts_command_lists_the_plugin(plugin_env: dict[str, str], tmp_path: Path) -> None:
    lines = _run(plugin_env, tmp_path, "-m", "govreport", "layouts").splitlines()
    rows = {line.split("\t")[0]: line.split("\t") for line in lines}
    _, kind, origin, description = rows["qinghe_supplement"]
    assert kind == "form" and origin.startswith("govreport-example-province")
    assert "青禾省政务公开补充统计表" in description
    assert rows["tab_rows"][1] == "layout" and rows["applications_2021"][1] == "form"


def test_without_the_plugin_the_table_stays_raw() -> None:
    with without("qinghe_supplement"):  # the plugin may be installed (examples/plugin/README)
        report = govreport.parse_file(REPORT)
    assert report.extra_tables == ()
    assert not any(k.startswith("qinghe.") for k in govreport.flatten(report))
    raw = report.sections[-1].grids[-1]
    assert raw.rows[-1].texts == tuple(TOTAL_ROW.split("\t"))
    # Its rows are kept raw in their section, with a diagnostic at the table.
    assert any(d.line is not None and raw.line <= d.line <= raw.end_line
               for d in report.diagnostics)
    assert report.applications is not None and report.applications.total_concluded.total.value == 47


def test_register_form_in_process() -> None:
    plugin = _example_plugin()
    # An installed plugin's registration is put back afterwards.
    with without("qinghe_supplement"):
        register_form(plugin.QINGHE_SUPPLEMENT)
        try:
            report = govreport.parse_file(REPORT)
            table = report.extra_table("qinghe_supplement")
            assert isinstance(table, plugin.QingheSupplement)
            assert table.hotline_referrals.last_year.value == 19
            assert govreport.from_json(govreport.to_json(report)) == report
        finally:
            registry.unregister("qinghe_supplement", "form")
        with pytest.raises(govreport.ParseError, match="unknown table form 'qinghe_supplement'"):
            govreport.from_json(govreport.to_json(report))


def _example_plugin() -> Any:
    sys.path.insert(0, str(PLUGIN / "src"))
    try:
        import govreport_example_province as plugin
    finally:
        sys.path.remove(str(PLUGIN / "src"))
    return plugin


def test_plugin_relations_split_its_glued_digits() -> None:
    """The digit splitter asks the form for its relations: a plugin's QH1 splits its rows."""
    plugin = _example_plugin()
    text, _, _ = crawled(1, "2021", "glued")
    # The example table as a crawler gives it: cells run together, no borders.
    text = (text.rstrip("\n") + "按照青禾省政务公开补充统计要求，填报补充统计表如下。"
            "项目本年数量上年数量一、政务新媒体发布信息186152二、政府开放日活动43"
            "三、12345热线转办诉求2319四、合计213174\n")
    with without("qinghe_supplement"):
        register_form(plugin.QINGHE_SUPPLEMENT)
        try:
            report = govreport.parse(text)
        finally:
            registry.unregister("qinghe_supplement", "form")
    assert report.layout == "fused"
    flat = {k: v for k, v in govreport.flatten(report).items() if k.startswith("qinghe.")}
    # 186152 alone could be 1|86152 … 18615|2; only QH1 (total = sum) settles it.
    assert flat == {
        "qinghe.new_media_posts.this_year": 186, "qinghe.new_media_posts.last_year": 152,
        "qinghe.open_days.this_year": 4, "qinghe.open_days.last_year": 3,
        "qinghe.hotline_referrals.this_year": 23, "qinghe.hotline_referrals.last_year": 19,
        "qinghe.total.this_year": 213, "qinghe.total.last_year": 174,
    }
    assert plugin.QINGHE_SUPPLEMENT.hard_relations == plugin.RELATIONS


def test_builtins_are_listed_in_code_and_load_by_what_they_are() -> None:
    tomllib = pytest.importorskip("tomllib")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    # Entry points are for third parties only: govreport declares none of its own.
    declared = pyproject["project"].get("entry-points", {})
    assert not {registry.LAYOUTS_GROUP, registry.FORMS_GROUP} & set(declared)
    entries = {e.name: e for e in registry.entries()}
    for spec in (*registry.BUILTIN_LAYOUTS, *registry.BUILTIN_FORMS):
        module, _, attr = spec.partition(":")
        obj = getattr(importlib.import_module(module), attr)
        e = next(e for e in entries.values() if e.obj is obj or type(e.obj) is obj)
        assert e.kind == ("layout" if spec in registry.BUILTIN_LAYOUTS else "form")
        assert isinstance(e.obj, Layout) == (e.kind == "layout")
        assert e.origin == f"govreport {govreport.__version__}"
        assert e.description
    assert {e.kind for e in entries.values()} == {"layout", "form"}


def test_registering_something_else_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="neither a table form"):
        registry.register(object())


def test_guide_shows_the_plugin_as_it_is() -> None:
    """Every file docs/extending.md shows in full is the example plugin's file, verbatim."""
    guide = (ROOT / "docs" / "extending.md").read_text("utf-8")
    blocks = re.findall(r'```\w+ title="(examples/plugin/[^"]+)"\n(.*?)```', guide, re.S)
    assert len(blocks) >= 3
    for path, body in blocks:
        assert (ROOT / path).read_text("utf-8") == body, path


def test_plugins_are_looked_for_only_where_metadata_declares_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty, declared = tmp_path / "empty", tmp_path / "declared"
    (empty / "other-1.0.dist-info").mkdir(parents=True)
    (empty / "other-1.0.dist-info" / "entry_points.txt").write_text(
        "[console_scripts]\nother = other:main\n", "utf-8")
    (declared / "mine-1.0.dist-info").mkdir(parents=True)
    (declared / "mine-1.0.dist-info" / "entry_points.txt").write_text(
        "[govreport.forms]\nmine = mine:FORM\n", "utf-8")
    monkeypatch.setattr(sys, "path", [str(empty)])
    assert not registry._may_declare_plugins()
    monkeypatch.setattr(sys, "path", [str(empty), str(declared)])
    assert registry._may_declare_plugins()
    archive = tmp_path / "eggs.zip"
    archive.write_bytes(b"")
    monkeypatch.setattr(sys, "path", [str(empty), str(archive)])
    assert registry._may_declare_plugins()  # a zip may hold metadata not read here


class _FakeEntryPoint:
    name = "qinghe_supplement"
    value = "govreport_example_province:QINGHE_SUPPLEMENT"
    dist = None

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def load(self) -> object:
        return self.obj


def test_a_form_in_the_old_single_group_loads_with_a_deprecation_warning(
        monkeypatch: pytest.MonkeyPatch) -> None:
    plugin = _example_plugin()
    old_style = _FakeEntryPoint(plugin.QINGHE_SUPPLEMENT)
    monkeypatch.setattr(registry, "_third_party", lambda: iter([("layout", old_style)]))
    monkeypatch.setattr(registry, "_state", "new")
    monkeypatch.setattr(registry, "_layouts", {})
    monkeypatch.setattr(registry, "_forms", {})
    monkeypatch.setattr(registry, "_snapshot", {})
    with pytest.warns(DeprecationWarning, match="declare it in 'govreport.forms'"):
        entries = {e.name: e for e in registry.entries()}
    assert entries["qinghe_supplement"].kind == "form"
    assert entries["tab_rows"].kind == "layout"


# Tests whose counts (forms, flat keys, columns) an installed plugin could change.
_COUNTING = ["tests/test_flat_keys.py", "tests/test_forms.py", "tests/test_serialize.py",
             "tests/test_corpus.py", "tests/test_cli.py", "tests/test_layouts.py",
             "tests/test_dask.py", "tests/test_cli_outputs.py",
             "tests/test_plugin.py::test_register_form_in_process",
             "tests/test_plugin.py::test_builtins_are_listed_in_code_and_load_by_what_they_are"]


def test_the_suite_passes_with_the_example_plugin_installed(plugin_env: dict[str, str]) -> None:
    """examples/plugin/README.md says pip install -e examples/plugin: the tests still pass."""
    env = dict(plugin_env)
    env["PYTHONPATH"] = os.pathsep.join((plugin_env["PYTHONPATH"], str(ROOT)))
    probe = subprocess.run([sys.executable, "-m", "govreport", "layouts"], env=env, cwd=ROOT,
                           capture_output=True, text=True, check=False, timeout=120)
    assert "qinghe_supplement\tform\tgovreport-example-province" in probe.stdout
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-x", *_COUNTING], env=env, cwd=ROOT, capture_output=True, text=True,
                          check=False, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
