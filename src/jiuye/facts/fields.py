"""Field helper: every fact carries a Chinese label, a unit and an example (the data dictionary)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

__all__ = ["fact"]


def fact(
    label: str,
    *,
    unit: str | None = None,
    example: Any = None,
    note: str | None = None,
    ge: int | float | None = None,
    le: int | float | None = None,
    default: Any = None,
) -> Any:
    extra: dict[str, Any] = {}
    if unit:
        extra["unit"] = unit
    if example is not None:
        extra["examples"] = [example]
    return Field(
        default=default,
        title=label,
        description=note,
        ge=ge,
        le=le,
        json_schema_extra=extra or None,
    )
