"""The application state machine: every move of the table, refusals off the table, terminal states stay put."""

from __future__ import annotations

import re
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiuye.cases import (
    CLAIMANT_ROLES,
    EDITABLE_STATES,
    INITIAL_STATE,
    PROACTIVE_ENTRY_STATE,
    TERMINAL_STATES,
    TRANSITIONS,
    Action,
    CaseError,
    Guard,
    Role,
    State,
    TransitionError,
    TransitionPreconditionError,
    TransitionRoleError,
    allowed_actions,
    is_terminal,
    transition,
)

HAN = re.compile(r"[\u4e00-\u9fff]")
ALLOWED = [(state, action, role) for (state, action), move in TRANSITIONS.items() for role in sorted(move.roles)]
WRONG_ROLE = [
    (state, action, role) for (state, action), move in TRANSITIONS.items() for role in Role if role not in move.roles
]
OFF_TABLE = [(state, action) for state, action in product(State, Action) if (state, action) not in TRANSITIONS]


def _take(state: State, action: Action, role: Role) -> State:
    return transition(state, action, role=role, own=True, review_complete=True, notice_over=True)


def _reachable(start: State) -> set[State]:
    seen, todo = {start}, [start]
    while todo:
        here = todo.pop()
        for (source, _), move in TRANSITIONS.items():
            if source == here and move.target not in seen:
                seen.add(move.target)
                todo.append(move.target)
    return seen


@pytest.mark.parametrize(("state", "action", "role"), ALLOWED, ids=str)
def test_every_move_in_the_table_leads_to_its_target_for_every_allowed_role(
    state: State, action: Action, role: Role
) -> None:
    assert _take(state, action, role) == TRANSITIONS[state, action].target


@pytest.mark.parametrize(("state", "action", "role"), WRONG_ROLE, ids=str)
def test_a_role_not_named_in_the_table_is_refused_with_the_roles_that_may(
    state: State, action: Action, role: Role
) -> None:
    with pytest.raises(TransitionRoleError, match=f"角色“{role.label}”不能.*“{action.label}”") as info:
        _take(state, action, role)
    assert info.value.code == "TRANSITION_FORBIDDEN"
    for allowed in TRANSITIONS[state, action].roles:
        assert allowed.label in str(info.value)


@pytest.mark.parametrize(("state", "action"), OFF_TABLE, ids=str)
def test_an_action_off_the_table_is_refused_naming_the_state_and_the_action(state: State, action: Action) -> None:
    with pytest.raises(TransitionError) as info:
        _take(state, action, Role.CASEWORKER)
    message = str(info.value)
    assert info.value.code == "TRANSITION_INVALID"
    assert state.label in message and action.label in message and "提示：" in message
    for allowed in allowed_actions(state):
        assert allowed.label in message


@pytest.mark.parametrize("state", sorted(TERMINAL_STATES))
def test_terminal_states_refuse_every_action_for_every_role(state: State) -> None:
    for action, role in product(Action, Role):
        with pytest.raises(TransitionError, match="终态"):
            _take(state, action, role)


def test_the_terminal_states_are_paid_rejected_and_withdrawn() -> None:
    assert {State.PAID, State.REJECTED, State.WITHDRAWN} == TERMINAL_STATES
    assert all(is_terminal(s) == (s in TERMINAL_STATES) for s in State)
    assert not any(allowed_actions(s) for s in TERMINAL_STATES)


@pytest.mark.parametrize("role", sorted(CLAIMANT_ROLES))
@pytest.mark.parametrize("action", [Action.SUBMIT, Action.WITHDRAW])
def test_a_claimant_may_submit_or_withdraw_only_their_own_application(role: Role, action: Action) -> None:
    assert transition(State.DRAFT, action, role=role, own=True) in {State.SUBMITTED, State.WITHDRAWN}
    with pytest.raises(TransitionRoleError, match="只能对本人（本单位）的申请"):
        transition(State.DRAFT, action, role=role, own=False)


def test_a_caseworker_submits_and_withdraws_on_a_claimants_behalf() -> None:
    assert transition(State.DRAFT, Action.SUBMIT, role=Role.CASEWORKER) == State.SUBMITTED
    assert transition(State.IN_REVIEW, Action.WITHDRAW, role=Role.CASEWORKER) == State.WITHDRAWN


def test_auditors_and_administrators_take_no_action_on_a_case() -> None:
    for state in State:
        assert allowed_actions(state, Role.AUDITOR) == ()
        assert allowed_actions(state, Role.ADMIN) == ()


def test_only_reviewers_approve_reject_and_only_finance_marks_paid() -> None:
    assert TRANSITIONS[State.IN_REVIEW, Action.APPROVE].roles == {Role.REVIEWER}
    assert TRANSITIONS[State.IN_REVIEW, Action.REJECT].roles == {Role.REVIEWER}
    assert TRANSITIONS[State.APPROVED, Action.MARK_PAID].roles == {Role.FINANCE}


def test_the_notice_starts_only_after_review_is_complete() -> None:
    with pytest.raises(TransitionPreconditionError, match="审核已完成") as info:
        transition(State.IN_REVIEW, Action.START_NOTICE, role=Role.REVIEWER, review_complete=False)
    assert info.value.code == "TRANSITION_PRECONDITION"
    assert transition(State.IN_REVIEW, Action.START_NOTICE, role=Role.REVIEWER, review_complete=True) == (
        State.PUBLIC_NOTICE
    )


def test_the_notice_closes_into_approval_only_once_its_period_is_over() -> None:
    with pytest.raises(TransitionPreconditionError, match="公示期已满"):
        transition(State.PUBLIC_NOTICE, Action.CLOSE_NOTICE, role=Role.SYSTEM, notice_over=False)
    assert transition(State.PUBLIC_NOTICE, Action.CLOSE_NOTICE, role=Role.SYSTEM, notice_over=True) == State.APPROVED


def test_every_guard_is_used_by_some_move() -> None:
    assert {move.guard for move in TRANSITIONS.values()} - {None} == set(Guard)


def test_an_approval_keeps_the_case_in_review_and_an_objection_reopens_review() -> None:
    assert transition(State.IN_REVIEW, Action.APPROVE, role=Role.REVIEWER) == State.IN_REVIEW
    assert transition(State.PUBLIC_NOTICE, Action.OBJECT, role=Role.CASEWORKER) == State.IN_REVIEW


def test_a_returned_application_is_editable_and_can_be_resubmitted() -> None:
    assert {State.DRAFT, State.RETURNED} == EDITABLE_STATES
    for source in (State.SUBMITTED, State.AUTO_CHECKED, State.IN_REVIEW):
        returned = next(m.target for (s, a), m in TRANSITIONS.items() if s == source and a.startswith("return"))
        assert returned == State.RETURNED
    assert transition(State.RETURNED, Action.SUBMIT, role=Role.INDIVIDUAL, own=True) == State.SUBMITTED
    assert transition(State.SUBMITTED, Action.AUTO_CHECK_FAIL, role=Role.SYSTEM) == State.RETURNED


def test_the_whole_road_from_draft_to_paid_with_a_return_and_an_objection() -> None:
    steps = [
        (Action.SUBMIT, Role.ENTERPRISE, State.SUBMITTED),
        (Action.AUTO_CHECK_PASS, Role.SYSTEM, State.AUTO_CHECKED),
        (Action.RETURN_FOR_REVISION, Role.CASEWORKER, State.RETURNED),
        (Action.SUBMIT, Role.ENTERPRISE, State.SUBMITTED),
        (Action.AUTO_CHECK_PASS, Role.SYSTEM, State.AUTO_CHECKED),
        (Action.ACCEPT, Role.CASEWORKER, State.IN_REVIEW),
        (Action.APPROVE, Role.REVIEWER, State.IN_REVIEW),
        (Action.START_NOTICE, Role.REVIEWER, State.PUBLIC_NOTICE),
        (Action.OBJECT, Role.CASEWORKER, State.IN_REVIEW),
        (Action.APPROVE, Role.REVIEWER, State.IN_REVIEW),
        (Action.START_NOTICE, Role.CASEWORKER, State.PUBLIC_NOTICE),
        (Action.CLOSE_NOTICE, Role.SYSTEM, State.APPROVED),
        (Action.MARK_PAID, Role.FINANCE, State.PAID),
    ]
    state = INITIAL_STATE
    for action, role, expected in steps:
        state = _take(state, action, role)
        assert state == expected, action


def test_every_state_is_reachable_and_every_live_state_can_still_end() -> None:
    assert _reachable(INITIAL_STATE) == set(State)
    assert PROACTIVE_ENTRY_STATE in _reachable(INITIAL_STATE)
    for state in set(State) - TERMINAL_STATES:
        assert _reachable(state) & TERMINAL_STATES, state


def test_a_proactive_case_still_passes_review_and_notice_before_approval() -> None:
    assert State.APPROVED in _reachable(PROACTIVE_ENTRY_STATE)
    assert not any(
        move.target == State.APPROVED
        for (source, _), move in TRANSITIONS.items()
        if source not in {State.PUBLIC_NOTICE, State.APPROVED}
    )
    assert allowed_actions(PROACTIVE_ENTRY_STATE, Role.CASEWORKER)[0] == Action.ACCEPT


def test_states_actions_roles_and_guards_have_chinese_labels() -> None:
    for item in [*State, *Action, *Role, *Guard]:
        assert HAN.search(item.label), item
    assert len({s.label for s in State}) == len(State)
    assert len({a.label for a in Action}) == len(Action)


STEP_LISTS = st.lists(
    st.tuples(st.sampled_from(Action), st.sampled_from(Role), st.booleans(), st.booleans(), st.booleans()),
    max_size=40,
)


@given(start=st.sampled_from([INITIAL_STATE, PROACTIVE_ENTRY_STATE]), steps=STEP_LISTS)
def test_random_action_sequences_follow_the_table_and_terminal_states_stay_terminal(
    start: State, steps: list[tuple[Action, Role, bool, bool, bool]]
) -> None:
    state = start
    for action, role, own, review_complete, notice_over in steps:
        before = state
        try:
            state = transition(
                state, action, role=role, own=own, review_complete=review_complete, notice_over=notice_over
            )
        except CaseError:
            assert state == before
            continue
        assert not is_terminal(before)
        assert state == TRANSITIONS[before, action].target
        assert role in TRANSITIONS[before, action].roles
    assert state in _reachable(start)
