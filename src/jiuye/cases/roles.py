"""Who acts on an application: the user roles of the platform, plus the system itself.

>>> Role.FINANCE.label
'财务人员'
>>> sorted(r.value for r in CLAIMANT_ROLES)
['enterprise', 'individual']
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["CLAIMANT_ROLES", "Role"]


class Role(StrEnum):
    """A user role (the same codes as the service's ``users.role``), or ``system`` for automatic steps."""

    ENTERPRISE = "enterprise"
    INDIVIDUAL = "individual"
    CASEWORKER = "caseworker"
    REVIEWER = "reviewer"
    FINANCE = "finance"
    AUDITOR = "auditor"
    ADMIN = "admin"
    SYSTEM = "system"  # the engine's check at submission, the scheduled close of a notice; never a login

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Role.ENTERPRISE: "企业用户",
    Role.INDIVIDUAL: "个人用户",
    Role.CASEWORKER: "经办人员",
    Role.REVIEWER: "审核人员",
    Role.FINANCE: "财务人员",
    Role.AUDITOR: "审计人员",
    Role.ADMIN: "系统管理员",
    Role.SYSTEM: "系统自动",
}

#: Claimants act only on their own applications (an enterprise user on its enterprise's).
CLAIMANT_ROLES = frozenset({Role.ENTERPRISE, Role.INDIVIDUAL})
