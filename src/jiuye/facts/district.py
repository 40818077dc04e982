"""A district's yearly employment indicators (for target monitoring)."""

from __future__ import annotations

from typing import Any

from pydantic import field_validator

from jiuye.facts.base import Count, Ratio, _Entity
from jiuye.facts.fields import fact
from jiuye.regions import validate_region

__all__ = ["DistrictIndicators"]


class DistrictIndicators(_Entity):
    """辖区年度就业工作指标完成情况（用于目标监测）。"""

    region: str = fact("区县行政区划代码", example="450103")
    year: int = fact("年度", example=2025, ge=1900, le=2100)
    urban_new_jobs: Count | None = fact("城镇新增就业人数", unit="人", example=3600)
    rural_labour_transfer: Count | None = fact("农村劳动力转移就业人数", unit="人", example=4100)
    registered_unemployment_rate: Ratio | None = fact("城镇登记失业率", unit="比例", example="0.031")
    online_arbitration_rate: Ratio | None = fact("劳动人事争议线上实时办案率", unit="比例", example="0.92")

    @field_validator("region", mode="before")
    @classmethod
    def _check_region(cls, v: Any) -> str:
        return validate_region(str(v))
