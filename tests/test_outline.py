"""The outline grammar: title, preamble, numbered sections and sub-sections."""

from __future__ import annotations

import govreport

TEXT = """青禾县市场监督管理局2023年政府信息公开工作
年度报告
本报告由总体情况等六个部分组成。
一、总体情况。本年度工作平稳。
（一）主动公开。全年主动公开信息120条。
(二)依申请公开
全年收到申请5件。
二、主动公开政府信息情况
四、这一行不在次序中，是正文。
三、收到和处理政府信息公开申请情况
（二）次序不对的小标题，是正文。
"""


def test_sections_and_subsections() -> None:
    out = govreport.outline(govreport.read_document(TEXT))
    assert out.title == "青禾县市场监督管理局2023年政府信息公开工作年度报告"
    assert out.preamble == "本报告由总体情况等六个部分组成。"
    assert [(s.number, s.title, s.kind) for s in out.sections] == [
        ("一", "总体情况", "overview"),
        ("二", "主动公开政府信息情况", "proactive_disclosure"),
        ("三", "收到和处理政府信息公开申请情况", "applications"),
    ]
    first = out.sections[0]
    assert first.text == "本年度工作平稳。"
    assert [(s.number, s.title, s.text) for s in first.subsections] == [
        ("一", "主动公开", "全年主动公开信息120条。"),
        ("二", "依申请公开", "全年收到申请5件。"),
    ]
    # Out-of-sequence numbers are running text, not headings.
    assert out.sections[1].text == "四、这一行不在次序中，是正文。"
    assert out.sections[2].text == "（二）次序不对的小标题，是正文。"


def test_heading_lines_keep_their_location() -> None:
    out = govreport.outline(govreport.read_document(TEXT))
    assert [s.line for s in out.sections] == [4, 8, 10]
    assert out.sections[0].heading == "一、总体情况。本年度工作平稳。"


def test_report_without_title() -> None:
    report = govreport.parse("一、总体情况\n正文。\n")
    assert report.title is None and report.agency is None
    assert any(d.code == "no-title" for d in report.diagnostics)
