"""What a claim is worth, and what it uses up: the engine's decision turned into ledger items.

A claim names a measure, the facts the engine needs, and which beneficiary in those facts is the
claimant. The engine decides (status, amount, reasons) exactly as the calculator does. Each
eligible row then becomes a *grant item*, the unit the grant ledger allows once:

* a measure with :class:`~jiuye.engine.measure.Once` is once per its keys (per year with
  ``per_year_of``): gx.expansion is once per hired person, whoever the employer;
* any other measure is once per row: the beneficiary, the person the row is about and its date
  (a hire, an internship start), so the same hire cannot be claimed twice;
* mutually exclusive measures share one ledger key, their exclusion group, so a hire that
  earned one cannot earn the other.

Identities are national numbers (公民身份号码, 统一社会信用代码) under the blind index, so two
applications from different enterprises about the same person meet in the ledger without the
number being stored. A row whose identity number is missing cannot be checked and is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from jiuye.calculator import evaluate
from jiuye.engine.evaluate import ELIGIBLE
from jiuye.engine.explain import decisions_of
from jiuye.engine.measure import Measure
from jiuye.engine.provenance import facts_hash, provenance_of, run_provenance
from jiuye.facts.model import Facts
from jiuye.facts.tables import UNITS
from jiuye.params import ParameterSet
from jiuye.service.errors import InputError
from jiuye.service.protect import Protector

__all__ = ["Assessment", "GrantItem", "assess"]

#: Which column holds the national number of an entity a key or a row points at.
_NUMBER = {"person": ("person_id_number", "id_number"), "employer": ("employer_uscc", "uscc")}
_LABEL = {
    "person": "人员的公民身份号码",
    "employer": "单位的统一社会信用代码",
    "business": "经营主体的统一社会信用代码",
}


@dataclass(frozen=True)
class GrantItem:
    ledger_key: str  # measure id, or the exclusion group it shares
    item_key: str  # SHA-256 of the blind-indexed identities: fixed length, reveals nothing
    period: str  # once | a year | row
    amount_fen: int
    label: str  # what it is, masked, for people
    ceiling_fen: int | None = None  # an up-to figure (最高, 不超过): never granted as such
    due: bool = True  # the amount is settled (by the rules); false: only the ceiling is known


@dataclass(frozen=True)
class Assessment:
    measure: str
    as_of: dt.date
    region: str
    status: str
    amount_fen: int | None
    reasons: list[str]
    items: list[GrantItem] = field(default_factory=list)
    # engine version, rule hash, parameter dates, facts hash, date and region of this decision
    provenance: dict[str, Any] = field(default_factory=dict)
    ceiling_fen: int | None = None  # see jiuye.engine.amounts: apart from the amount due


def _identity(row: dict[str, Any], entity: str, protector: Protector) -> str:
    if entity == "business":
        number = row.get("business_uscc") or None
        if number is None:  # an individual business without a licence code: its founder and registration
            founder = _identity(row, "person", protector)
            return f"business:{founder}:{row.get('business_registered_on')}"
        return "business:" + protector.blind_index("uscc", str(number))
    column, kind = _NUMBER[entity]
    number = row.get(column)
    if not number:
        msg = (
            f"无法确认是否重复享受：缺少{_LABEL[entity]}（{row.get(f'{entity}_id')}）；提示：在事实中填写号码后重新提交"
        )
        raise InputError(msg)
    return f"{entity}:" + protector.blind_index(kind, str(number))


def _item(measure: Measure, row: dict[str, Any], protector: Protector) -> GrantItem:
    once = measure.once
    if once is not None:
        parts = [_identity(row, key.removesuffix("_id"), protector) for key in once.keys]
        period = str(row[once.per_year_of].year) if once.per_year_of and row.get(once.per_year_of) else "once"
    else:
        spec = UNITS[measure.unit]
        parts = [_identity(row, measure.beneficiary if measure.beneficiary != "agency" else "employer", protector)]
        if "person_id" in row and measure.beneficiary != "person":
            parts.append(_identity(row, "person", protector))
        if spec.key_date and row.get(spec.key_date):
            parts.append(str(row[spec.key_date]))
        period = "row"
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
    due = row.get("amount_fen")
    return GrantItem(
        measure.exclusion_group or measure.id,
        digest,
        period,
        int(due or 0),
        "",
        row.get("ceiling_fen"),
        due is not None,
    )


def assess(
    facts: Facts,
    measure: Measure,
    claimant: str,
    *,
    as_of: dt.date,
    region: str,
    params: ParameterSet,
    protector: Protector,
    facts_digest: str | None = None,
) -> Assessment:
    """The engine's decision for ``claimant`` (its id in the facts) and, when eligible, the items
    (``facts_digest``: the facts' hash, when the caller has it already)."""
    runs, used, _ = evaluate(facts, as_of=as_of, region=region, params=params, measures=[measure])
    decisions = [d for run in runs for d in decisions_of(run, used.at(as_of))]
    mine = [d for d in decisions if d.subject_id == claimant]
    if not mine:
        msg = f"事实中没有编号为 {claimant!r} 的申请对象（{measure.title}的受益方）；提示：检查 claimant 与事实中的编号"
        raise InputError(msg)
    decision = mine[0]
    items: list[GrantItem] = []
    if decision.status == ELIGIBLE:
        rows = [r for r in runs[0].rows() if r["subject_id"] == claimant and r["status"] == ELIGIBLE]
        items = [_item(measure, row, protector) for row in rows]
    rule = run_provenance(runs[0])
    record = provenance_of(
        [rule], input_kind="facts", input_hash=facts_digest or facts_hash(facts), as_of=as_of, region=region
    )
    provenance = {**record.decision(measure.id), "as_of": as_of.isoformat(), "region": region}
    return Assessment(
        measure.id,
        as_of,
        region,
        decision.status,
        decision.amount_fen,
        decision.reasons,
        items,
        provenance,
        decision.ceiling_fen,
    )
