"""Chinese names of the flat keys and tables, as the templates word them.

Pages and formulas speak the reader's language: ``applications.granted.total``
is shown as "（一）予以公开 · 总计", ``proactive.normative_documents.in_force``
as "行政规范性文件 · 现行有效件数". A key of a statistics table
(``statistics.<row>.<column>``) is named by its table
(:func:`statistics_labels`), since its rows are the report's own.
"""

from __future__ import annotations

from govreport.arithmetic import statistics_keys
from govreport.model import Statistics2014

__all__ = ["TABLES", "key_label", "statistics_labels", "table_of"]

TABLES: dict[str, str] = {
    "proactive": "主动公开政府信息情况",
    "applications": "收到和处理政府信息公开申请情况",
    "review_litigation": "政府信息公开行政复议、行政诉讼情况",
    "statistics": "政府信息公开情况统计表",
    "report": "报告整体（格式、年度、正文）",
}
"""The name of each table a flat key can belong to, and of the report as a whole."""

_ROWS: dict[str, str] = {
    # Table A
    "rules": "规章",
    "normative_documents": "行政规范性文件",
    "licensing": "行政许可",
    "other_services": "其他对外管理服务事项",
    "penalties": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
    # Table B
    "new_received": "本年新收申请",
    "carried_over": "上年结转申请",
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开",
    "withheld_state_secret": "不予公开：属于国家秘密",
    "withheld_prohibited_by_law": "不予公开：其他法律行政法规禁止公开",
    "withheld_security_stability": "不予公开：危及“三安全一稳定”",
    "withheld_third_party": "不予公开：保护第三方合法权益",
    "withheld_internal_affairs": "不予公开：属于三类内部事务信息",
    "withheld_process_info": "不予公开：属于四类过程性信息",
    "withheld_enforcement_file": "不予公开：属于行政执法案卷",
    "withheld_admin_inquiry": "不予公开：属于行政查询事项",
    "unable_not_held": "无法提供：本机关不掌握相关政府信息",
    "unable_needs_creation": "无法提供：没有现成信息需要另行制作",
    "unable_unclear": "无法提供：补正后申请内容仍不明确",
    "not_processed_complaint": "不予处理：信访举报投诉类申请",
    "not_processed_duplicate": "不予处理：重复申请",
    "not_processed_publication": "不予处理：要求提供公开出版物",
    "not_processed_excessive": "不予处理：无正当理由大量反复申请",
    "not_processed_confirmation": "不予处理：要求确认或重新出具已获取信息",
    "other_no_correction": "其他处理：逾期不补正",
    "other_fee_unpaid": "其他处理：逾期未缴纳费用",
    "other_misc": "其他处理：其他",
    "other_handling": "（六）其他处理",
    "total_concluded": "（七）办理结果总计",
    "carried_forward": "结转下年度继续办理",
    # Table C
    "review": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after_review": "行政诉讼（复议后起诉）",
}

_COLUMNS: dict[str, str] = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "newly_made": "本年新制作数量",
    "newly_published": "本年新公开数量",
    "total_published": "对外公开总数量",
    "decisions": "处理决定数量",
    "prior_items": "上一年项目数量",
    "net_change": "本年增/减",
    "amount_10k_yuan": "金额（万元）",
    "projects": "采购项目数",
    "natural_person": "自然人",
    "commercial_enterprise": "商业企业",
    "research_institution": "科研机构",
    "social_welfare_org": "社会公益组织",
    "legal_service_org": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
}


def table_of(key: str) -> str:
    """The table a flat key belongs to: a key of :data:`TABLES` (``"report"`` for none)."""
    head = key.split(".", 1)[0]
    if head in ("proactive", "applications", "statistics"):
        return head
    if head in ("review", "litigation_direct", "litigation_after_review"):
        return "review_litigation"
    return "report"


def key_label(key: str, statistics: dict[str, str] | None = None) -> str:
    """The Chinese name of a flat key ("（一）予以公开 · 总计"); the key itself when unknown.

    ``statistics`` maps the keys of a statistics table to their names
    (:func:`statistics_labels`).
    """
    if statistics and key in statistics:
        return statistics[key]
    parts = key.split(".")
    if parts[0] in ("proactive", "applications"):
        parts = parts[1:]
    if len(parts) == 2 and parts[0] in _ROWS and parts[1] in _COLUMNS:
        return f"{_ROWS[parts[0]]} · {_COLUMNS[parts[1]]}"
    return key


_STATISTICS_COLUMNS = {"value": "本年度", "cumulative": "历年累计"}


def statistics_labels(table: Statistics2014) -> dict[str, str]:
    """The name of every key of a statistics table: its row label and column.

    The column is named by its kind (本年度, 历年累计), not by its header as
    written ("2013年度"), so one key has one name in every year's report.
    """
    out: dict[str, str] = {}
    for keys, row in zip(statistics_keys(table), table.rows, strict=True):
        for key in keys:
            column = key.rsplit(".", 1)[1]
            base = column.rstrip("0123456789")
            name = _STATISTICS_COLUMNS.get(base, column) + column[len(base):]
            out[key] = f"{row.label} · {name}"
    return out
