"""What the finance, ledger and job pages share: a service call that may be refused without losing
the form, amounts typed in yuan, and the roles of each page."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from pydantic import AfterValidator
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from jiuye.errors import JiuyeError
from jiuye.money import to_fen
from jiuye.service.errors import InputError, ServiceError
from jiuye.web.formats import cn_date

__all__ = ["Posted", "YuanText", "attempt", "cn_dates", "hinted", "yuan_to_fen"]

T = TypeVar("T")


async def _posted(request: Request) -> AsyncIterator[FormData]:
    """The posted form of an upload page, its files closed when the request ends, whatever the page
    answered (FastAPI closes only the forms it parsed itself)."""
    form = await request.form()
    try:
        yield form
    finally:
        await form.close()


Posted = Annotated[FormData, Depends(_posted)]
_YUAN = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d{1,2})?$|^-?\d{1,14}(\.\d{1,2})?$")


def attempt(session: Session, action: Callable[[], T]) -> tuple[T | None, ServiceError | None]:
    """Run a service step in a savepoint: refused (a service error), whatever it wrote is undone and
    the page shows the form again with the reason; the request's transaction goes on."""
    try:
        with session.begin_nested():
            return action(), None
    except ServiceError as exc:
        return None, exc
    except JiuyeError as exc:  # a domain package's refusal (facts, a status move): the caller's input
        return None, InputError(str(exc))


def _yuan(text: str) -> str:
    value = text.strip().replace("，", ",")
    if not _YUAN.match(value):
        msg = "金额应为元，最多两位小数（如 1,000,000.00 或 -5000）"
        raise ValueError(msg)
    return value.replace(",", "")


#: An amount typed in yuan (thousands separators allowed), kept as its digits.
YuanText = Annotated[str, AfterValidator(_yuan)]


def yuan_to_fen(text: str) -> int:
    """Typed yuan (already checked by :data:`YuanText`) as integer fen, exactly.

    >>> yuan_to_fen("1000000.5"), yuan_to_fen("-5000")
    (100000050, -500000)
    """
    return to_fen(Decimal(text))


def hinted(errors: dict[str, str], hints: dict[str, str]) -> dict[str, str]:
    """A wrong value's generic message ("格式不正确") replaced by what a right value looks like."""
    return {name: hints.get(name, text) if text != "缺少此字段" else text for name, text in errors.items()}


_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def cn_dates(text: str) -> str:
    """Dates a service wrote in ISO form, as pages show them.

    >>> cn_dates("培训或见习 1 次（2026-01-02 到期）")
    '培训或见习 1 次（2026年1月2日 到期）'
    """
    return _ISO_DATE.sub(lambda m: cn_date(m.group(1)), text)
