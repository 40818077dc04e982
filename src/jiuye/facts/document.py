"""A facts document: the persons, employers and their relations one evaluation reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, field_validator

from jiuye.facts.base import _Entity, entity_region
from jiuye.facts.business import Business
from jiuye.facts.district import DistrictIndicators
from jiuye.facts.employer import Employer
from jiuye.facts.employment import Apprenticeship, Employment, Internship, Placement
from jiuye.facts.fields import fact
from jiuye.facts.grants import PriorGrant
from jiuye.facts.person import Person
from jiuye.facts.skills import Certificate, Training

__all__ = ["REFERENCES", "Facts", "dangling_references"]


# Python functions rather than the builtins ``list`` and ``dict``: pydantic reads a default
# factory's signature, and a builtin's is parsed from text with the tokenizer (~15 ms at import).
def _empty_list() -> list[Any]:
    return []


def _empty_dict() -> dict[str, Any]:
    return {}


class Facts(_Entity):
    """一份事实文件：评估所需的人员、单位及其关系。"""

    region: str | None = fact("默认地区（行政区划代码）", example="450103")
    as_of: dt.date | None = fact("默认评估日期", example="2025-12-31")
    persons: list[Person] = Field(default_factory=_empty_list, title="人员")
    employers: list[Employer] = Field(default_factory=_empty_list, title="用人单位")
    employments: list[Employment] = Field(default_factory=_empty_list, title="招用记录")
    internships: list[Internship] = Field(default_factory=_empty_list, title="见习记录")
    businesses: list[Business] = Field(default_factory=_empty_list, title="创业经营主体")
    certificates: list[Certificate] = Field(default_factory=_empty_list, title="证书")
    apprenticeships: list[Apprenticeship] = Field(default_factory=_empty_list, title="新型学徒制")
    placements: list[Placement] = Field(default_factory=_empty_list, title="人力资源机构介绍就业")
    trainings: list[Training] = Field(default_factory=_empty_list, title="失业人员培训")
    districts: list[DistrictIndicators] = Field(default_factory=_empty_list, title="辖区指标")
    prior_grants: list[PriorGrant] = Field(default_factory=_empty_list, title="已享受补贴")
    parameters: dict[str, Any] = Field(
        default_factory=_empty_dict,
        title="参数设定",
        description="本地参数（如当地最低工资标准）或假设测算，键为参数全名",
    )

    @field_validator("region", mode="before")
    @classmethod
    def _check_region(cls, v: Any) -> str | None:
        return entity_region(v)


#: Which field of which table points at a person or an employer: (table, field, target table).
REFERENCES: tuple[tuple[str, str, str], ...] = (
    ("employments", "person", "persons"),
    ("employments", "employer", "employers"),
    ("internships", "person", "persons"),
    ("internships", "employer", "employers"),
    ("businesses", "founder", "persons"),
    ("certificates", "person", "persons"),
    ("certificates", "employer", "employers"),
    ("apprenticeships", "person", "persons"),
    ("apprenticeships", "employer", "employers"),
    ("placements", "agency", "employers"),
    ("placements", "person", "persons"),
    ("placements", "employer", "employers"),
    ("trainings", "person", "persons"),
    ("prior_grants", "person", "persons"),
    ("prior_grants", "employer", "employers"),
)


def dangling_references(facts: Facts) -> list[str]:
    """Every cross-reference must name an entity of this file; report all, by row."""
    persons = {p.id for p in facts.persons}
    employers = {e.id for e in facts.employers}
    problems: list[str] = []
    for table, entities in (("persons", facts.persons), ("employers", facts.employers)):
        ids = [e.id for e in entities]
        dup = sorted({x for x in ids if ids.count(x) > 1})
        if dup:
            problems.append(f"{table}：编号重复 {'、'.join(dup)}；提示：每个编号在文件内须唯一")
    checks = [
        (table, getattr(facts, table), field, persons if target == "persons" else employers)
        for table, field, target in REFERENCES
        if table != "prior_grants"  # grants received may name entities no longer in the file
    ]
    for table, rows, field, known in checks:
        for i, row in enumerate(rows):
            ref = getattr(row, field)
            if ref is not None and ref not in known:
                what = "人员" if known is persons else "单位"
                problems.append(f"{table}[{i}].{field}：找不到编号为 {ref!r} 的{what}")
    return problems
