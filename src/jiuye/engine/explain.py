"""Turn a :class:`MeasureRun` into decisions, with reasons rendered in Chinese from labels."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from jiuye.engine.amounts import due_col, has_ceiling
from jiuye.engine.decision import ConditionResult, Conflict, Decision, Line, PartLine
from jiuye.engine.evaluate import (
    ELIGIBLE,
    INELIGIBLE,
    NEEDS_FACTS,
    MeasureRun,
    basis_col,
    cond_col,
    info_col,
    null_parameters_allowed,
    part_cols,
    render_label,
)
from jiuye.engine.measure import Measure, Part
from jiuye.engine.money_text import decision_money_text, line_money_text
from jiuye.engine.near_miss_text import near_miss_text
from jiuye.engine.shown import info_text, line_label, shown
from jiuye.facts.tables import column_label, derived_inputs
from jiuye.money import format_yuan
from jiuye.params import Params
from jiuye.policies.documents import citation_text
from jiuye.sizing import explain_size

__all__ = ["decisions_of"]

_STATUS_CN = {ELIGIBLE: "符合", INELIGIBLE: "不符合", NEEDS_FACTS: "待补充事实"}
_UNIT_LABEL = {"person": "个人", "employer": "单位", "agency": "人力资源服务机构", "district": "辖区"}


_column_label = functools.cache(column_label)  # pure functions of a column name, asked per row
_derived_inputs = functools.cache(derived_inputs)
_citation = functools.cache(citation_text)


class _Rule:
    """What explaining rows reads from one epoch's rule, derived once and kept on the epoch: the
    columns each expression reads, and the labels rendered with the epoch's parameters."""

    def __init__(self, measure: Measure, p: Params) -> None:
        self.measure = measure
        self.p = p
        self.variables = {v.name: v for v in measure.variables}
        self.tests = {c.key: c for c in measure.conditions}
        self.known: dict[tuple[Any, ...], Any] = {}

    def once(self, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
        found = self.known.get(key, _ABSENT)
        if found is _ABSENT:
            found = self.known[key] = build()
        return found

    def reads(self, name: str) -> list[str]:
        """The columns a variable's expression reads."""
        found: list[str] = self.once(("var", name), lambda: self.variables[name].expr(self.p).meta.root_names())
        return found

    def test_reads(self, key: str) -> list[str]:
        found: list[str] = self.once(("test", key), lambda: self.tests[key].test(self.p).meta.root_names())
        return found

    def label(self, text: str) -> str:
        found: str = self.once(("label", text), lambda: render_label(text, self.p))
        return found


_ABSENT = object()


def _rule(run: MeasureRun, epoch: int) -> _Rule:
    memo = run.epochs[epoch].memo
    rule = memo.get("explain")
    if not isinstance(rule, _Rule) or rule.measure is not run.measure:
        rule = memo["explain"] = _Rule(run.measure, run.epochs[epoch].params)
    return rule


def _roots(rule: _Rule, names: list[str], row: dict[str, Any] | None = None) -> list[str]:
    """Base fact columns behind a set of columns, following variables to their inputs; with a
    ``row``, a status already known there (declared or derived) asks for none of its inputs."""
    if row is None:
        found: list[str] = rule.once(("roots", *names), lambda: _walk(rule, names, None))
        return found
    return _walk(rule, names, row)


def _walk(rule: _Rule, names: list[str], row: dict[str, Any] | None) -> list[str]:
    variables = rule.variables
    out: list[str] = []
    stack = list(names)
    seen: set[str] = set()
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in variables:
            if row is not None and variables[name].basis is not None and row.get(name) is not None:
                continue
            stack.extend(rule.reads(name))
        elif inputs := _derived_inputs(name):
            stack.extend(inputs)
        else:
            out.append(name)
    return out


def _bases(rule: _Rule, names: list[str], row: dict[str, Any]) -> str | None:
    """What decided the status variables behind ``names`` (followed through other variables):
    a declared status or one derived from dates and counts."""
    variables = rule.variables
    texts: list[str] = []
    stack, seen = list(reversed(names)), set()
    while stack:
        name = stack.pop()
        if name in seen or name not in variables:
            continue
        seen.add(name)
        variable = variables[name]
        if variable.basis is not None:
            text = row.get(basis_col(name))
            if text and text not in texts:
                texts.append(text)
        else:
            stack.extend(reversed(rule.reads(name)))
    return "；".join(texts) or None


def _line(run: MeasureRun, row: dict[str, Any]) -> Line:
    m = run.measure
    epoch = row["epoch"]
    rule = _rule(run, epoch)  # the rule that governs this row's event
    p = rule.p
    conditions = []
    missing: list[str] = []
    used_columns: list[str] = []
    tests = rule.tests
    variables = rule.variables
    for cond, label in run.conditions[epoch]:
        value = row.get(cond_col(cond.key))
        citation = _citation(cond.cite.document, cond.cite.clause)
        direct = rule.test_reads(cond.key) if cond.key in tests else []
        conditions.append(ConditionResult(cond.key, label, value, citation, _bases(rule, direct, row)))
        if cond.key in tests:
            used_columns += [d for d in direct if d in variables and d not in used_columns]
            roots = _roots(rule, direct)
        elif cond.key == "jurisdiction":
            roots = ["region"]
        elif cond.key == "in_force":
            roots = ["event_date"]
        else:
            roots = []
        used_columns += [r for r in roots if r not in used_columns]
        if value is None:
            asked = _roots(rule, direct, row) if cond.key in tests else roots
            missing += [_column_label(r) for r in asked if row.get(r) is None and _column_label(r) not in missing]
    parts = []
    for i, part in enumerate(m.parts):
        q, r, f = (row.get(c) for c in part_cols(i))
        label = rule.label(part.label)
        if q is None or r is None or f is None:
            if row["status"] == NEEDS_FACTS:
                # The conditions hold but the amount cannot be computed: name what it needs.
                roots = _roots(rule, _part_reads(rule, i))
                missing += [
                    f"{_column_label(x)}（用于计算{label}）" for x in roots if row.get(x) is None and x != "region"
                ]
            continue
        rate = f"{r / 10_000:g}%" if part.ratio else format_yuan(int(r))
        quantity = format_yuan(int(q)) if part.ratio else f"{q}{part.quantity_unit}"
        parts.append(PartLine(label, int(q), part.quantity_unit, quantity, rate, int(f), *_due(rule, part, i, row)))
    values = {}
    for column in used_columns:
        label = rule.label(variables[column].label) if column in variables else _column_label(column)
        value = row.get(column)
        unit = variables[column].unit if column in variables else ""
        if unit == "CNY" and isinstance(value, int):
            values[label] = format_yuan(value)
        elif unit in ("ppm", "ratio") and isinstance(value, int):
            values[label] = f"{value / 10_000:g}%"
        else:
            values[label] = shown(column, value)
        if basis := _bases(rule, [column], row):
            values[f"{label}（依据）"] = basis
    if "enterprise_size" in variables:
        values["企业规模"] = shown("", row.get("enterprise_size"))
        values["划型依据"] = explain_size(row.get("industry_group"), row)
    info = {i.label: info_text(i, row.get(info_col(i.key))) for i in m.info}
    for name in run.unset(epoch):
        text = f"参数“{p.source[name].description}”（{name}）尚未设定"
        if row["status"] == NEEDS_FACTS and text not in missing:
            missing.append(text)
    return Line(
        key=str(row.get("row_id")),
        label=line_label(m, row),
        status=row["status"],
        amount_fen=row.get("amount_fen"),
        conditions=conditions,
        parts=parts,
        missing_facts=missing,
        values=values,
        info=info,
        ceiling_fen=row.get("ceiling_fen"),
        near_miss=_near_miss(rule, row),
    )


def _part_reads(rule: _Rule, i: int) -> list[str]:
    part = rule.measure.parts[i]
    found: list[str] = rule.once(
        ("part", i),
        lambda: [*part.quantity(rule.p).meta.root_names(), *part.rate(rule.p).meta.root_names()],
    )
    return found


def _near_miss(rule: _Rule, row: dict[str, Any]) -> str | None:
    key, gap = row.get("near_miss"), row.get("near_miss_gap")
    if key is None:
        return None
    found: str = rule.once(("near_miss", key, gap), lambda: near_miss_text(rule.measure, key, gap, rule.p))
    return found


def _due(rule: _Rule, part: Part, i: int, row: dict[str, Any]) -> tuple[bool, int | None, str]:
    """A ceiling part's amount due and the label of the fact that settles it."""
    if not part.ceiling or part.due is None:
        return part.ceiling, None, ""
    due = row.get(due_col(i))
    # Name the facts that would settle it only when they are what is missing.
    if due is not None:
        return True, due, ""
    reads: list[str] = rule.once(("due", i), lambda: part.due(rule.p).meta.root_names())  # type: ignore[misc]
    return True, due, "、".join(_column_label(x) for x in _roots(rule, reads) if row.get(x) is None)


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
    found: list[str] = _rule(run, epochs[0]).once(("assumptions", *epochs, *sizes), lambda: _assumed(run, epochs))
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


def decisions_of(run: MeasureRun, p: Params) -> list[Decision]:
    """One decision per beneficiary; rows of the same beneficiary become its lines."""
    m = run.measure
    citations = [citation_text(c.document, c.clause) for c in m.sources]
    out: list[Decision] = []
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in run.rows():
        groups.setdefault(row["subject_id"], []).append(row)
    for key, rows in groups.items():
        with null_parameters_allowed():
            lines = [_line(run, row) for row in rows]
        statuses = {x.status for x in lines}
        status = ELIGIBLE if ELIGIBLE in statuses else NEEDS_FACTS if NEEDS_FACTS in statuses else INELIGIBLE
        amount, ceiling = _totals(m, lines, status)
        missing: list[str] = []
        for x in lines:
            missing += [f for f in x.missing_facts if f not in missing]
        first = rows[0]
        conflicts = [
            Conflict("once", [m.id], None, f"{x.label}：同一对象在本批数据中已计入，一次性补贴只享受一次")
            for x in lines
            if any(c.key == "once" and c.result is False for c in x.conditions)
        ]
        out.append(
            Decision(
                measure=m.id,
                title=m.title,
                subject_kind=_UNIT_LABEL.get(m.beneficiary, m.beneficiary),
                subject_id=str(key),
                subject_name=first.get(f"{m.beneficiary}_name"),
                region=first.get("region"),
                status=status,
                amount_fen=amount,
                lines=lines,
                reasons=_reasons(run, lines, status, amount, ceiling),
                citations=citations,
                missing_facts=missing if status == NEEDS_FACTS else [],
                assumptions=_assumptions(run, sorted({r["epoch"] for r in rows})),
                fund=m.fund,
                pays_money=m.pays_money,
                exclusion_group=m.exclusion_group,
                notes=list(m.notes),
                conflicts=conflicts,
                ceiling_fen=ceiling,
            )
        )
    return out


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
