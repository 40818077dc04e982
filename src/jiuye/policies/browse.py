"""Finding measures in the catalog: by jurisdiction, by who benefits, by fund, by words.

>>> [m.id for m in find(jurisdiction="xxq", who="person", fund="ui_fund")]
['xxq.skill.upgrade']
>>> len(find(text="扩岗")) >= 1, find(text="没有这样的政策")
(True, [])
"""

from __future__ import annotations

from jiuye.catalog import FUND_NAMES
from jiuye.engine.measure import Measure
from jiuye.policies.registry import all_measures

__all__ = ["BENEFICIARY_GROUPS", "FUNDS", "JURISDICTIONS", "WHO", "find", "who_of"]

#: Jurisdictions in the order people look for them: the nation, the region, the district.
JURISDICTIONS = {"cn": "国家", "gx": "广西", "xxq": "XX区"}

#: Who benefits, in plain words, from the engine's beneficiary entity: single units (an enterprise, a
#: social organisation, an HR agency), individuals (a person, or a founder's own business: the
#: start-up subsidy and the self-employed tax deduction go to the founder), and government itself.
BENEFICIARY_GROUPS = {
    "employer": "unit",
    "agency": "unit",
    "person": "person",
    "business": "person",
    "district": "government",
}
WHO = {"unit": "单位", "person": "个人", "government": "政府部门"}


def who_of(measure: Measure) -> str:
    return BENEFICIARY_GROUPS.get(measure.beneficiary, "unit")


def _matches(measure: Measure, text: str) -> bool:
    words = text.split()
    haystack = f"{measure.id} {measure.title} {measure.summary}".lower()
    return all(word.lower() in haystack for word in words)


def find(
    *, jurisdiction: str | None = None, who: str | None = None, fund: str | None = None, text: str | None = None
) -> list[Measure]:
    """Measures matching every filter given (none: all), nation first, then region, then district."""
    order = list(JURISDICTIONS)
    found = [
        m
        for m in all_measures()
        if (not jurisdiction or m.jurisdiction == jurisdiction)
        and (not who or who_of(m) == who)
        and (not fund or (m.fund or "none") == fund)
        and (not text or _matches(m, text))
    ]
    return sorted(found, key=lambda m: (order.index(m.jurisdiction) if m.jurisdiction in order else 9, m.id))


#: The fund filter's choices: the catalog's funds, and measures that pay nothing from a fund.
FUNDS = {**FUND_NAMES, "none": "不涉及资金"}
