"""Status facts a person holds, stated or derived: a stated (declared) status wins, and says so.

A person or the bureau's systems may state a status directly: registered unemployed since a
date, on a 重点群体 list since a date, insured since a date, a certificate held or not. The
engine can also work most of them out from dates and counts (registration and end dates, the
months of contributions, the certificate's issue date). This module is the one place where the
two meet: each status is a :class:`Status`, its boolean (or count) ``value`` and a ``basis``, the
Chinese text naming which one decided, shown in the decision's values and reasons.

The rule, for every status: where the stated value covers the day in question it is used, even
if the dates say otherwise; only where nothing stated covers that day are the dates and counts
used; where neither is known the status is unknown (the measure then asks for the facts).
A status stated "now" is a statement about the evaluation date: it says nothing of an earlier
event's day unless it comes with the date it began.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from jiuye.dates import full_months
from jiuye.engine.measure import Citation, Variable
from jiuye.facts.enums import KEY_GROUP_LISTS
from jiuye.params import Params

__all__ = [
    "REGISTERED_AT_AS_OF",
    "Status",
    "certificate_held",
    "cn_date_text",
    "insured_months_at_least",
    "listed",
    "listed_variable",
    "prefer_declared",
    "registered_months",
    "registered_unemployed",
    "status_variable",
]

col = pl.col


@dataclass(frozen=True)
class Status:
    """A status on some day: its value (null = unknown) and the text saying what decided it."""

    value: pl.Expr
    basis: pl.Expr


def cn_date_text(day: pl.Expr) -> pl.Expr:
    """A date column as 2025年3月1日."""
    return pl.format("{}年{}月{}日", day.dt.year(), day.dt.month(), day.dt.day())


def prefer_declared(declared: pl.Expr, declared_basis: pl.Expr, derived: pl.Expr, derived_basis: pl.Expr) -> Status:
    """The declared value where it is known, else the derived one; the basis names the one used."""
    basis = pl.when(declared.is_not_null()).then(declared_basis).when(derived.is_not_null()).then(derived_basis)
    return Status(pl.coalesce(declared, derived), basis)


def status_variable(
    name: str, label: str, status: Callable[[Params], Status], cite: Citation | None = None, unit: str = ""
) -> Variable:
    """A trace variable for a status, carrying its basis (shown beside its value)."""
    return Variable(name, label, lambda p: status(p).value, cite, unit, basis=lambda p: status(p).basis)


def _text(*parts: str | pl.Expr) -> pl.Expr:
    return pl.concat_str([pl.lit(x) if isinstance(x, str) else x for x in parts])


# --- registered unemployed -------------------------------------------------------------------


def _claims_registered() -> pl.Expr:
    """The stated status: true, false, or null when nothing is stated (a start date alone says true)."""
    stated, since = col("person_registered_unemployed"), col("person_registered_unemployed_since")
    return pl.when(stated.is_not_null()).then(stated).when(since.is_not_null()).then(pl.lit(value=True))


def _derived_registered(day: pl.Expr) -> pl.Expr:
    """In registration on ``day`` by the registration and end dates (the end day still counts)."""
    reg = col("person_unemployment_registered_on")
    ended = col("person_unemployment_registration_ended_on")
    known_never = col("person_ever_registered_unemployed").not_()
    active = (reg <= day) & (ended.is_null() | (ended >= day))
    return pl.when(known_never.fill_null(value=False)).then(pl.lit(value=False)).otherwise(active)


def registered_unemployed(day: pl.Expr, as_of: dt.date) -> Status:
    """登记失业 on ``day``. Stated "registered since S" covers every day from S (false before S);
    stated without a start date, or stated "not registered", covers the evaluation date and after."""
    claims, since = _claims_registered(), col("person_registered_unemployed_since")
    declared = (
        pl.when(claims & since.is_not_null())
        .then(day >= since)
        .when(claims.is_not_null() & (day >= pl.lit(as_of)))
        .then(claims)
    )
    declared_basis = (
        pl.when(claims & since.is_not_null())
        .then(_text("失业登记状态：已申报（", cn_date_text(since), "起）"))
        .when(claims)
        .then(pl.lit("失业登记状态：已申报处于登记状态"))
        .otherwise(pl.lit("失业登记状态：已申报未处于登记状态"))
    )
    return prefer_declared(declared, declared_basis, _derived_registered(day), pl.lit("失业登记状态：由登记日期推算"))


def registered_months(day: pl.Expr, as_of: dt.date) -> Status:
    """Whole months of the current registration before ``day``: from the stated start date when
    given, else from the registration date (unknown when neither is known)."""
    since = col("person_registered_unemployed_since")
    declared = pl.when(_claims_registered() & since.is_not_null() & (day >= since)).then(
        full_months(since, day.dt.offset_by("-1d"))
    )
    reg = col("person_unemployment_registered_on")
    derived = pl.when(reg.is_not_null()).then(full_months(reg, day.dt.offset_by("-1d")))
    return prefer_declared(
        declared,
        _text("失业登记时长：按申报的登记起始日期（", cn_date_text(since), "）计算"),
        derived,
        pl.lit("失业登记时长：按失业登记日期计算"),
    )


# --- 重点群体 lists ------------------------------------------------------------------------------


def listed(group: str, day: pl.Expr) -> Status:
    """On the bureau's ``group`` list on ``day``: by the dated entry (since .. until, inclusive)
    when given, else by the yes/no field (stated for the evaluation date, read as timeless)."""
    name = KEY_GROUP_LISTS[group]
    flag = col(f"person_{group}")
    since, until = col(f"person_{group}_since"), col(f"person_{group}_until")
    dated = pl.when(since.is_not_null()).then((since <= day) & (until.is_null() | (day <= until)))
    window = pl.when(until.is_not_null()).then(_text("至", cn_date_text(until))).otherwise(pl.lit("起"))
    flag_basis = (
        pl.when(flag).then(pl.lit(f"{name}：已申报属于（未注明列入日期）")).otherwise(pl.lit(f"{name}：已申报不属于"))
    )
    return prefer_declared(dated, _text(f"{name}名单：", cn_date_text(since), window), flag, flag_basis)


def listed_variable(group: str, day: pl.Expr | Callable[[Params], pl.Expr], event: str, suffix: str) -> Variable:
    """``<group>_at_<suffix>``: on the list on the event's day (a column, or a function of the
    parameters such as the evaluation date), e.g. 招用时属于就业困难人员."""

    def status(p: Params) -> Status:
        return listed(group, day if isinstance(day, pl.Expr) else day(p))

    return status_variable(f"{group}_at_{suffix}", f"{event}时属于{KEY_GROUP_LISTS[group]}", status)


# --- insured ------------------------------------------------------------------------------------


def insured_months_at_least(minimum: int | None, day: pl.Expr) -> Status:
    """参加失业保险满 ``minimum`` months by ``day``: stated "not insured" is false; stated "insured
    since S" counts whole months from S; otherwise the cumulative months of contributions."""
    insured, since = col("person_ui_insured"), col("person_ui_insured_since")
    months = full_months(since, day.dt.offset_by("-1d"))
    declared = (
        pl.when(insured.not_())
        .then(pl.lit(value=False))
        .when(since.is_not_null())
        .then(months >= pl.lit(minimum, dtype=pl.Int64))
    )
    declared_basis = (
        pl.when(insured.not_())
        .then(pl.lit("失业保险参保：已申报未参保"))
        .otherwise(_text("失业保险参保：已申报（", cn_date_text(since), "起参保，满", months.cast(pl.String), "个月）"))
    )
    derived = col("person_ui_contribution_months") >= pl.lit(minimum, dtype=pl.Int64)
    return prefer_declared(declared, declared_basis, derived, pl.lit("失业保险参保：由累计缴费月数推算"))


# --- certificates ---------------------------------------------------------------------------------


def certificate_held(day: pl.Expr) -> Status:
    """The certificate is held on ``day``: as stated (held or not yet), else issued on or before it."""
    held, issued = col("certificate_held"), col("certificate_issued_on")
    declared_basis = pl.when(held).then(pl.lit("证书：已申报已取得")).otherwise(pl.lit("证书：已申报尚未取得"))
    return prefer_declared(
        held,
        declared_basis,
        issued <= day,
        _text("证书：按发证日期（", cn_date_text(issued), "）判断"),
    )


#: 评估日处于失业登记状态: the one variable the measures judged on the evaluation date share.
REGISTERED_AT_AS_OF = status_variable(
    "registered_at_as_of", "评估日处于失业登记状态", lambda p: registered_unemployed(pl.lit(p.as_of), p.as_of)
)
