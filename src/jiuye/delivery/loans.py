"""Interest subsidy (贴息) of a guaranteed loan, settled with the lending bank, never paid to the borrower.

The lending bank reports the loan (principal, contract rate, the base rate of the loan date, term);
the subsidy is computed from the measure's parameters, each cited in its params file:

* ``xxq.startup.loan``: 50% of the base rate of the loan date (xxq 7), and the reward to lending
  banks and guarantee fund managers, 1% of new loans (xxq 7);
* ``gx.startup.loan``: "按规定落实财政贴息" (gx38 (八)) read by 财金〔2020〕21号: the borrower bears
  the rate up to the base rate less ``borrower_spread``, the rest is subsidised (a named assumption);
* ``gx.loan.wengang``: the documents give a rate band and credit lines, no subsidy and no reward.

Money is integer fen; the subsidy is rounded half up to the fen once, at the end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jiuye.errors import JiuyeError
from jiuye.params import Params

__all__ = ["DAY_BASIS", "LoanTerms", "LoanTermsError", "Settlement", "settle"]

#: Named assumption: interest accrues per day at the annual rate ÷ 360 (《人民币利率管理规定》: 日利率 =
#: 年利率 ÷ 360), for the actual days from the start date (included) to the end date (excluded).
DAY_BASIS = 360


class LoanTermsError(JiuyeError):
    code = "LOAN_TERMS_INVALID"


@dataclass(frozen=True)
class LoanTerms:
    principal_fen: int
    annual_rate: Decimal  # the contract rate, e.g. Decimal("0.0345")
    base_rate: Decimal  # the base rate (LPR) on the loan date
    start: dt.date
    end: dt.date
    borrower_is_person: bool


@dataclass(frozen=True)
class Settlement:
    limit_fen: int
    subsidised_rate: Decimal  # per year
    days: int
    subsidy_fen: int
    reward_fen: int  # to the lending bank / guarantee fund manager
    basis: tuple[str, ...]  # the parameters used, each with its citation


def _fen(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _limit(measure_id: str, p: Params, person: bool) -> tuple[str, int]:
    names = {
        "xxq.startup.loan": ("individual_loan_max", "enterprise_loan_max"),
        "gx.startup.loan": ("individual_limit", "enterprise_limit"),
        "gx.loan.wengang": ("individual_credit_line", "enterprise_credit_line"),
    }[measure_id]
    name = f"{measure_id}.{names[0] if person else names[1]}"
    limit = p.fen(name)
    if limit is None:
        msg = f"{measure_id} 在 {p.event_date.isoformat()} 没有贷款额度参数；提示：核对放款日期"
        raise LoanTermsError(msg)
    return name, limit


def _ratio(p: Params, name: str) -> Decimal:
    value = p[name]
    if value is None:
        msg = f"参数 {name} 在 {p.event_date.isoformat()} 尚无取值；提示：核对起息日"
        raise LoanTermsError(msg)
    return Decimal(str(value))


def _subsidised_rate(measure_id: str, p: Params, terms: LoanTerms) -> tuple[Decimal, list[str]]:
    if measure_id == "xxq.startup.loan":
        name = f"{measure_id}.interest_subsidy_share"
        return terms.base_rate * _ratio(p, name), [name]
    if measure_id == "gx.startup.loan":
        name = f"{measure_id}.borrower_spread"
        borne = max(terms.base_rate - _ratio(p, name), Decimal(0))
        return max(terms.annual_rate - borne, Decimal(0)), [name]
    return Decimal(0), []  # gx.loan.wengang: no subsidy in the documents


def settle(measure_id: str, terms: LoanTerms, p: Params) -> Settlement:
    """The subsidy and the lender's reward for one loan, as of its start date (``p``)."""
    if terms.principal_fen <= 0 or terms.end <= terms.start:
        msg = "贷款本金须大于0，到期日须晚于起息日；提示：按借款合同填写"
        raise LoanTermsError(msg)
    if not (Decimal(0) <= terms.base_rate < 1 and Decimal(0) <= terms.annual_rate < 1):
        msg = "利率应为年利率小数（如 0.0345 表示 3.45%）"
        raise LoanTermsError(msg)
    limit_name, limit = _limit(measure_id, p, terms.borrower_is_person)
    if terms.principal_fen > limit:
        msg = f"贷款本金 {terms.principal_fen / 100:,.2f} 元超过最高额度 {limit / 100:,.2f} 元；提示：超出部分不予贴息"
        raise LoanTermsError(msg)
    rate, used = _subsidised_rate(measure_id, p, terms)
    days = (terms.end - terms.start).days
    subsidy = _fen(Decimal(terms.principal_fen) * rate * days / DAY_BASIS)
    reward_name = f"{measure_id}.lender_reward_share"
    reward = 0
    if reward_name in p.source:
        reward = _fen(Decimal(terms.principal_fen) * _ratio(p, reward_name))
        used.append(reward_name)
    basis = [f"{name}：{p.entry(name).cites()}" for name in (limit_name, *used) if p.entry(name)]  # type: ignore[union-attr]
    basis.append(f"计息：年利率÷{DAY_BASIS}×实际天数（假设：《人民币利率管理规定》日利率＝年利率÷360）")
    return Settlement(limit, rate, days, subsidy, reward, tuple(basis))
