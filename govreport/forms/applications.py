"""Table B, 收到和处理政府信息公开申请情况: vocabulary and the 2019 and 2021 forms."""

from __future__ import annotations

from functools import lru_cache

from govreport.arithmetic import relations, series_relations
from govreport.forms.base import Form, Label
from govreport.model import Applications2019, Applications2021

__all__ = ["APPLICATIONS_2019", "APPLICATIONS_2021", "LABELS", "classify"]

# Row labels by the start of their key (numbering removed). Tokens are the
# field names upper-cased; OUTCOMES, WITHHELD, UNABLE and NOT_PROCESSED head
# groups of rows and carry no numbers of their own in the template.
_ROWS: tuple[tuple[str, str], ...] = (
    ("本年新收政府信息公开申请", "NEW_RECEIVED"),
    ("本年新收", "NEW_RECEIVED"),
    ("上年结转政府信息公开申请", "CARRIED_OVER"),
    ("上年结转", "CARRIED_OVER"),
    ("本年度办理结果", "OUTCOMES"),
    ("予以公开", "GRANTED"),
    ("部分公开", "PARTIALLY_GRANTED"),
    ("不予公开", "WITHHELD"),
    ("属于国家秘密", "WITHHELD_STATE_SECRET"),
    ("其他法律行政法规禁止公开", "WITHHELD_PROHIBITED_BY_LAW"),
    # Typed short: "2.其他法律行政止公开" (a WPS report of 2024) is still this row.
    ("其他法律行政", "WITHHELD_PROHIBITED_BY_LAW"),
    ("危及三安全一稳定", "WITHHELD_SECURITY_STABILITY"),
    ("保护第三方合法权益", "WITHHELD_THIRD_PARTY"),
    ("属于三类内部事务信息", "WITHHELD_INTERNAL_AFFAIRS"),
    ("属于四类过程性信息", "WITHHELD_PROCESS_INFO"),
    ("属于行政执法案卷", "WITHHELD_ENFORCEMENT_FILE"),
    ("属于行政查询事项", "WITHHELD_ADMIN_INQUIRY"),
    ("无法提供", "UNABLE"),
    ("本机关不掌握相关政府信息", "UNABLE_NOT_HELD"),
    ("没有现成信息需要另行制作", "UNABLE_NEEDS_CREATION"),
    ("补正后申请内容仍不明确", "UNABLE_UNCLEAR"),
    ("不予处理", "NOT_PROCESSED"),
    ("信访举报投诉类申请", "NOT_PROCESSED_COMPLAINT"),
    ("重复申请", "NOT_PROCESSED_DUPLICATE"),
    ("要求提供公开出版物", "NOT_PROCESSED_PUBLICATION"),
    ("无正当理由大量反复申请", "NOT_PROCESSED_EXCESSIVE"),
    ("要求行政机关确认或重新出具已获取信息", "NOT_PROCESSED_CONFIRMATION"),
    ("其他处理", "OTHER_HANDLING"),
    ("申请人无正当理由逾期不补正", "OTHER_NO_CORRECTION"),
    ("申请人逾期未按收费通知要求缴纳费用", "OTHER_FEE_UNPAID"),
    ("结转下年度继续办理", "CARRIED_FORWARD"),
)

_COLUMNS = {
    "自然人": "natural_person",
    "法人或其他组织": "legal_persons",
    "商业企业": "commercial_enterprise",
    "科研机构": "research_institution",
    "社会公益组织": "social_welfare_org",
    "法律服务机构": "legal_service_org",
    "申请人情况": "applicants",
}


# The template's labels as printed, for finding them in text without cell borders.
LABELS = (
    "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)",
    "申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织",
    "法律服务机构", "其他", "总计",
    "本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "本年度办理结果", "予以公开",
    "部分公开(区分处理的,只计这一情形,不计其他情形)", "部分公开", "不予公开",
    "属于国家秘密", "其他法律行政法规禁止公开", "危及三安全一稳定", "保护第三方合法权益",
    "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项",
    "无法提供", "本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确",
    "不予处理", "信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
    "要求行政机关确认或重新出具已获取信息", "其他处理",
    "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "结转下年度继续办理",
)


@lru_cache(maxsize=4096)
def classify(number: str | None, k: str) -> Label | None:
    """The meaning of a Table B label key (its numbering split off)."""
    if number is not None:
        # Only numbered labels are rows: "(七)总计" is a row, "总计" a column.
        if k in ("总计", "合计"):
            return Label("row", "TOTAL_CONCLUDED")
        if k == "其他":
            return Label("row", "OTHER_MISC")
    for prefix, token in _ROWS:
        if k.startswith(prefix):
            return Label("row", token)
    if k in _COLUMNS:
        return Label("column", _COLUMNS[k])
    if k in ("总计", "其他"):
        return Label("column", "total" if k == "总计" else "other_org")
    if k.startswith("(本列数据的勾稽关系"):
        return Label("note", "balance_note")
    return None


APPLICATIONS_2021 = Form(
    "applications_2021",
    Applications2021,
    kind="applications",
    classify=classify,
    markers=frozenset({"OTHER_NO_CORRECTION", "OTHER_FEE_UNPAID", "OTHER_MISC"}),
    years=range(2021, 2100),
    templates=frozenset({"2021"}),
    labels=LABELS,
    relations=relations("applications_2021"),
    series_relations=series_relations("applications_2021"),
)

APPLICATIONS_2019 = Form(
    "applications_2019",
    Applications2019,
    kind="applications",
    classify=classify,
    markers=frozenset({"OTHER_HANDLING"}),
    years=range(2019, 2021),
    templates=frozenset({"2019"}),
    labels=LABELS,
    relations=relations("applications_2019"),
    series_relations=series_relations("applications_2019"),
)
