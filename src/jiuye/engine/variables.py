"""Derived quantities shared by measures: ages, graduate status, registration, sizes.

Each is a :class:`Variable`: a named, labelled column the trace shows with its value.
The reading rules of CATALOG.md live here once: ages are whole years on the relevant
date; "离校2年内" counts from the graduation date, inclusive.
"""

from __future__ import annotations

import polars as pl

from jiuye.dates import age_on
from jiuye.engine.gap import excess_ppm
from jiuye.engine.measure import Citation, Variable, cite
from jiuye.facts.enums import ContractType
from jiuye.money import PPM
from jiuye.params import Params

__all__ = [
    "between",
    "contract_at_least",
    "fen_by",
    "grad_in_year_at",
    "grad_within_2y_unemployed_at",
    "layoff_rate_excess",
    "layoffs_within",
    "strict_min",
    "within",
]

col = pl.col


def strict_min(*values: pl.Expr) -> pl.Expr:
    """The smallest value; unknown if any is unknown (``pl.min_horizontal`` would skip nulls)."""
    if not values:
        return pl.lit(None, dtype=pl.Int64)
    unknown = pl.any_horizontal([v.is_null() for v in values])
    return pl.when(unknown).then(None).otherwise(pl.min_horizontal(values))


def layoffs_within(
    max_rate_ppm: int | None, small_staff_max: int | None = None, small_rate_ppm: int | None = None
) -> pl.Expr:
    """不裁员或少裁员: no layoffs last year, or layoffs ÷ insured staff ≤ the rate ("不高于" includes
    it); with ``small_*``, employers with at most that many insured staff may lay off up to a
    higher rate. Compared in integers (layoffs × 10⁶ ≤ rate_ppm × insured), never by division."""
    layoffs, insured = col("employer_layoffs_last_year"), col("employer_insured_staff")

    def at_most(ppm: int | None) -> pl.Expr:
        return layoffs * PPM <= insured * pl.lit(ppm, dtype=pl.Int64)

    test = (layoffs == 0) | at_most(max_rate_ppm)
    if small_staff_max is not None or small_rate_ppm is not None:
        test = test | ((insured <= pl.lit(small_staff_max, dtype=pl.Int64)) & at_most(small_rate_ppm))
    return test


def layoff_rate_excess(
    max_rate_ppm: int | None, small_staff_max: int | None = None, small_rate_ppm: int | None = None
) -> pl.Expr:
    """How far the layoff rate is above the limit that applies to the employer (the higher one
    for small employers, as in :func:`layoffs_within`), in ppm rounded up: the gap of that test."""
    layoffs, insured = col("employer_layoffs_last_year"), col("employer_insured_staff")
    limit = pl.lit(max_rate_ppm, dtype=pl.Int64)
    if small_staff_max is not None or small_rate_ppm is not None:
        small = insured <= pl.lit(small_staff_max, dtype=pl.Int64)
        limit = pl.when(small.fill_null(value=False)).then(pl.lit(small_rate_ppm, dtype=pl.Int64)).otherwise(limit)
    return excess_ppm(layoffs, insured, limit)


def fen_by(column: str, p: Params, names: dict[str, str]) -> pl.Expr:
    """A money parameter chosen by a column's value (level → amount), in fen; other values null."""
    mapping = {value: p.fen(name) for value, name in names.items()}
    return col(column).replace_strict(mapping, default=None, return_dtype=pl.Int64)


def between(value: pl.Expr, low: object, high: object) -> pl.Expr:
    """Inclusive at both ends (《民法典》第一千二百五十九条："以上、以下"包括本数)."""
    return (value >= pl.lit(low)) & (value <= pl.lit(high))


def within(day: pl.Expr, start: object, end: object) -> pl.Expr:
    """A date in a closed window; a missing end means open-ended."""
    test = day >= pl.lit(start)
    return test if end is None else test & (day <= pl.lit(end))


def contract_at_least(prefix: str, minimum: object) -> pl.Expr:
    """A labour contract of at least ``minimum`` months, or open-ended (which has no end); no
    contract is false. Reads the one contract type (:mod:`jiuye.facts.contracts`)."""
    kind, months = col(f"{prefix}_contract_type"), col(f"{prefix}_contract_months")
    return (
        pl.when(kind == pl.lit(ContractType.open_ended.value))
        .then(pl.lit(value=True))
        .when(kind == pl.lit(ContractType.none.value))
        .then(pl.lit(value=False))
        .otherwise(months >= (minimum if isinstance(minimum, pl.Expr) else pl.lit(minimum)))
    )


def grad_in_year_at(day: pl.Expr) -> pl.Expr:
    """毕业年度高校毕业生: a college graduate whose graduation year is the year of ``day``."""
    grad = col("person_college_graduate")
    same_year = col("person_graduation_date").dt.year() == day.dt.year()
    return pl.when(grad.not_().fill_null(value=False)).then(pl.lit(value=False)).otherwise(grad & same_year)


def grad_within_2y_unemployed_at(p: Params, day: pl.Expr) -> pl.Expr:
    """离校2年内未就业高校毕业生 on ``day``: left school ≤ N years before and not employed since."""
    years = p["common.graduates.years_since_leaving"]
    if years is None:  # before the rule exists the test is unknown (and the measure not in force)
        return pl.lit(None, dtype=pl.Boolean)
    grad = col("person_college_graduate")
    left = col("person_graduation_date")
    recent = (left <= day) & (day <= left.dt.offset_by(f"{years}y"))
    test = grad & recent & col("person_employed_since_graduation").not_()
    return pl.when(grad.not_().fill_null(value=False)).then(pl.lit(value=False)).otherwise(test)


GRADUATE_RULE = cite("gxys", "（一）", "毕业年度及离校2年内未就业高校毕业生")


def hire_share_required(prefix: str, source: Citation) -> Variable:
    """The share of new qualifying hires a small enterprise needs for a guaranteed start-up loan:
    a lower share above a staff threshold (parameters ``{prefix}large_staff_threshold``,
    ``{prefix}large_min_hire_share`` and ``{prefix}min_hire_share``)."""
    return Variable(
        "hire_share_required",
        "新招用人员应达到的比例（百万分比）",
        lambda p: (
            pl.when(col("employer_staff") > p[f"{prefix}large_staff_threshold"])
            .then(p.lit(f"{prefix}large_min_hire_share"))
            .otherwise(p.lit(f"{prefix}min_hire_share"))
        ),
        source,
    )


def person_age_at(name: str, label: str, day: str) -> Variable:
    return Variable(name, label, lambda p: age_on(col("person_birth_date"), col(day)), unit="age")


AGE_AT_HIRE = person_age_at("age_at_hire", "招用时年龄（周岁）", "employment_hire_date")
AGE_AT_START = person_age_at("age_at_internship_start", "见习开始时年龄（周岁）", "internship_start_date")
AGE_ON_AS_OF = Variable(
    "age_on_as_of",
    "评估日年龄（周岁）",
    lambda p: age_on(col("person_birth_date"), pl.lit(p.as_of)),
    unit="age",
)

_SIZE_RULE = cite("gxb2011-300", "第四条")

# Derived once per employer when the tables are built (jiuye.facts.tables), read here.
INDUSTRY_GROUP = Variable("industry_group", "划型行业（300号文）", lambda p: col("employer_industry_group"), _SIZE_RULE)
ENTERPRISE_SIZE = Variable(
    "enterprise_size",
    "企业规模",
    lambda p: pl.coalesce(col("employer_size"), col("employer_derived_size")),
    _SIZE_RULE,
)
#: 中小微企业 (medium, small, micro); needs INDUSTRY_GROUP and ENTERPRISE_SIZE before it.
IS_SME = Variable("is_sme", "属于中小微企业", lambda p: col("enterprise_size").is_in(["medium", "small", "micro"]))
IS_SMALL_MICRO = Variable("is_small_micro", "属于小微企业", lambda p: col("enterprise_size").is_in(["small", "micro"]))
SIZE_VARIABLES = (INDUSTRY_GROUP, ENTERPRISE_SIZE)
