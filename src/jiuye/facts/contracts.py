"""The labour contract as one fact: its type (and, for a fixed term, the months).

《劳动合同法》第十二条：“劳动合同分为固定期限劳动合同、无固定期限劳动合同和以完成一定工作任务为期限的
劳动合同。” Earlier inputs stated the contract by two yes/no fields (``labour_contract``,
``open_ended_contract``) and a term; they are still read, and folded into the one type by a
single rule, in this order:

1. ``contract_type`` when stated;
2. ``open_ended_contract: true`` → ``open_ended``;
3. ``labour_contract: false`` → ``none`` (no labour contract);
4. a term in months (``contract_months``) → ``fixed_term``: only a fixed-term contract has one.

``labour_contract: true`` alone says a contract was signed without saying which type; the
engine then knows "signed" but not the type. Contradictions between the old fields and the
type are errors, never silently resolved.
"""

from __future__ import annotations

import polars as pl

from jiuye.facts.enums import ContractType

__all__ = [
    "CONTRACT_TYPE_NOTE",
    "LEGACY_OPEN_ENDED",
    "LEGACY_SIGNED",
    "TERM_NOTE",
    "check_contract",
    "contract_checks",
    "contract_problem",
    "folded_contract_type",
    "signed_contract",
]

CONTRACT_TYPE_NOTE = (
    "fixed_term 固定期限 / open_ended 无固定期限 / task_based 以完成一定工作任务为期限 / none 未签订劳动合同；"
    "固定期限的另填合同期限（月）"
)
TERM_NOTE = "固定期限劳动合同的期限；只填期限未填类型时视为固定期限"
LEGACY_SIGNED = "旧字段，请改填劳动合同类型（contract_type）；否 = none"
LEGACY_OPEN_ENDED = "旧字段，请改填劳动合同类型（contract_type）；是 = open_ended"

_UNTERMED = (ContractType.open_ended.value, ContractType.none.value)


#: The contradictions a contract's fields may not have (also checked, vectorised, on registries).
TERM_WITHOUT_TERM = "无固定期限劳动合同或未签订劳动合同，不应填写合同期限；提示：删除合同期限，或改为 fixed_term"
UNSIGNED_OPEN_ENDED = "签订劳动合同为否，却填写了无固定期限劳动合同为是"
SIGNED_DISAGREES = "签订劳动合同（旧字段）与劳动合同类型不一致；提示：只填劳动合同类型"
OPEN_ENDED_DISAGREES = "无固定期限劳动合同（旧字段）与劳动合同类型不一致；提示：只填劳动合同类型"


def contract_problem(
    contract_type: str | None, months: int | None, signed: bool | None, open_ended: bool | None
) -> str | None:
    """Why these contract fields contradict each other, or None."""
    if contract_type in _UNTERMED and months is not None:
        return TERM_WITHOUT_TERM
    if signed is False and open_ended:
        return UNSIGNED_OPEN_ENDED
    if contract_type is None:
        return None
    if signed is not None and signed != (contract_type != ContractType.none.value):
        return SIGNED_DISAGREES
    if open_ended is not None and open_ended != (contract_type == ContractType.open_ended.value):
        return OPEN_ENDED_DISAGREES
    return None


def contract_checks(present: list[str]) -> dict[str, list[tuple[pl.Expr, str]]]:
    """:func:`contract_problem` over a registry table's columns (by field name): field → checks."""
    col = pl.col
    kind = col("contract_type")
    out: dict[str, list[tuple[pl.Expr, str]]] = {}
    if "contract_type" in present and "contract_months" in present:
        untermed = kind.is_in(list(_UNTERMED)) & col("contract_months").is_not_null()
        out["contract_months"] = [(untermed, TERM_WITHOUT_TERM)]
    if "labour_contract" in present and "open_ended_contract" in present:
        both = col("labour_contract").not_() & col("open_ended_contract")
        out.setdefault("open_ended_contract", []).append((both, UNSIGNED_OPEN_ENDED))
    if "contract_type" in present and "labour_contract" in present:
        differs = col("labour_contract") != (kind != pl.lit(ContractType.none.value))
        out.setdefault("labour_contract", []).append((differs, SIGNED_DISAGREES))
    if "contract_type" in present and "open_ended_contract" in present:
        differs = col("open_ended_contract") != (kind == pl.lit(ContractType.open_ended.value))
        out.setdefault("open_ended_contract", []).append((differs, OPEN_ENDED_DISAGREES))
    return out


def check_contract(contract_type: str | None, months: int | None, signed: bool | None, open_ended: bool | None) -> None:
    problem = contract_problem(contract_type, months, signed, open_ended)
    if problem:
        raise ValueError(problem)


def folded_contract_type(prefix: str, *, legacy: bool) -> pl.Expr:
    """The contract type by the rule above, from a unit table's ``<prefix>_*`` columns."""
    col = pl.col
    rules: pl.Expr = pl.when(col(f"{prefix}_contract_months").is_not_null()).then(pl.lit(ContractType.fixed_term.value))
    if legacy:
        rules = (
            pl.when(col(f"{prefix}_open_ended_contract"))
            .then(pl.lit(ContractType.open_ended.value))
            .when(col(f"{prefix}_labour_contract").not_())
            .then(pl.lit(ContractType.none.value))
            .when(col(f"{prefix}_contract_months").is_not_null())
            .then(pl.lit(ContractType.fixed_term.value))
        )
    return pl.coalesce(col(f"{prefix}_contract_type"), rules)


def signed_contract(prefix: str, *, legacy: bool) -> pl.Expr:
    """A labour contract was signed: any type but ``none``; else the old yes/no field."""
    folded = pl.col(f"{prefix}_contract_type")  # already folded when this is computed
    signed = folded != pl.lit(ContractType.none.value)
    return pl.coalesce(signed, pl.col(f"{prefix}_labour_contract")) if legacy else signed
