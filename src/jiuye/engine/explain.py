"""Turn a :class:`MeasureRun` into decisions, with reasons rendered in Chinese from labels.

What depends only on the rule of a row's epoch (labels, citations, the facts behind each
condition, how each value is shown) is derived once per epoch (:mod:`jiuye.engine.rule_text`);
per row, only what its values decide is done here.
"""

from __future__ import annotations

from typing import Any

from jiuye.engine.amounts import has_ceiling
from jiuye.engine.decision import ConditionResult, Conflict, Decision, Line, PartLine
from jiuye.engine.evaluate import ELIGIBLE, INELIGIBLE, NEEDS_FACTS, MeasureRun
from jiuye.engine.measure import Measure
from jiuye.engine.money_text import decision_money_text, line_money_text
from jiuye.engine.rule_text import PartText, RuleText, cited, label_of, rule_text
from jiuye.engine.shown import info_text, line_label, shown
from jiuye.money import format_yuan
from jiuye.params import Params
from jiuye.sizing import explain_size

__all__ = ["decisions_of"]

_STATUS_CN = {ELIGIBLE: "符合", INELIGIBLE: "不符合", NEEDS_FACTS: "待补充事实"}
_UNIT_LABEL = {"person": "个人", "employer": "单位", "agency": "人力资源服务机构", "district": "辖区"}


def _told(bases: tuple[str, ...], row: dict[str, Any]) -> str | None:
    """What decided the statuses a condition or value reads: a declared status or one derived
    from dates and counts (each told once)."""
    texts: list[str] = []
    for column in bases:
        text = row.get(column)
        if text and text not in texts:
            texts.append(text)
    return "；".join(texts) or None


def _line(rule: RuleText, row: dict[str, Any]) -> Line:
    status = row["status"]
    conditions = []
    missing: list[str] = []
    for c in rule.conditions:
        value = row.get(c.column)
        conditions.append(ConditionResult(c.key, c.label, value, c.citation, _told(c.bases, row) if c.bases else None))
        if value is None:
            asked = c.asked if c.walk is None else [(r, label_of(r)) for r in rule.walk(list(c.walk), row)]
            missing += [label for r, label in asked if row.get(r) is None and label not in missing]
    parts = []
    for x in rule.parts:
        q, r, f = (row.get(c) for c in x.columns)
        if q is None or r is None or f is None:
            if status == NEEDS_FACTS:
                # The conditions hold but the amount cannot be computed: name what it needs.
                missing += [text for column, text in rule.part_needs(x) if row.get(column) is None]
            continue
        part = x.part
        rate = f"{r / 10_000:g}%" if part.ratio else format_yuan(int(r))
        quantity = format_yuan(int(q)) if part.ratio else f"{q}{part.quantity_unit}"
        parts.append(PartLine(x.label, int(q), part.quantity_unit, quantity, rate, int(f), *_due(rule, x, row)))
    values = {}
    for v in rule.values:
        values[v.label] = v.show(row.get(v.column))
        if v.bases and (basis := _told(v.bases, row)):
            values[v.basis_label] = basis
    if rule.sized:
        values["企业规模"] = shown("", row.get("enterprise_size"))
        values["划型依据"] = explain_size(row.get("industry_group"), row)
    info = {label: info_text(i, row.get(column)) for label, column, i in rule.info}
    if status == NEEDS_FACTS:
        for text in rule.unset():
            if text not in missing:
                missing.append(text)
    near = row.get("near_miss")
    return Line(
        key=str(row.get("row_id")),
        label=line_label(rule.measure, row),
        status=status,
        amount_fen=row.get("amount_fen"),
        conditions=conditions,
        parts=parts,
        missing_facts=missing,
        values=values,
        info=info,
        ceiling_fen=row.get("ceiling_fen"),
        near_miss=None if near is None else rule.near_miss(near, row.get("near_miss_gap")),
    )


def _due(rule: RuleText, x: PartText, row: dict[str, Any]) -> tuple[bool, int | None, str]:
    """A ceiling part's amount due and the label of the fact that settles it."""
    if not x.part.ceiling or x.part.due is None:
        return x.part.ceiling, None, ""
    due = row.get(x.due_column)
    # Name the facts that would settle it only when they are what is missing.
    if due is not None:
        return True, due, ""
    return True, due, "、".join(label for column, label in rule.due_facts(x) if row.get(column) is None)


def _reasons(
    run: MeasureRun, lines: list[Line], status: str, amount: int | None, ceiling: int | None = None
) -> list[str]:
    """Every reason, in the order the law asks them: place, time, then each substantive condition."""
    m = run.measure
    reasons: list[str] = []
    several = len(lines) > 1
    for line in lines:
        prefix = f"{line.label}：" if several else ""
        if line.status == ELIGIBLE:
            if m.parts:
                reasons.append(f"{prefix}符合全部条件，{line_money_text(line, m.fund)}")
            else:
                reasons.append(f"{prefix}符合全部条件")
            bases = list(dict.fromkeys(c.basis for c in line.conditions if c.basis))
            if bases:
                reasons[-1] += f"（{'；'.join(bases)}）"
        elif line.status == INELIGIBLE:
            for c in line.conditions:
                basis = f"；{c.basis}" if c.basis else ""
                if c.result is False:
                    reasons.append(f"{prefix}不符合：{c.label}（{c.citation}{basis}）")
                elif c.result is None:
                    reasons.append(f"{prefix}尚不能判断：{c.label}（{c.citation}{basis}）")
            if line.near_miss:
                reasons.append(f"{prefix}差一点：{line.near_miss}")
        else:
            facts = "、".join(line.missing_facts) or "部分事实"
            reasons.append(f"{prefix}尚缺事实：{facts}")
    if several and status == ELIGIBLE:
        count = sum(1 for x in lines if x.status == ELIGIBLE)
        head = decision_money_text(count, amount, ceiling, m.fund)
        if head:
            reasons.insert(0, head)
    return reasons


def _assumptions(run: MeasureRun, epochs: list[int]) -> list[str]:
    """The named assumptions behind the values read (the same while the epochs read the same)."""
    if not epochs:
        return []
    sizes = tuple(len(run.epochs[e].params.used) for e in epochs)
    known: dict[tuple[Any, ...], list[str]] = run.epochs[epochs[0]].memo.setdefault("assumptions", {})
    key = (run.measure.id, *epochs, *sizes)
    found = known.get(key)
    if found is None:
        found = known[key] = _assumed(run, epochs)
    return list(found)


def _assumed(run: MeasureRun, epochs: list[int]) -> list[str]:
    out: list[str] = []
    for epoch in epochs:
        p = run.epochs[epoch].params
        for name, entry in sorted(run.params_used(epoch).items()):
            text = f"{entry.assumption}（参数 {name} = {p.display_of(entry, name)}）"
            if entry.assumption and text not in out:
                out.append(text)
    return out


def decisions_of(run: MeasureRun, p: Params, rows: list[dict[str, Any]] | None = None) -> list[Decision]:
    """One decision per beneficiary; rows of the same beneficiary become its lines.

    ``rows``: the run's rows as dicts when the caller has them already (else its frame's)."""
    m = run.measure
    citations = [cited(c.document, c.clause) for c in m.sources]
    kind, name = _UNIT_LABEL.get(m.beneficiary, m.beneficiary), f"{m.beneficiary}_name"
    rules: dict[int, RuleText] = {}  # this run's epochs, as its rows ask for them
    assumed: dict[tuple[int, ...], list[str]] = {}  # by the epochs of a beneficiary's rows
    out: list[Decision] = []
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in run.rows() if rows is None else rows:
        groups.setdefault(row["subject_id"], []).append(row)
    for key, mine in groups.items():
        lines = [_line(rules.get(row["epoch"]) or _rule(run, row["epoch"], rules), row) for row in mine]
        statuses = {x.status for x in lines}
        status = ELIGIBLE if ELIGIBLE in statuses else NEEDS_FACTS if NEEDS_FACTS in statuses else INELIGIBLE
        amount, ceiling = _totals(m, lines, status)
        missing: list[str] = []
        for x in lines:
            missing += [f for f in x.missing_facts if f not in missing]
        first = mine[0]
        epochs = tuple(sorted({r["epoch"] for r in mine}))
        assumptions = assumed.get(epochs)
        if assumptions is None:
            assumptions = assumed[epochs] = _assumptions(run, list(epochs))
        conflicts = [
            Conflict("once", [m.id], None, f"{x.label}：同一对象在本批数据中已计入，一次性补贴只享受一次")
            for x in lines
            if any(c.key == "once" and c.result is False for c in x.conditions)
        ]
        out.append(
            Decision(
                measure=m.id,
                title=m.title,
                subject_kind=kind,
                subject_id=str(key),
                subject_name=first.get(name),
                region=first.get("region"),
                status=status,
                amount_fen=amount,
                lines=lines,
                reasons=_reasons(run, lines, status, amount, ceiling),
                citations=list(citations),
                missing_facts=missing if status == NEEDS_FACTS else [],
                assumptions=list(assumptions),
                fund=m.fund,
                pays_money=m.pays_money,
                exclusion_group=m.exclusion_group,
                notes=list(m.notes),
                conflicts=conflicts,
                ceiling_fen=ceiling,
            )
        )
    return out


def _rule(run: MeasureRun, epoch: int, rules: dict[int, RuleText]) -> RuleText:
    found = rules[epoch] = rule_text(
        run.measure, run.epochs[epoch].memo, run.epochs[epoch].params, run.conditions[epoch]
    )
    return found


def _totals(m: Measure, lines: list[Line], status: str) -> tuple[int | None, int | None]:
    """The decision's amount due (None unless every eligible line's is known) and its ceiling."""
    if not m.parts or status != ELIGIBLE:
        return None, None
    eligible = [x for x in lines if x.status == ELIGIBLE]
    dues = [x.amount_fen for x in eligible]
    amount = None if any(d is None for d in dues) else sum(d or 0 for d in dues)
    ceiling = sum(x.ceiling_fen or 0 for x in eligible) if has_ceiling(m) else None
    return amount, ceiling


def status_label(status: str) -> str:
    return _STATUS_CN[status]
