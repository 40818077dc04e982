"""The real-name assistance ledger for unemployed graduates (桂人社发〔2025〕38号（十七）): the 1131
service plan, what is owed and overdue, the graduate's status and the trail of pushed jobs.

Pure domain: no database. :mod:`jiuye.service.assistance` stores it and scopes it by region.
"""

from jiuye.assistance.plan import Event, PlanItem, PlanStatus, ServiceKind, plan_status
from jiuye.assistance.settings import AssistanceSettings, load_assistance_settings
from jiuye.assistance.status import GraduateStatus, StatusError, next_status
from jiuye.assistance.trail import Stage, TrailError, advance

__all__ = [
    "AssistanceSettings",
    "Event",
    "GraduateStatus",
    "PlanItem",
    "PlanStatus",
    "ServiceKind",
    "Stage",
    "StatusError",
    "TrailError",
    "advance",
    "load_assistance_settings",
    "next_status",
    "plan_status",
]
