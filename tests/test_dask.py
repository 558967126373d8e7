"""govreport.dask: bags and dataframes of flat records on Dask's local schedulers."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import synth

import govreport
from govreport import corpus

COMBOS = [("pipe_rows", "2021"), ("tab_rows", "2019"), ("prose", "freeform")]


@pytest.fixture
def reports(tmp_path: Path) -> list[str]:
    names = []
    for i in range(5):
        layout, template = COMBOS[i % len(COMBOS)]
        text, _ = synth.generate(100 + i, layout, template)
        path = tmp_path / "reports" / f"r{i}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        names.append(str(path))
    (tmp_path / "reports" / "r5.txt").write_bytes(b"")  # a bad file among them
    names.append(str(tmp_path / "reports" / "r5.txt"))
    return names


def test_bag_of_flat_records(reports: list[str]) -> None:
    gd = pytest.importorskip("govreport.dask")
    pytest.importorskip("dask.bag")
    directory = str(Path(reports[0]).parent)
    bag = gd.bag(directory, partition_size=2)
    assert bag.npartitions == 3
    records = bag.compute(scheduler="synchronous")
    assert [r["file"] for r in records] == reports
    assert list(records[0]) == list(corpus.columns())  # a plugin's keys too
    report = govreport.parse_file(reports[1])
    for key, value in govreport.flatten(report).items():
        assert records[1][key] == value
    assert records[5]["status"] == "error" and "empty" in records[5]["error"]
    ok = bag.filter(lambda r: r["status"] == "ok").count().compute(scheduler="threads")
    assert ok == 5


def test_dataframe_on_local_processes(reports: list[str]) -> None:
    gd = pytest.importorskip("govreport.dask")
    pytest.importorskip("dask.dataframe")
    pattern = str(Path(reports[0]).parent / "*.txt")
    df = gd.dataframe(pattern, partition_size=4)
    assert df.npartitions == 2 and df.divisions == (0, 4, 5)
    frame = df.compute(scheduler="processes", num_workers=2)
    assert list(frame.columns) == list(corpus.columns())
    assert frame["file"].tolist() == reports
    assert frame.index.tolist() == list(range(6))
    assert str(frame["year"].dtype) == "Int64"
    assert str(frame["proactive.fees.amount_10k_yuan"].dtype) == "float64"
    row = frame.iloc[0]
    flat = govreport.flatten(govreport.parse_file(reports[0]))
    for key, value in flat.items():
        got: Any = row[key]
        if value is None:
            assert got is None or got != got or str(got) == "<NA>", key
        else:
            assert got == (float(value) if isinstance(value, Decimal) else value), key
    assert frame["status"].tolist() == ["ok"] * 5 + ["error"]
    # the same numbers as the corpus command
    total = frame["applications.new_received.total"].sum()
    assert total == sum(r.report.applications.new_received.total.value or 0  # type: ignore[union-attr]
                        for r in govreport.parse_many(reports, workers=0)
                        if r.report is not None and r.report.applications is not None)


def test_results_bag(reports: list[str]) -> None:
    gd = pytest.importorskip("govreport.dask")
    pytest.importorskip("dask.bag")
    results = gd.results(reports[:2]).compute(scheduler="synchronous")
    assert [r.report for r in results] == [govreport.parse_file(p) for p in reports[:2]]


def test_missing_dask_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import govreport.dask as gd

    for name in ("dask", "dask.bag", "dask.dataframe"):
        monkeypatch.setitem(sys.modules, name, None)  # as if not installed: import fails
    with pytest.raises(govreport.MissingExtra, match=r"pip install 'govreport\[dask\]'"):
        gd.bag([])
    with pytest.raises(govreport.MissingExtra, match=r"pip install 'govreport\[dask\]'"):
        gd.dataframe([])
