"""The menu each role sees: public pages for everyone, then the caller's own work."""

from __future__ import annotations

from jiuye.service.auth import Caller

__all__ = ["PUBLIC", "menu_for"]

PUBLIC = (("/policies", "政策目录"), ("/calculator", "政策计算器"), ("/notices", "公示"))
_CLAIMANT = (("/my", "我的办事"),)
_STAFF = {
    "caseworker": (("/staff", "工作台"), ("/staff/matching", "政策找人"), ("/staff/ledger", "1131台账"),
                   ("/staff/jobs", "岗位")),
    "reviewer": (("/staff", "工作台"),),
    "finance": (("/staff", "工作台"), ("/staff/batches", "发放批次"), ("/staff/funds", "资金")),
    "auditor": (("/staff", "工作台"), ("/admin/audit", "审计日志")),
    "admin": (("/staff", "工作台"), ("/admin/users", "用户"), ("/admin/parameters", "地方参数"),
              ("/admin/audit", "审计日志")),
}  # fmt: skip


def menu_for(caller: Caller | None) -> tuple[tuple[str, str], ...]:
    if caller is None:
        return PUBLIC
    if caller.role in ("enterprise", "individual"):
        return _CLAIMANT + PUBLIC
    return _STAFF.get(caller.role, ()) + PUBLIC
