"""Tiered review: approvers needed by amount (both sides of every tier), separation of duties, local tiers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from jiuye.cases import ApprovalError, ReviewStatus, add_approval, load_review_policy, review_status
from jiuye.cases._settings import read_settings
from jiuye.errors import ParameterError
from jiuye.policies.documents import documents

POLICY = load_review_policy()


@pytest.mark.parametrize(
    ("amount_fen", "approvers"),
    [
        (0, 1),  # a service without money still needs one reviewer
        (5_000_000, 1),  # 50,000.00元: at the first ceiling
        (5_000_001, 2),  # 50,000.01元: one fen above
        (50_000_000, 2),  # 500,000.00元: at the second ceiling
        (50_000_001, 3),  # 500,000.01元: one fen above
        (10**12, 3),  # no ceiling on the last tier
    ],
)
def test_the_number_of_distinct_approvers_grows_with_the_amount(amount_fen: int, approvers: int) -> None:
    assert POLICY.required_approvers(amount_fen) == approvers


def test_a_negative_amount_has_no_tier() -> None:
    with pytest.raises(ApprovalError, match="负数"):
        POLICY.required_approvers(-1)


def test_every_tier_is_a_named_assumption_and_the_reasons_cite_the_documents() -> None:
    data, _ = read_settings("review_tiers.yaml")
    assert all("本地设置" in tier.assumption for tier in POLICY.tiers)
    known = documents()
    cited = {(ref["document"], ref["clause"]) for ref in data["reference"]}
    assert ("gx38", "（二十二）") in cited
    assert all(doc in known for doc, _ in cited)


def _write(tmp_path: Path, tiers: list[dict[str, object]]) -> Path:
    path = tmp_path / "tiers.yaml"
    path.write_text(yaml.safe_dump({"tiers": tiers}, allow_unicode=True), encoding="utf-8")
    return path


def test_a_bureau_sets_its_own_tiers_in_a_local_file(tmp_path: Path) -> None:
    local = _write(
        tmp_path,
        [
            {"up_to_yuan": "10000.50", "approvers": 1, "assumption": "本地设置：一万元"},
            {"up_to_yuan": None, "approvers": 2, "assumption": "本地设置：以上"},
        ],
    )
    policy = load_review_policy(local)
    assert policy.required_approvers(1_000_050) == 1  # 10,000.50元
    assert policy.required_approvers(1_000_051) == 2
    status = review_status(amount_fen=1_000_051, submitter=None, handlers=[], approvals=["r1"], policy=policy)
    assert not status.complete


@pytest.mark.parametrize(
    ("tiers", "complaint"),
    [
        ([{"up_to_yuan": 100, "approvers": 1, "assumption": "x"}], "最后一档"),
        ([{"up_to_yuan": None, "approvers": 0, "assumption": "x"}], "正整数"),
        ([{"up_to_yuan": None, "approvers": 1}], "assumption"),
        (
            [{"up_to_yuan": "1.001", "approvers": 1, "assumption": "x"}, {"up_to_yuan": None, "approvers": 2}],
            "金额上限",
        ),
        (
            [
                {"up_to_yuan": 500, "approvers": 2, "assumption": "x"},
                {"up_to_yuan": 100, "approvers": 2, "assumption": "x"},
                {"up_to_yuan": None, "approvers": 3, "assumption": "x"},
            ],
            "严格递增",
        ),
        (
            [
                {"up_to_yuan": 100, "approvers": 2, "assumption": "x"},
                {"up_to_yuan": None, "approvers": 1, "assumption": "x"},
            ],
            "不应递减",
        ),
    ],
)
def test_malformed_local_tiers_are_refused_in_chinese(
    tmp_path: Path, tiers: list[dict[str, object]], complaint: str
) -> None:
    with pytest.raises(ParameterError, match=complaint):
        load_review_policy(_write(tmp_path, tiers))


def test_the_submitter_may_not_approve_what_they_submitted() -> None:
    with pytest.raises(ApprovalError, match=r"cw1 是该申请的提交人.*38号（二十二）") as info:
        add_approval("cw1", amount_fen=100_000, submitter="cw1", handlers=["cw1"], approvals=[])
    assert info.value.code == "APPROVAL_FORBIDDEN"


def test_a_caseworker_who_handled_the_case_may_not_approve_it() -> None:
    with pytest.raises(ApprovalError, match="cw2 是该申请的经办人"):
        add_approval("cw2", amount_fen=100_000, submitter="ent9", handlers=["cw1", "cw2"], approvals=[])


def test_the_same_reviewer_cannot_count_twice() -> None:
    with pytest.raises(ApprovalError, match=r"r1 已审核通过该申请.*还差1名"):
        add_approval("r1", amount_fen=5_000_001, submitter="ent9", handlers=["cw1"], approvals=["r1"])


def test_an_approval_after_review_is_complete_is_refused() -> None:
    with pytest.raises(ApprovalError, match="审核已完成"):
        add_approval("r2", amount_fen=5_000_000, submitter="ent9", handlers=["cw1"], approvals=["r1"])


def test_an_approval_history_with_a_conflicted_approver_is_refused() -> None:
    with pytest.raises(ApprovalError, match="经办人"):
        review_status(amount_fen=100, submitter="ent9", handlers=["cw1"], approvals=["r1", "cw1"])


def test_two_tier_review_completes_with_the_second_distinct_reviewer() -> None:
    # 80,000.00元 lies in the second tier: 2 distinct reviewers
    first = add_approval("r1", amount_fen=8_000_000, submitter="ent9", handlers=["cw1"], approvals=[])
    assert (first.complete, first.remaining) == (False, 1)
    second = add_approval("r2", amount_fen=8_000_000, submitter="ent9", handlers=["cw1"], approvals=["r1"])
    assert second.complete and second.approvers == ("r1", "r2")
    assert second.describe() == "申请金额80,000.00元，须2名不同审核人员审核通过，已通过2名，审核已完成"


def test_the_status_names_who_may_not_approve_and_why() -> None:
    status = review_status(amount_fen=60_000_000, submitter=11, handlers=[12, 13], approvals=[21, 21])
    assert status.barred == {11: "提交人", 12: "经办人", 13: "经办人", 21: "已审核通过"}
    assert status.approvers == (21,)  # a repeated approval in the history counts once
    assert status.remaining == 2


def test_a_proactive_case_has_no_submitter_but_still_needs_review() -> None:
    status = review_status(amount_fen=150_000, submitter=None, handlers=[], approvals=[])
    assert not status.complete and status.barred == {}


@given(
    amount_fen=st.integers(min_value=0, max_value=10**11),
    candidates=st.lists(st.sampled_from(["s", "h1", "h2", "r1", "r2", "r3", "r4"]), max_size=12),
)
def test_counted_approvers_are_distinct_and_never_the_submitter_or_a_handler(
    amount_fen: int, candidates: list[str]
) -> None:
    approvals: list[str] = []
    status: ReviewStatus = review_status(amount_fen=amount_fen, submitter="s", handlers=["h1", "h2"], approvals=[])
    for who in candidates:
        try:
            status = add_approval(who, amount_fen=amount_fen, submitter="s", handlers=["h1", "h2"], approvals=approvals)
        except ApprovalError:
            continue
        approvals.append(who)
    assert len(set(status.approvers)) == len(status.approvers) == len(approvals)
    assert not {"s", "h1", "h2"} & set(status.approvers)
    assert len(status.approvers) <= status.required == POLICY.required_approvers(amount_fen)
    assert status.complete == (len(status.approvers) == status.required)
