"""Reasons about money in Chinese: "应发X元" for an amount due, "最高可领X元" for a ceiling."""

from __future__ import annotations

from jiuye.engine.decision import Line, PartLine
from jiuye.money import format_yuan

__all__ = ["decision_money_text", "line_money_text", "part_text"]

#: (amount due, ceiling) wording: cash is paid (应发 / 最高可领), a tax limit is deducted.
_WORDS = {"tax": ("应扣减", "最高可扣减")}
_CASH = ("应发", "最高可领")


def part_text(x: PartLine) -> str:
    calc = f"{x.label} {x.quantity_text} × {x.rate} = "
    if not x.ceiling:
        return calc + format_yuan(x.subtotal_fen)
    if x.due_fen is not None:
        return f"{calc}限额{format_yuan(x.subtotal_fen)}，以限额为限应为{format_yuan(x.due_fen)}"
    return f"{calc}最高{format_yuan(x.subtotal_fen)}"


def line_money_text(line: Line, fund: str | None = None) -> str:
    """What the line's parts come to: the amount due, or only the ceiling (and what would settle it)."""
    due, up_to = _WORDS.get(fund or "", _CASH)
    calc = "；".join(part_text(x) for x in line.parts)
    if line.ceiling_fen is None:
        return calc
    if line.amount_fen is not None:
        return f"{calc}；{due}{format_yuan(line.amount_fen)}"
    open_facts = [x.due_fact for x in line.parts if x.ceiling and x.due_fact and x.due_fen is None]
    how = f"填写“{'、'.join(open_facts)}”即可算出{due}金额" if open_facts else "具体金额由经办机构在上限内核定"
    return f"{calc}；{up_to}{format_yuan(line.ceiling_fen)}（{how}）"


def decision_money_text(
    count: int, amount_fen: int | None, ceiling_fen: int | None, fund: str | None = None
) -> str | None:
    """The head line of a decision of several eligible rows."""
    due, up_to = _WORDS.get(fund or "", _CASH)
    if amount_fen is not None and ceiling_fen is not None:
        return f"{count}项符合，{due}合计{format_yuan(amount_fen)}（限额合计{format_yuan(ceiling_fen)}）"
    if amount_fen is not None:
        return f"{count}项符合，合计{format_yuan(amount_fen)}"
    if ceiling_fen is not None:
        return f"{count}项符合，{up_to}合计{format_yuan(ceiling_fen)}（{due}金额待核定）"
    return None
