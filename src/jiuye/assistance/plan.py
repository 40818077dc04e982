"""The 1131 service plan (桂人社发〔2025〕38号（十七）): at least 1 policy briefing, 1 career
guidance, 3 job recommendations and 1 training or internship offer; hardship graduates get 3–5
targeted jobs first. The counts are the catalog's parameters (``gx.grad.1131.*``, each citing the
clause); the deadlines are local settings (:mod:`jiuye.assistance.settings`).

>>> import datetime as dt
>>> from jiuye.params import load_parameters
>>> from jiuye.assistance.settings import load_assistance_settings
>>> day = dt.date(2025, 10, 1)
>>> done = [Event(ServiceKind.POLICY_BRIEFING, day)]
>>> status = plan_status(done, registered_on=day, today=dt.date(2025, 12, 15), hardship=False,
...                      params=load_parameters(), settings=load_assistance_settings())
>>> status.owed_text()
'职业指导 1 次、岗位推荐 3 次、培训或见习 1 次（2025-11-30 到期，已逾期）'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from jiuye.assistance.settings import AssistanceSettings

if TYPE_CHECKING:  # the parameters bring Polars: ``jiuye --help`` lists the ledger commands without it
    from jiuye.params import ParameterSet

__all__ = ["Event", "PlanItem", "PlanStatus", "ServiceKind", "plan_status"]

_NS = "gx.grad.1131"


class ServiceKind(StrEnum):
    POLICY_BRIEFING = "policy_briefing"
    CAREER_GUIDANCE = "career_guidance"
    JOB_RECOMMENDATION = "job_recommendation"
    TRAINING = "training"
    INTERNSHIP = "internship"
    CONTACT = "contact"  # a call or visit that reached them, with no service of the plan

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    ServiceKind.POLICY_BRIEFING: "政策宣介",
    ServiceKind.CAREER_GUIDANCE: "职业指导",
    ServiceKind.JOB_RECOMMENDATION: "岗位推荐",
    ServiceKind.TRAINING: "培训",
    ServiceKind.INTERNSHIP: "见习",
    ServiceKind.CONTACT: "联系",
}


@dataclass(frozen=True)
class Event:
    kind: ServiceKind
    on: dt.date
    targeted: bool = False  # a targeted job pushed to a hardship graduate (优先推送)


@dataclass(frozen=True)
class PlanItem:
    key: str  # the parameter's short name, or first_contact / targeted
    label: str
    required: int
    done: int
    due: dt.date
    overdue: bool

    @property
    def owed(self) -> int:
        return max(0, self.required - self.done)


@dataclass(frozen=True)
class PlanStatus:
    items: tuple[PlanItem, ...]
    closed: bool  # employed or no longer wishing to work: nothing more is owed

    @property
    def owing(self) -> tuple[PlanItem, ...]:
        return () if self.closed else tuple(i for i in self.items if i.owed)

    @property
    def complete(self) -> bool:
        return not any(i.owed for i in self.items)

    @property
    def overdue_since(self) -> dt.date | None:
        """The earliest deadline passed with something still owed."""
        return min((i.due for i in self.owing if i.overdue), default=None)

    def owed_text(self) -> str:
        if self.closed:
            return "已结束帮扶，无待提供服务" if not self.complete else "已完成"
        if not self.owing:
            return "已完成"
        parts = []
        by_due: dict[dt.date, list[str]] = {}
        for item in self.owing:
            by_due.setdefault(item.due, []).append(f"{item.label} {item.owed} 次")
        for due, what in sorted(by_due.items()):
            late = any(i.overdue for i in self.owing if i.due == due)
            parts.append(f"{'、'.join(what)}（{due.isoformat()} 到期{'，已逾期' if late else ''}）")
        return "；".join(parts)


def plan_status(
    events: Iterable[Event],
    *,
    registered_on: dt.date,
    today: dt.date,
    hardship: bool,
    params: ParameterSet,
    settings: AssistanceSettings,
    closed: bool = False,
) -> PlanStatus:
    """What of the 1131 plan is done, owed and overdue on ``today``: the plan that governs the
    registration (its event), as known on ``today``."""
    p = params.at(max(today, registered_on), event=registered_on)
    done = [e for e in events if e.on <= today]
    count = {kind: sum(1 for e in done if e.kind is kind) for kind in ServiceKind}
    plan_due = registered_on + dt.timedelta(days=settings.plan_days)
    contact_due = registered_on + dt.timedelta(days=settings.first_contact_days)

    def item(key: str, label: str, required: int, got: int, due: dt.date) -> PlanItem:
        return PlanItem(key, label, required, min(got, required), due, today > due and got < required)

    items = [item("first_contact", "首次联系", 1, len(done), contact_due)]
    if hardship:
        targeted = sum(1 for e in done if e.kind is ServiceKind.JOB_RECOMMENDATION and e.targeted)
        due = registered_on + dt.timedelta(days=settings.targeted_days)
        items.append(item("targeted_jobs_min", "针对性岗位推送", int(p[f"{_NS}.targeted_jobs_min"]), targeted, due))
    for key, label, got in (
        ("policy_briefings", "政策宣介", count[ServiceKind.POLICY_BRIEFING]),
        ("career_guidance", "职业指导", count[ServiceKind.CAREER_GUIDANCE]),
        ("job_recommendations", "岗位推荐", count[ServiceKind.JOB_RECOMMENDATION]),
        ("training_or_internship", "培训或见习", count[ServiceKind.TRAINING] + count[ServiceKind.INTERNSHIP]),
    ):
        items.append(item(key, label, int(p[f"{_NS}.{key}"]), got, plan_due))
    return PlanStatus(tuple(items), closed)
