"""Each table grammar on made-up tables (pipe rows: one row per line)."""

from __future__ import annotations

from decimal import Decimal

import govreport

B_HEAD = [
    "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 | ||||||||",
    "自然人 | 法人或其他组织 | 总计 | |||||||",
    "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |||||",
]
B_ROWS_2021 = [
    ("一、本年新收政府信息公开申请数量",),
    ("二、上年结转政府信息公开申请数量",),
    ("三、本年度办理结果", "(一)予以公开"),
    ("(二)部分公开(区分处理的,只计这一情形,不计其他情形)",),
    ("(三)不予公开", "1.属于国家秘密"),
    ("2.其他法律行政法规禁止公开",),
    ("3.危及“三安全一稳定”",),
    ("4.保护第三方合法权益",),
    ("5.属于三类内部事务信息",),
    ("6.属于四类过程性信息",),
    ("7.属于行政执法案卷",),
    ("8.属于行政查询事项",),
    ("(四)无法提供", "1.本机关不掌握相关政府信息"),
    ("2.没有现成信息需要另行制作",),
    ("3.补正后申请内容仍不明确",),
    ("(五)不予处理", "1.信访举报投诉类申请"),
    ("2.重复申请",),
    ("3.要求提供公开出版物",),
    ("4.无正当理由大量反复申请",),
    ("5.要求行政机关确认或重新出具已获取信息",),
    ("(六)其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",),
    ("3.其他",),
    ("(七)总计",),
    ("四、结转下年度继续办理",),
]
FIELDS_2021 = [
    "new_received", "carried_over", "granted", "partially_granted",
    "withheld_state_secret", "withheld_prohibited_by_law", "withheld_security_stability",
    "withheld_third_party", "withheld_internal_affairs", "withheld_process_info",
    "withheld_enforcement_file", "withheld_admin_inquiry", "unable_not_held",
    "unable_needs_creation", "unable_unclear", "not_processed_complaint",
    "not_processed_duplicate", "not_processed_publication", "not_processed_excessive",
    "not_processed_confirmation", "other_no_correction", "other_fee_unpaid", "other_misc",
    "total_concluded", "carried_forward",
]


def _row(labels: tuple[str, ...], values: list[str]) -> str:
    return " | ".join([*labels, *values]) + " | ||"


def _report(table_lines: list[str], year: int = 2022, heading: str = "二、收到和处理政府信息公开申请情况"
            ) -> govreport.Report:
    text = "\n".join([f"青禾县民政局{year}年度政府信息公开工作报告", "一、总体情况", "正文。",
                      heading, *table_lines, "三、其他需要报告的事项", "无。"])
    return govreport.parse(text)


def _values(i: int) -> list[str]:
    # Distinct numbers per row so a shifted cell cannot pass unnoticed.
    v = [i * 10 + c for c in range(6)]
    return [str(x) for x in [*v, sum(v)]]


def test_applications_2021_every_cell_in_its_field() -> None:
    rows = [_row(labels, _values(i)) for i, labels in enumerate(B_ROWS_2021)]
    report = _report(B_HEAD + rows)
    table = report.applications
    assert isinstance(table, govreport.Applications2021)
    for i, name in enumerate(FIELDS_2021):
        row = getattr(table, name)
        got = [row.natural_person, row.commercial_enterprise, row.research_institution,
               row.social_welfare_org, row.legal_service_org, row.other_org, row.total]
        assert [v.value for v in got] == [int(x) for x in _values(i)], name
    assert report.template == "2021"
    assert not [d for d in report.diagnostics if d.code != "missing-table"]


def test_applications_2019_form_is_chosen_by_its_rows() -> None:
    rows_2019 = [*B_ROWS_2021[:20], ("(六)其他处理",), ("(七)总计",), ("四、结转下年度继续办理",)]
    rows = [_row(labels, _values(i)) for i, labels in enumerate(rows_2019)]
    report = _report(B_HEAD + rows, year=2020)
    table = report.applications
    assert isinstance(table, govreport.Applications2019)
    assert table.other_handling.natural_person.value == 200
    assert report.template == "2019"


def test_a_missing_row_gives_none_and_says_so() -> None:
    rows = [_row(labels, _values(i)) for i, labels in enumerate(B_ROWS_2021) if i != 3]
    report = _report(B_HEAD + rows)
    table = report.applications
    assert isinstance(table, govreport.Applications2021)
    assert table.partially_granted.total.value is None
    assert table.withheld_state_secret.total.value == sum(range(40, 46))
    assert any(d.code == "missing-row" and d.path == "applications.partially_granted"
               for d in report.diagnostics)


def test_rows_out_of_template_order_give_no_table() -> None:
    order = list(range(len(B_ROWS_2021)))
    order[2], order[3] = 3, 2
    rows = [_row(B_ROWS_2021[i], _values(i)) for i in order]
    report = _report(B_HEAD + rows)
    assert report.applications is None
    assert govreport.flatten(report)["applications.granted.total"] is None
    diag = next(d for d in report.diagnostics if d.code == "table-structure")
    assert "unexpected OUTCOMES_GROUP" in diag.message and "__" not in diag.message


def test_a_subtotal_row_is_kept_apart() -> None:
    rows = [_row(labels, _values(i)) for i, labels in enumerate(B_ROWS_2021)]
    rows.insert(4 + len(B_HEAD) - 3, _row(("(三)不予公开",), _values(99)))
    # Remove the group label from the first withheld row so the subtotal stands alone.
    rows[5] = _row(("1.属于国家秘密",), _values(4))
    report = _report(B_HEAD + rows)
    table = report.applications
    assert isinstance(table, govreport.Applications2021)
    assert table.withheld_state_secret.total.value == sum(range(40, 46))
    assert [r.cells[0] for r in table.extra_rows] == ["(三)不予公开"]
    assert any(d.code == "extra-row" for d in report.diagnostics)


def test_cells_that_cannot_be_aligned_are_none() -> None:
    rows = [_row(labels, _values(i)) for i, labels in enumerate(B_ROWS_2021)]
    rows[0] = "一、本年新收政府信息公开申请数量 | 1 | 2 | 3 | 4 |"  # four cells for seven columns
    report = _report(B_HEAD + rows)
    table = report.applications
    assert isinstance(table, govreport.Applications2021)
    assert table.new_received.natural_person.value is None
    assert table.new_received.natural_person.note == "ambiguous"
    assert any(d.code == "ambiguous-cells" and d.path == "applications.new_received"
               for d in report.diagnostics)


def test_empty_cells_at_both_ends_are_ambiguous() -> None:
    rows = [_row(labels, _values(i)) for i, labels in enumerate(B_ROWS_2021)]
    rows[0] = "一、本年新收政府信息公开申请数量 |  | 1 | 2 | 3 | 4 | 5 | 15 |  |"
    report = _report(B_HEAD + rows)
    assert isinstance(report.applications, govreport.Applications2021)
    assert report.applications.new_received.total.value is None


def test_unknown_row_label_is_reported_with_its_text() -> None:
    rows = [_row(labels, _values(i)) for i, labels in enumerate(B_ROWS_2021)]
    rows.insert(1, _row(("本年新增加的一行",), _values(7)))
    report = _report(B_HEAD + rows)
    assert isinstance(report.applications, govreport.Applications2021)
    diag = next(d for d in report.diagnostics if d.code == "unrecognised-row")
    assert diag.raw is not None and diag.raw.startswith("本年新增加的一行")


A_2021 = [
    "第二十条第(一)项 | |||",
    "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
    "规章 | 1 | 2 | 3 |",
    "规范性文件 | 4 | 5 | 6 |",
    "第二十条第(五)项 | |||",
    "信息内容 | 本年处理决定数量 | ||",
    "行政许可 | 229 | ||",
    "第二十条第(六)项 | |||",
    "信息内容 | 本年处理决定数量 | ||",
    "行政处罚 | 1123 | ||",
    "行政强制 | — | ||",
    "第二十条第(八)项 | |||",
    "信息内容 | 本年收费金额(单位:万元) | ||",
    "行政事业性收费 | 12.50 |",
]


def test_proactive_2021() -> None:
    report = _report(A_2021, heading="二、主动公开政府信息情况")
    table = report.proactive
    assert isinstance(table, govreport.Proactive2021)
    assert (table.rules.issued.value, table.rules.repealed.value, table.rules.in_force.value) == (
        1, 2, 3)
    assert table.normative_documents.in_force.value == 6
    assert table.normative_documents.label == "规范性文件"  # the 2019 label, kept as written
    assert table.licensing.decisions.value == 229
    assert table.coercion.decisions.value is None
    assert table.coercion.decisions.note == "dash"
    assert table.fees.amount_10k_yuan.value == Decimal("12.50")


A_2019 = [
    "第二十条第(一)项 | |||",
    "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |",
    "规章 | 0 | 0 | 0 |",
    "规范性文件 | 1 | 1 | 9 |",
    "第二十条第(五)项 | |||",
    "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |",
    "行政许可 | 50 | -3 | 47 |",
    "其他对外管理服务事项 | 2 | +1 | 3 |",
    "第二十条第(六)项 | |||",
    "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |",
    "行政处罚 | 10 | 0 | 10 |",
    "行政强制 | 1 | 0 | 1 |",
    "第二十条第(八)项 | |||",
    "信息内容 | 上一年项目数量 | 本年增/减 | |",
    "行政事业性收费 | 3 | -1 | |",
    "第二十条第(九)项 | |||",
    "信息内容 | 采购项目数量 | 采购总金额 | |",
    "政府集中采购 | 12 | 251000元 | |",
]


def test_proactive_2019_with_signs_and_units() -> None:
    report = _report(A_2019, year=2019, heading="二、主动公开政府信息情况")
    table = report.proactive
    assert isinstance(table, govreport.Proactive2019)
    assert report.template == "2019"
    assert table.licensing.net_change.value == -3
    assert table.other_services.net_change.value == 1
    assert table.fees.prior_items.value == 3 and table.fees.net_change.value == -1
    amount = table.procurement.amount_10k_yuan
    assert amount.value == Decimal("25.1") and amount.unit == "元" and amount.raw == "251000元"


C = [
    "行政复议 | 行政诉讼 | |||||||||||||",
    "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 | ||||||||",
    "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | |||||",
    " | ".join(str(i) for i in range(1, 16)) + " |",
]


def test_review_litigation_splits_the_row_in_three() -> None:
    report = _report(C, heading="二、政府信息公开行政复议、行政诉讼情况")
    table = report.review_litigation
    assert table is not None
    assert [table.review.upheld.value, table.review.total.value] == [1, 5]
    assert [table.litigation_direct.upheld.value, table.litigation_direct.total.value] == [6, 10]
    assert table.litigation_after_review.pending.value == 14
    assert table.litigation_after_review.total.value == 15


def test_review_litigation_without_data_row_is_all_none() -> None:
    report = _report(C[:3], heading="二、政府信息公开行政复议、行政诉讼情况")
    assert report.review_litigation is not None
    assert report.review_litigation.review.total.value is None
