"""Businesses founded by a person: a small or micro enterprise, or an individual business."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import field_validator

from jiuye.facts.base import Count, Money, _Entity, entity_region
from jiuye.facts.enums import BusinessForm
from jiuye.facts.fields import fact
from jiuye.identifiers import check_uscc

__all__ = ["Business"]


class Business(_Entity):
    """创业：创业者创办的小微企业或个体工商户。"""

    id: str = fact("经营主体编号", example="B1")
    founder: str = fact("创业者（人员编号）", example="P3")
    name: str | None = fact("经营主体名称", example="某某小吃店")
    uscc: str | None = fact("统一社会信用代码", example=None)
    form: BusinessForm | None = fact(
        "组织形式",
        example="individual_business",
        note="small_micro_enterprise 小微企业 / individual_business 个体工商户",
    )
    region: str | None = fact("注册地行政区划代码", example="450123")
    registered_on: dt.date | None = fact("工商注册登记日期", example="2024-03-01")
    township_or_below: bool | None = fact("位于乡镇及以下（不含城区、县城所在乡镇）", example=False)
    first_in_guangxi: bool | None = fact("首次在自治区内创业", example=True)
    operating_normally: bool | None = fact("正常运营", example=True)
    hires_with_pension_6m: Count | None = fact(
        "吸纳就业并缴纳养老保险满6个月的人数（不含创业者）", unit="人", example=3
    )
    # -- what the money is (issue 11, item 7) --
    tax_payable: Money | None = fact(
        "评估年度实际应缴纳的增值税、城市维护建设税、教育费附加、地方教育附加和个人所得税合计",
        unit="元",
        example="8000",
        note="扣减以此为限；未填时结果只给扣减限额",
    )

    @field_validator("region", mode="before")
    @classmethod
    def _check_region(cls, v: Any) -> str | None:
        return entity_region(v)

    @field_validator("uscc")
    @classmethod
    def _check_uscc(cls, v: str | None) -> str | None:
        return None if v is None else check_uscc(v)
