"""The basis of one checklist item as a readable page: what to ask, how to check it, what to
collect, how to answer, who may act on it and on what grounds, and the text of every policy
measure it implements.

Used for a generated item (checklist page) and for a template item (template editor).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from checklists.catalog_view import MeasureView
from checklists.checklist_model import ChecklistItem
from checklists.template_model import (
    ORDER_OBLIGATIONS,
    AnswerSpec,
    LegalBasis,
    TemplateItem,
    order_kind,
)
from gui import format as fmt

ANSWER_LABELS = {
    "compliance": "符合 / 不符合 / 部分符合 / 不适用",
    "progress": "推进情况：已完成 / 推进中 / 未启动 / 滞后",
    "date": "填写日期",
    "text": "文字记录",
}
REQUIRE_ON_FAIL_LABELS = {
    "note": "判定不符合时须写明情况说明",
    "photo": "判定不符合时须拍照",
    "note_or_photo": "判定不符合时须写明情况说明或拍照",
    "none": "不作要求",
}
_MUTED = '<span style="color:#6b7280;">{}</span>'
_TABLE = (
    '<table width="100%" cellspacing="0" cellpadding="5" border="1" '
    'style="border-color:#d5dbe3;border-collapse:collapse;">'
)
_HEAD_ROW = '<tr style="background:#eef2f7;">'
_H = '<h4 style="color:#1f4e8c;margin-top:14px;">'


def answer_text(answer: AnswerSpec) -> str:
    if answer.type == "measure":
        label = answer.label or "实测值"
        return f"测量：{label}，标准 {answer.threshold_text()}（再判定符合与否）"
    text = ANSWER_LABELS.get(answer.type, answer.type)
    if answer.type in ("date", "text") and answer.label:
        text += f"：{answer.label}"
    return text


def order_text(kind: str, obligation: str, department: str) -> str:
    if kind == "order":
        return f"{obligation}：不符合时可由{department}部门在职权范围内责令改正（整改通知）"
    if kind == "supervision":
        return f"督查事项（{obligation}）：督促{department}部门落实"
    if obligation in ORDER_OBLIGATIONS:
        return (f"{obligation}（主管部门：{department}）：依据未读到原文或可靠转载，"
                "不符合时只能提出建议，不能据此责令整改")
    return f"{obligation}：不符合时只能提出建议，不能据此责令整改"


def _basis_table(bases: Sequence[LegalBasis]) -> str:
    rows = "".join(
        f"<tr><td>{fmt.esc(b.document)}</td><td>{fmt.esc(b.doc_number) or '—'}</td>"
        f'<td>{fmt.esc(b.clause)}</td><td align="center">{fmt.esc(b.verified)}</td></tr>'
        + (
            f'<tr><td colspan="4" style="color:#374151;">摘录：{fmt.esc(b.excerpt)}</td></tr>'
            if b.excerpt
            else ""
        )
        for b in bases
    )
    return (
        f"{_H}法律依据</h4>{_TABLE}{_HEAD_ROW}<th>文件</th><th>文号 / 版本</th><th>条款</th>"
        f'<th width="9%">核实</th></tr>{rows}</table>'
    )


def _measures_html(
    refs: Sequence[str], found: Sequence[MeasureView], titles: Mapping[str, str]
) -> str:
    if not refs and not found:
        none = _MUTED.format("本项直接依据法律法规，不对应政策文件中的措施。")
        return f"{_H}政策措施</h4><p>{none}</p>"
    parts = [f"{_H}政策措施（本项落实的措施原文）</h4>"]
    for m in found:
        doc = titles.get(m.document_id, "")
        parts.append(
            f'<p style="margin-bottom:2px;"><b>{fmt.esc(m.ref)}　{fmt.esc(m.title)}</b>'
            f"　{_MUTED.format('《' + fmt.esc(doc) + '》' if doc else '')}</p>"
            f'<p style="line-height:150%;margin-top:0;">{fmt.esc(m.text)}</p>'
        )
    missing = [r for r in refs if r not in {m.ref for m in found}]
    if missing:
        parts.append(
            "<p>"
            + _MUTED.format(
                "所选文件中没有以下措施（其他地区的文件，或尚未导入）："
                + fmt.esc("、".join(missing))
            )
            + "</p>"
        )
    return "".join(parts)


def _common(
    question: str,
    detail: str | None,
    note: str | None,
    how: Sequence[str],
    evidence: Sequence[str],
    answer: AnswerSpec,
    require_on_fail: str,
    order: str,
    severity: str,
    applies: str,
    jurisdiction: str,
) -> str:
    parts = [f'<p style="font-size:12pt;font-weight:600;">{fmt.esc(question)}</p>']
    if note:
        parts.append(
            f'<p style="background:#fff7e6;color:#8a4b00;">&nbsp;{fmt.esc(note)}&nbsp;</p>'
        )
    where = "全国" if jurisdiction == "000000" else fmt.region_path(jurisdiction)
    rows = [
        ("检查方法", "、".join(how)),
        ("检查要点", detail or "—"),
        ("佐证材料", "、".join(evidence) or "—"),
        ("答案", answer_text(answer)),
        ("不符合时", REQUIRE_ON_FAIL_LABELS.get(require_on_fail, require_on_fail)),
        ("性质与处理", order),
        ("严重程度", severity),
        ("适用范围", f"{applies}；地区：{where}"),
    ]
    body = "".join(
        f'<tr><th width="16%" align="left" style="background:#f3f6fa;">{k}</th>'
        f"<td>{fmt.esc(v)}</td></tr>"
        for k, v in rows
    )
    parts.append(f"{_TABLE}{body}</table>")
    return "".join(parts)


def checklist_item_html(
    item: ChecklistItem, measures: Mapping[str, MeasureView], titles: Mapping[str, str]
) -> str:
    """A generated item; ``measures`` by id and ``titles`` of documents by id."""
    found = [measures[m.id] for m in item.measures if m.id in measures]
    head = f"{item.code}　{item.section_title}" + ("　（用户模板）" if item.user_edited else "")
    return (
        f"<p>{_MUTED.format(fmt.esc(head))}</p>"
        + _common(
            item.question,
            item.check_detail,
            item.note,
            item.how_to_check,
            item.evidence,
            item.answer,
            item.require_on_fail,
            order_text(item.order_kind, item.obligation, item.competent_department),
            item.severity,
            item.applies_text,
            item.jurisdiction,
        )
        + _basis_table(item.legal_basis)
        + _measures_html([m.ref for m in item.measures], found, titles)
    )


def template_item_html(
    item: TemplateItem, applies: str, found: Sequence[MeasureView], titles: Mapping[str, str]
) -> str:
    state = "　（用户模板）" if item.user_edited else ""
    if not item.enabled:
        state += "　（已停用，不会列入检查清单）"
    return (
        f"<p>{_MUTED.format(fmt.esc(item.code + state))}</p>"
        + _common(
            item.question,
            item.check_detail,
            None,
            item.how_to_check,
            item.evidence,
            item.answer,
            item.require_on_fail,
            order_text(order_kind(item.obligation, item.legal_basis), item.obligation,
                       item.competent_department),
            item.severity,
            applies,
            item.jurisdiction,
        )
        + _basis_table(item.legal_basis)
        + _measures_html(item.measures, found, titles)
    )


class ItemDetail(QWidget):
    """An HTML page for one item, or a hint when nothing is selected."""

    def __init__(self, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty_label = QLabel(hint)
        self.empty_label.setObjectName("emptyHint")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.browser = QTextBrowser()
        self.browser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.browser.setOpenLinks(False)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self.browser)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.stack)

    def show_html(self, html: str | None) -> None:
        if html is None:
            self.stack.setCurrentIndex(0)
            self.browser.clear()
            return
        self.browser.setHtml(html)
        self.stack.setCurrentIndex(1)

    def text(self) -> str:
        """What is shown, as plain text (for tests and copying)."""
        return self.browser.toPlainText() if self.stack.currentIndex() == 1 else ""
