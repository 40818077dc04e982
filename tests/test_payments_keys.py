"""Idempotency keys per payment attempt, and the fingerprint that detects tampering after approval."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiuye.errors import JiuyeError
from jiuye.payments import (
    ApprovedPayment,
    PaymentError,
    is_payment_key,
    payment_fingerprint,
    payment_key,
    verify_fingerprint,
)

SECRET = b"s" * 32
grant_ids = st.one_of(st.text(min_size=1).filter(str.strip), st.integers(min_value=0))
attempts = st.integers(min_value=1, max_value=1_000)


def approved(**changes: Any) -> ApprovedPayment:
    base = ApprovedPayment("G-1", "S-1", "gx.expansion", 150000, "ab" * 32, "张三", payment_key("G-1", 1))
    return dataclasses.replace(base, **changes)


def test_the_same_grant_and_attempt_always_give_the_same_key() -> None:
    assert payment_key("G-1", 1) == payment_key("G-1", 1) == payment_key("G-1", 1, scope="")


def test_a_new_attempt_after_a_failure_gives_a_new_key() -> None:
    assert payment_key("G-1", 1) != payment_key("G-1", 2)


def test_the_key_fits_a_bank_reference_field() -> None:
    key = payment_key("G-1", 1)
    assert len(key) == 18 and key.isascii() and key.isalnum() and key.upper() == key
    assert is_payment_key(key)


def test_grant_id_and_attempt_cannot_run_into_each_other() -> None:
    assert payment_key("1", 12) != payment_key("11", 2)


def test_an_integer_grant_id_gives_the_key_of_its_text() -> None:
    assert payment_key(7, 1) == payment_key("7", 1)


def test_two_bureaus_sharing_a_bank_get_different_keys() -> None:
    assert payment_key("G-1", 1, scope="450100") != payment_key("G-1", 1, scope="450200")


def test_attempt_one_is_the_first_and_attempt_zero_is_refused() -> None:
    assert is_payment_key(payment_key("G-1", 1))
    with pytest.raises(PaymentError, match="付款尝试次数 0 无效"):
        payment_key("G-1", 0)


@pytest.mark.parametrize("attempt", [True, -1, 1.0])
def test_an_attempt_that_is_not_a_positive_integer_is_refused(attempt: object) -> None:
    with pytest.raises(PaymentError, match="提示"):
        payment_key("G-1", attempt)  # type: ignore[arg-type]


def test_an_empty_grant_id_is_refused() -> None:
    with pytest.raises(PaymentError, match="资助编号为空") as caught:
        payment_key("  ", 1)
    assert isinstance(caught.value, JiuyeError) and caught.value.code == "PAYMENT_INVALID"


@pytest.mark.parametrize("text", ["JY123", "jy" + "A" * 16, "XX" + "A" * 16, "JY" + "A" * 15 + "1", ""])
def test_text_that_is_not_a_key_is_recognised(text: str) -> None:
    assert not is_payment_key(text)


@given(grant_ids, attempts)
def test_keys_are_stable_and_well_formed(grant: str | int, attempt: int) -> None:
    key = payment_key(grant, attempt)
    assert key == payment_key(grant, attempt) and is_payment_key(key)


@given(st.sets(st.tuples(st.text(min_size=1).filter(str.strip).map(str.strip), attempts), min_size=2, max_size=50))
def test_distinct_grant_attempts_get_distinct_keys(pairs: set[tuple[str, int]]) -> None:
    keys = {payment_key(grant, attempt) for grant, attempt in pairs}
    assert len(keys) == len(pairs)


def test_an_untouched_payment_verifies() -> None:
    assert verify_fingerprint(approved(), payment_fingerprint(approved(), key=SECRET), key=SECRET)


def test_an_amount_raised_by_one_fen_is_detected() -> None:
    mark = payment_fingerprint(approved(), key=SECRET)
    assert not verify_fingerprint(approved(amount_fen=150001), mark, key=SECRET)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("grant_id", "G-2"),
        ("subject_id", "S-2"),
        ("measure_id", "gx.youth"),
        ("amount_fen", 1500000),
        ("account_index", "cd" * 32),
        ("payee_name", "李四"),
        ("idempotency_key", payment_key("G-1", 2)),
    ],
)
def test_tampering_with_any_approved_field_is_detected(field: str, value: object) -> None:
    mark = payment_fingerprint(approved(), key=SECRET)
    assert not verify_fingerprint(approved(**{field: value}), mark, key=SECRET)


@given(st.integers(min_value=1, max_value=10**12))
def test_any_other_amount_breaks_the_fingerprint(amount: int) -> None:
    mark = payment_fingerprint(approved(), key=SECRET)
    assert verify_fingerprint(approved(amount_fen=amount), mark, key=SECRET) == (amount == 150000)


def test_a_fingerprint_made_without_the_key_does_not_verify() -> None:
    forged = payment_fingerprint(approved(amount_fen=999999), key=b"x" * 32)
    assert not verify_fingerprint(approved(amount_fen=999999), forged, key=SECRET)


def test_fields_that_only_swap_text_between_them_give_another_fingerprint() -> None:
    one = payment_fingerprint(approved(subject_id="AB", measure_id="C"), key=SECRET)
    assert one != payment_fingerprint(approved(subject_id="A", measure_id="BC"), key=SECRET)


def test_a_32_byte_key_is_accepted_and_a_31_byte_key_refused() -> None:
    assert len(payment_fingerprint(approved(), key=b"k" * 32)) == 64
    with pytest.raises(PaymentError, match="RFC 2104"):
        payment_fingerprint(approved(), key=b"k" * 31)
