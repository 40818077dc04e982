"""What every entity of the facts model shares: strictness, bounded counts and exact money."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from jiuye.regions import validate_region

__all__ = ["COUNT_MAX", "Count", "Money", "Ratio", "Wan", "check_window", "entity_region"]

#: named assumption: no count of people, months or days exceeds the 32-bit range; bounded so that the
#: engine's 64-bit columns (count times an amount in fen) cannot overflow on a hostile claim.
COUNT_MAX = 2**31 - 1
Count = Annotated[int, Field(ge=0, le=COUNT_MAX)]
Money = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]
Wan = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=4)]
Ratio = Annotated[Decimal, Field(ge=0, le=1, max_digits=8, decimal_places=6)]


class _Entity(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)


def entity_region(value: str | int | None) -> str | None:
    return None if value is None else validate_region(str(value))


def check_window(start: object, end: object, what: str) -> None:
    """A dated status's end (inclusive) cannot come before its start."""
    if start is not None and end is not None and end < start:  # type: ignore[operator]
        msg = f"{what}的截止日期早于起始日期"
        raise ValueError(msg)
