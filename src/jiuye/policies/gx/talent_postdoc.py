"""gx.talent.postdoc — 新设博士后科研工作站一次性经费资助 (300,000 yuan for a new postdoc workstation).

行动方案（十一）：“……支持企业申报广西人才小高地、博士后科研工作站及博士后创新实践基地，对新设博士后科研
工作站给予30万元一次性经费资助。”

An enterprise whose postdoctoral research workstation is newly established gets 300,000 yuan once.
An enterprise with only a 博士后创新实践基地 (no workstation) can say so: it is told the grant is for
workstations, without being asked for a station's date. "New" is a named assumption: established on
or after the action plan's date and not after the as-of date.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import variables as v
from jiuye.engine.measure import Condition, Info, Measure, Once, Part, Unit, cite
from jiuye.params import Params

GXYS = cite("gxys", "（十一）")
NS = "gx.talent.postdoc"
col = pl.col
established = col("employer_postdoc_station_established_on")


def _has_station(p: Params) -> pl.Expr:
    """A stated station, or one implied by its establishment date; “no station” can be stated
    (an enterprise with only a 博士后创新实践基地), and then the date is not asked for."""
    return pl.coalesce(col("employer_postdoc_station"), pl.when(established.is_not_null()).then(pl.lit(value=True)))


MEASURE = Measure(
    id="gx.talent.postdoc",
    title="新设博士后科研工作站经费资助",
    unit=Unit.employer,
    beneficiary="employer",
    jurisdiction="gx",
    sources=(GXYS,),
    summary="对企业新设的博士后科研工作站给予30万元一次性经费资助。",
    fund="fiscal",
    conditions=(
        Condition(
            "employer_kind",
            "设站单位为企业",
            GXYS,
            lambda p: col("employer_kind").is_in(p[f"{NS}.employer_kinds"] or []),
        ),
        Condition(
            "has_station",
            "设有博士后科研工作站（只设博士后创新实践基地的，支持申报，不在本项资助范围）",
            GXYS,
            _has_station,
        ),
        Condition(
            "new_station",
            "博士后科研工作站为新设（{gx.talent.postdoc.new_from}及以后设立，且已设立）",
            GXYS,
            lambda p: (
                pl.when(col("employer_postdoc_station").not_())
                .then(pl.lit(value=True))
                .otherwise(v.within(established, p.date(f"{NS}.new_from"), p.as_of))
            ),
        ),
    ),
    parts=(
        Part(
            "新设博士后科研工作站一次性经费资助",
            quantity=lambda p: pl.lit(1),
            rate=lambda p: p.lit(f"{NS}.amount"),
            quantity_unit="个",
        ),
    ),
    info=(
        Info(
            "innovation_base",
            "博士后创新实践基地",
            lambda p: (
                pl.when(col("employer_postdoc_innovation_base"))
                .then(pl.lit("设有：支持申报，本项30万元资助只给予新设博士后科研工作站"))
                .when(col("employer_postdoc_innovation_base").not_())
                .then(pl.lit("未设"))
            ),
        ),
    ),
    once=Once(
        keys=("employer_id",),
        order="employer_postdoc_station_established_on",
        label="同一单位的新设工作站资助只享受一次",
        cite=GXYS,
    ),
)
