"""Forms: read the posted fields, validate them with a pydantic model, and put every problem in
Chinese beside its field, keeping what was typed (nothing lost on a failed submit)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile

from jiuye.service.api.errors import pydantic_message

__all__ = ["FormResult", "read_form", "validate"]

M = TypeVar("M", bound=BaseModel)
_NOT_FIELDS = frozenset({"csrf"})


async def read_form(request: Request) -> dict[str, Any]:
    """Text fields as strings (a repeated name as a list); files are left to the route."""
    values: dict[str, Any] = {}
    for key, item in (await request.form()).multi_items():
        if key in _NOT_FIELDS or isinstance(item, UploadFile):
            continue
        if key in values:
            kept = values[key]
            values[key] = [*kept, item] if isinstance(kept, list) else [kept, item]
        else:
            values[key] = item
    return values


@dataclass
class FormResult(Generic[M]):
    model: M | None
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.model is not None and not self.errors


def validate(model: type[M], values: dict[str, Any]) -> FormResult[M]:
    """Empty fields count as not given (a browser posts every input, filled or not)."""
    given = {k: v for k, v in values.items() if v not in ("", None)}
    try:
        return FormResult(model.model_validate(given), values)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            name = str(error["loc"][0]) if error.get("loc") else "_form"
            errors.setdefault(name, pydantic_message(error))
        return FormResult(None, values, errors)
