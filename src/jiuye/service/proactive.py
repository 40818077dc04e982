"""免申即享: the batch matcher's eligible results enter the case service as pre-checked cases
(桂人社发〔2025〕38号（十三）"通过……数据比对等途径，主动发现……及时落实就业扶持政策"; the
Guangxi business plan（一）"推广'直补快办'模式").

``jiuye match`` decides over a whole registry; a caseworker then imports its eligible, selected
decisions for chosen measures. Each becomes an application of source ``proactive`` in
:data:`~jiuye.cases.PROACTIVE_ENTRY_STATE` (already checked by the engine), carrying the slice of
the registry the engine needs for that beneficiary (their rows, and the people and employers
those rows name). It still passes review, the public notice and approval, where the engine
decides again and the ledger grants once: found by the system still means checked, never paid blind.

The engine runs again at import, as of the import day: a decision the registry no longer
supports, an item the ledger already holds, or an open case for the same beneficiary and
measure is skipped with the reason, so importing the same match twice creates nothing new.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases import PROACTIVE_ENTRY_STATE, State
from jiuye.engine.evaluate import ELIGIBLE
from jiuye.errors import FactsError, UnknownMeasureError
from jiuye.facts import facts_from_data
from jiuye.facts.model import REFERENCES
from jiuye.policies.registry import get_measure
from jiuye.service.applications import Engine, already_granted
from jiuye.service.audit import record
from jiuye.service.auth import Caller
from jiuye.service.claims import assess
from jiuye.service.deliveries import refuse_unclaimable
from jiuye.service.errors import ConflictError, ForbiddenError, InputError, NotFoundError
from jiuye.service.models import Application, Subject
from jiuye.service.person_checks import check_people
from jiuye.service.subjects import find_by_number, register_subject

__all__ = ["ProactiveReport", "import_matches", "registry_slices"]

_TABLE = {"person": "persons", "employer": "employers", "agency": "employers"}
_CLOSED = (State.WITHDRAWN.value, State.REJECTED.value, State.RETURNED.value)


class _SkipError(Exception):
    """Why a beneficiary gets no new case (rolls back what was done for it)."""


@dataclass
class ProactiveReport:
    created: list[int] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (beneficiary, reason), Chinese

    def summary(self) -> str:
        return f"新建主动服务案件 {len(self.created)} 件，跳过 {len(self.skipped)} 件"


def _clean(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else str(value) if hasattr(value, "as_tuple") else value


def _rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [{k: _clean(v) for k, v in row.items() if v is not None} for row in frame.iter_rows(named=True)]


def registry_slices(
    tables: Mapping[str, pl.LazyFrame], kind: str, ids: Iterable[str]
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """For each beneficiary, the facts the engine needs: their own row, every row that names them,
    and the people and employers those rows name (read in one pass per table, not per beneficiary)."""
    own_table = _TABLE[kind]
    wanted = sorted(set(ids))
    slices: dict[str, dict[str, list[dict[str, Any]]]] = {b: defaultdict(list) for b in wanted}
    named: dict[str, dict[str, set[str]]] = {b: {"persons": set(), "employers": set()} for b in wanted}
    for b in wanted:
        named[b][own_table].add(b)
    for table in dict.fromkeys(t for t, _, _ in REFERENCES):
        if table not in tables:
            continue
        fields = [(f, target) for t, f, target in REFERENCES if t == table]
        pointing = [f for f, target in fields if target == own_table]
        if not pointing:
            continue
        found = tables[table].filter(pl.any_horizontal(pl.col(f).is_in(wanted) for f in pointing)).collect()
        for row in _rows(found):
            for beneficiary in {str(row[f]) for f in pointing if row.get(f)} & set(wanted):
                slices[beneficiary][table].append(row)
                for f, target in fields:
                    if row.get(f):
                        named[beneficiary][target].add(row[f])
    for target in ("persons", "employers"):
        if target not in tables:
            continue
        every = sorted({i for n in named.values() for i in n[target]})
        by_id = {row["id"]: row for row in _rows(tables[target].filter(pl.col("id").is_in(every)).collect())}
        for beneficiary, n in named.items():
            slices[beneficiary][target] = [by_id[i] for i in sorted(n[target]) if i in by_id]
    return {b: dict(s) for b, s in slices.items()}


def _subject(session: Session, engine: Engine, caller: Caller, kind: str, row: dict[str, Any]) -> Subject:
    """The registered subject of a beneficiary, registered now (by the caseworker) if new."""
    service_kind, number = ("person", row.get("id_number")) if kind == "person" else ("enterprise", row.get("uscc"))
    if not number:
        what = "公民身份号码" if kind == "person" else "统一社会信用代码"
        msg = f"登记数据中缺少{what}，无法建立案件"
        raise InputError(msg)
    try:
        return find_by_number(session, engine.protector, caller, service_kind, str(number))
    except NotFoundError:
        pass
    try:
        return register_subject(
            session, engine.protector, caller, kind=service_kind, number=str(number),
            name=str(row.get("name") or number), region=str(row.get("region") or caller.region),
        )  # fmt: skip
    except ConflictError:  # registered in a region outside the caller's: that region's staff serve it
        raise _SkipError("该对象已在您辖区以外登记，由其登记地经办人员办理") from None


def import_matches(
    session: Session,
    engine: Engine,
    caller: Caller,
    tables: Mapping[str, pl.LazyFrame],
    decisions: pl.DataFrame,
    *,
    measures: Iterable[str],
    today: dt.date,
) -> ProactiveReport:
    """Open a pre-checked case for every eligible, selected decision of ``measures`` in the
    caller's region (``decisions`` as ``jiuye match`` writes them to decisions.parquet)."""
    if caller.role != "caseworker":
        msg = "只有经办人员可以把政策找人结果转为主动服务案件"
        raise ForbiddenError(msg)
    report = ProactiveReport()
    measures = list(measures)
    try:
        for measure_id in measures:
            get_measure(measure_id)
            refuse_unclaimable(measure_id)
    except UnknownMeasureError as exc:
        raise InputError(str(exc)) from None
    for measure_id in measures:
        chosen = decisions.filter(
            (pl.col("measure") == measure_id) & (pl.col("status") == ELIGIBLE) & pl.col("selected")
        )
        chosen = chosen.filter(pl.col("region").map_elements(caller.covers, return_dtype=pl.Boolean))
        for kind in chosen["subject_kind"].unique().sort().to_list():
            ids = chosen.filter(pl.col("subject_kind") == kind)["subject_id"].to_list()
            if kind not in _TABLE:
                report.skipped += [(f"{measure_id}:{i}", f"受益方类型 {kind} 暂不能自动建案") for i in ids]
                continue
            for beneficiary, data in registry_slices(tables, kind, ids).items():
                label = f"{measure_id}:{beneficiary}"
                try:
                    with session.begin_nested():  # a skipped beneficiary leaves nothing, the others stand
                        report.created.append(_open_case(session, engine, caller, measure_id, kind, beneficiary,
                                                         data, today))  # fmt: skip
                except (_SkipError, InputError, FactsError) as exc:
                    report.skipped.append((label, str(exc)))
    record(
        session, actor=caller.username, action="proactive.import", entity="measure", entity_id=",".join(measures),
        detail={"measures": list(measures), "created": len(report.created), "skipped": len(report.skipped)},
    )  # fmt: skip
    return report


def _open_case(
    session: Session,
    engine: Engine,
    caller: Caller,
    measure_id: str,
    kind: str,
    beneficiary: str,
    data: dict[str, list[dict[str, Any]]],
    today: dt.date,
) -> int:
    """The new application's id; :class:`_SkipError` says why none was opened."""
    own = next((row for row in data.get(_TABLE[kind], []) if row["id"] == beneficiary), None)
    if own is None:
        raise _SkipError("登记数据中找不到该受益方")
    facts = facts_from_data(data)
    subject = _subject(session, engine, caller, kind, own)
    open_case = session.scalar(
        select(Application.id).where(
            Application.subject_id == subject.id,
            Application.measure_id == measure_id,
            Application.state.not_in(_CLOSED),
        )
    )
    if open_case is not None:
        raise _SkipError(f"已有同一对象同一政策的案件 {open_case}，不重复建案")
    assessment = assess(
        facts, get_measure(measure_id), beneficiary, as_of=today, region=subject.region, params=engine.params,
        protector=engine.protector,
    )  # fmt: skip
    if assessment.status != ELIGIBLE:
        raise _SkipError(f"按 {today.isoformat()} 重新计算不符合：{'；'.join(assessment.reasons[:2])}")
    if already_granted(session, assessment):
        raise _SkipError("发放台账中已有同一事项的补贴，不重复建案")
    app = Application(
        measure_id=measure_id,
        subject_id=subject.id,
        region=subject.region,
        state=PROACTIVE_ENTRY_STATE.value,
        source="proactive",
        claimant_ref=beneficiary,
        facts_sealed=engine.protector.seal(json.dumps(data, ensure_ascii=False, default=str)),
        submitted_by=caller.user_id,
        filed_as=caller.role,
        handlers="",
        as_of_submitted=today,
        status_submitted=assessment.status,
        amount_submitted_fen=assessment.amount_fen,
        ceiling_submitted_fen=assessment.ceiling_fen,
        provenance_submitted=json.dumps(assessment.provenance, ensure_ascii=False),
        reasons=json.dumps(["免申即享：由政策找人比对结果自动建案", *assessment.reasons], ensure_ascii=False),
    )
    session.add(app)
    session.flush()
    check_people(session, app, facts, engine.protector, today, first=True)
    detail = {"measure": measure_id, "amount_fen": assessment.amount_fen, "to": app.state}
    record(session, actor=caller.username, action="application.proactive", entity="application",
           entity_id=app.id, detail=detail)  # fmt: skip
    return int(app.id)
