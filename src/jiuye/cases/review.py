"""Tiered review with separation of duties (分级审核、审核与经办分离).

The number of DISTINCT reviewers who must approve grows with the amount; the tiers are data
(``review_tiers.yaml``), a named assumption because the documents set none. Separation of duties
follows from 桂人社发〔2025〕38号（二十二）“严防骗取套取、虚报冒领等违法违规行为，切实保障资金
安全”: nobody approves an application they submitted or handled (entered, checked, accepted), and
one person counts once however often they approve.

Pass the approvals given since review last (re)opened: after a 公示 objection the service decides
whether earlier approvals still count (by default they should not: the objection is new evidence).

>>> policy = load_review_policy()
>>> policy.required_approvers(5_000_000), policy.required_approvers(5_000_001)  # 50,000.00元 | 50,000.01元
(1, 2)
>>> status = review_status(amount_fen=8_000_000, submitter="u1", handlers=["cw7"], approvals=["r1"])
>>> status.complete, status.remaining, sorted(status.barred)
(False, 1, ['cw7', 'r1', 'u1'])
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

from jiuye.cases._settings import read_settings
from jiuye.cases.errors import ApprovalError
from jiuye.errors import ParameterError
from jiuye.money import format_yuan, to_fen

__all__ = [
    "ReviewPolicy",
    "ReviewStatus",
    "Tier",
    "UserId",
    "add_approval",
    "load_review_policy",
    "review_status",
]

#: A user's id as the service knows it (database key or username).
UserId: TypeAlias = int | str

_SEPARATION = "依据桂人社发〔2025〕38号（二十二）“严防骗取套取、虚报冒领”，审核与经办、申请相分离"
_SUBMITTER = "提交人"
_HANDLER = "经办人"
_APPROVED = "已审核通过"


@dataclass(frozen=True)
class Tier:
    """Applications up to ``up_to_fen`` (inclusive; ``None``: no ceiling) need ``approvers`` distinct reviewers."""

    up_to_fen: int | None
    approvers: int
    assumption: str


@dataclass(frozen=True)
class ReviewPolicy:
    tiers: tuple[Tier, ...]
    origin: str

    def tier_for(self, amount_fen: int) -> Tier:
        if amount_fen < 0:
            msg = f"申请金额 {amount_fen} 分为负数，无法确定审核层级；提示：金额以分为单位，应为非负整数"
            raise ApprovalError(msg)
        for tier in self.tiers:
            if tier.up_to_fen is None or amount_fen <= tier.up_to_fen:
                return tier
        raise AssertionError("the last tier has no ceiling")  # guaranteed by _parse_tiers

    def required_approvers(self, amount_fen: int) -> int:
        return self.tier_for(amount_fen).approvers


def _parse_tier(raw: Any, where: str) -> Tier:
    if not isinstance(raw, dict) or {"up_to_yuan", "approvers", "assumption"} - raw.keys():
        msg = f"{where}：每一档须写明 up_to_yuan、approvers 和 assumption（本地设置的说明）"
        raise ParameterError(msg)
    approvers = raw["approvers"]
    if isinstance(approvers, bool) or not isinstance(approvers, int) or approvers < 1:
        msg = f"{where}：审核人数 approvers={approvers!r} 应为正整数"
        raise ParameterError(msg)
    ceiling = raw["up_to_yuan"]
    try:
        up_to = None if ceiling is None else to_fen(str(ceiling))
    except (ValueError, ArithmeticError) as e:
        msg = f"{where}：金额上限 up_to_yuan={ceiling!r} 不是以元为单位、最多两位小数的金额"
        raise ParameterError(msg) from e
    return Tier(up_to, approvers, str(raw["assumption"]))


def _parse_tiers(data: dict[str, Any], origin: str) -> tuple[Tier, ...]:
    raws = data.get("tiers")
    if not isinstance(raws, list) or not raws:
        msg = f"{origin}：缺少 tiers（审核分档）列表"
        raise ParameterError(msg)
    tiers = tuple(_parse_tier(raw, f"{origin} 第{i}档") for i, raw in enumerate(raws, start=1))
    ceilings = [t.up_to_fen for t in tiers]
    if ceilings[-1] is not None or None in ceilings[:-1]:
        msg = f"{origin}：只有最后一档的 up_to_yuan 为 null（无上限）；提示：按金额从低到高排列各档"
        raise ParameterError(msg)
    finite = [c for c in ceilings if c is not None]
    counts = [t.approvers for t in tiers]
    if finite != sorted(set(finite)) or counts != sorted(counts):
        msg = f"{origin}：各档金额上限应严格递增、审核人数不应递减；提示：按金额从低到高排列各档"
        raise ParameterError(msg)
    return tiers


@functools.cache
def _bundled() -> ReviewPolicy:
    data, origin = read_settings("review_tiers.yaml")
    return ReviewPolicy(_parse_tiers(data, origin), origin)


def load_review_policy(path: Path | None = None) -> ReviewPolicy:
    """The bundled tiers, or a bureau's own file with the same layout."""
    if path is None:
        return _bundled()
    data, origin = read_settings("review_tiers.yaml", path)
    return ReviewPolicy(_parse_tiers(data, origin), origin)


@dataclass(frozen=True)
class ReviewStatus:
    """Where review stands: the distinct approvers counted, how many are needed, who may not approve (and why)."""

    amount_fen: int
    required: int
    approvers: tuple[UserId, ...]
    barred: Mapping[UserId, str]

    @property
    def remaining(self) -> int:
        return max(self.required - len(self.approvers), 0)

    @property
    def complete(self) -> bool:
        return self.remaining == 0

    def describe(self) -> str:
        """One Chinese sentence for the case page."""
        amount = format_yuan(self.amount_fen)
        head = f"申请金额{amount}，须{self.required}名不同审核人员审核通过，已通过{len(self.approvers)}名"
        return head + ("，审核已完成" if self.complete else f"，还差{self.remaining}名")


def _conflicts(submitter: UserId | None, handlers: Iterable[UserId]) -> dict[UserId, str]:
    barred: dict[UserId, str] = dict.fromkeys(handlers, _HANDLER)
    if submitter is not None:
        barred[submitter] = _SUBMITTER  # a caseworker who entered it is both: "提交人" says more
    return barred


def _refuse(approver: UserId, reason: str, status: ReviewStatus) -> ApprovalError:
    if reason == _APPROVED:
        msg = (
            f"审核人员 {approver} 已审核通过该申请，同一人不能重复计数；提示：{status.describe()}，请由其他审核人员审核"
        )
    else:
        msg = f"审核人员 {approver} 是该申请的{reason}，不能审核该申请；提示：{_SEPARATION}，请由其他审核人员审核"
    return ApprovalError(msg)


def review_status(
    *,
    amount_fen: int,
    submitter: UserId | None,
    handlers: Iterable[UserId],
    approvals: Iterable[UserId],
    policy: ReviewPolicy | None = None,
) -> ReviewStatus:
    """Whether review is complete and who may not approve next; refuses an approval history that breaks the rules.

    ``submitter`` is ``None`` for proactive (免申即享) cases, which no person submitted. A repeated
    approver in ``approvals`` counts once; an approver who submitted or handled the case is refused.
    """
    required = (policy or load_review_policy()).required_approvers(amount_fen)
    barred = _conflicts(submitter, handlers)
    counted: list[UserId] = []
    for approver in approvals:
        if approver in counted:
            continue
        if approver in barred:
            raise _refuse(approver, barred[approver], ReviewStatus(amount_fen, required, tuple(counted), barred))
        counted.append(approver)
        barred[approver] = _APPROVED
    return ReviewStatus(amount_fen, required, tuple(counted), barred)


def add_approval(
    approver: UserId,
    *,
    amount_fen: int,
    submitter: UserId | None,
    handlers: Iterable[UserId],
    approvals: Iterable[UserId],
    policy: ReviewPolicy | None = None,
) -> ReviewStatus:
    """The review status with ``approver``'s approval added; raises :class:`ApprovalError` if it is forbidden.

    >>> try:
    ...     add_approval("cw7", amount_fen=100_000, submitter="u1", handlers=["cw7"], approvals=[])
    ... except ApprovalError as e:
    ...     print(e.code, str(e).split("；")[0])
    APPROVAL_FORBIDDEN 审核人员 cw7 是该申请的经办人，不能审核该申请
    """
    status = review_status(
        amount_fen=amount_fen, submitter=submitter, handlers=handlers, approvals=approvals, policy=policy
    )
    if approver in status.barred:
        raise _refuse(approver, status.barred[approver], status)
    if status.complete:
        msg = f"该申请的审核已完成，无需审核人员 {approver} 再审核；提示：{status.describe()}，请发布公示"
        raise ApprovalError(msg)
    barred = {**status.barred, approver: _APPROVED}
    return ReviewStatus(amount_fen, status.required, (*status.approvers, approver), barred)
