"""Record checks on the statuses a registry states (mirroring the facts model's validators):
a stated status agrees with its own dates, and a certificate not yet held has no issue date."""

from __future__ import annotations

import polars as pl

from jiuye.facts.person import KEY_GROUP_LISTS
from jiuye.registry.codes import Checks

__all__ = ["certificate_rules", "declared_status_rules"]


def declared_status_rules(present: list[str]) -> dict[str, Checks]:
    """Person._declared_statuses: no start date for a status stated as not held; a list's end
    is not before its entry."""
    rules: dict[str, Checks] = {}
    for flag, what in (("registered_unemployed", "失业登记"), ("ui_insured", "失业保险参保")):
        since = f"{flag}_since"
        if flag in present and since in present:
            stated_not = pl.col(flag).not_() & pl.col(since).is_not_null()
            rules[since] = [(stated_not, f"申报未处于{what}状态，却填写了{what}起始日期；提示：删除其中一项")]
    for group, label in KEY_GROUP_LISTS.items():
        since, until = f"{group}_since", f"{group}_until"
        if since in present and until in present:
            rules[until] = [(pl.col(until) < pl.col(since), f"{label}名单的截止日期早于起始日期")]
    return rules


def certificate_rules(present: list[str]) -> dict[str, Checks]:
    """Certificate._held: a certificate stated as not yet held has no issue date."""
    if "held" not in present or "issued_on" not in present:
        return {}
    message = "申报尚未取得证书，却填写了发证日期；提示：已取得的改为 held: true，未取得的删除发证日期"
    return {"issued_on": [(pl.col("held").not_() & pl.col("issued_on").is_not_null(), message)]}
