"""The payee rules (jiuye.payments.payee): what registration accepts is exactly what the bank file writes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiuye.payments import (
    AccountNumberError,
    BankBatch,
    BatchHeader,
    PayeeNameError,
    PaymentLine,
    account_number,
    account_problem,
    check_batch,
    name_problem,
    payee_name,
    payment_key,
    render_text,
)


def _line(name: str, account: str) -> BankBatch:
    line = PaymentLine(1, name, account, 100, payment_key("G-1", 1), "一次性扩岗补助")
    return BankBatch(BatchHeader("PB1", 1, 100, "4500000000000001", dt.date(2025, 7, 1)), (line,))


def test_full_width_digits_spaces_and_hyphens_become_plain_digits() -> None:
    assert account_number("６２１７\u3000０００0-1111－2222 001\u00a0") == "6217000011112222001"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("6217²00011112222001", "「²」（U+00B2）"),  # superscript two: NFKC would make it a 2
        ("6217①00011112222001", "「①」（U+2460）"),
        ("6217𝟎00011112222001", "「𝟎」（U+1D7CE）"),  # mathematical bold zero
        ("6217٠00011112222001", "「٠」（U+0660）"),  # Arabic-Indic zero
        ("6217ABC011112222001", "「A」（U+0041）"),
        ("6217\n00011112222001", "（U+000A）"),
    ],
)
def test_characters_that_only_look_like_digits_are_refused_with_the_number_masked(typed: str, shown: str) -> None:
    with pytest.raises(AccountNumberError) as caught:
        account_number(typed)
    message = str(caught.value)
    assert caught.value.code == "ACCOUNT_NO_INVALID" and shown in message
    assert "6217" in message and "2222001" not in message and "11112222" not in message


def test_an_account_number_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(AccountNumberError, match="为 7 位"):
        account_number("1234567")
    with pytest.raises(AccountNumberError, match="为 31 位"):
        account_number("1" * 31)
    with pytest.raises(AccountNumberError, match="为空"):
        account_number(" - ")


def test_names_are_nfkc_normalised_and_trimmed_keeping_full_width_parentheses() -> None:
    assert payee_name("\u3000ＡＢＣ科技有限公司（南宁分公司） ") == "ABC科技有限公司（南宁分公司）"
    assert payee_name("阿卜杜·热合曼") == "阿卜杜·热合曼"


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("张|三", "分隔符「|」"),
        ("张｜三", "分隔符「|」"),  # the full-width bar becomes the separator under NFKC
        ("张\n三", "U+000A"),
        ("张\r\n三", "U+000D"),
        ("张\u2028三", "U+2028"),
        ("张\u200b三", "U+200B"),  # zero-width space
        ("张\u202e三", "U+202E"),  # right-to-left override
        ("  ", "为空"),
        ("企" * 61, "长 61 字"),
    ],
)
def test_names_the_bank_file_cannot_carry_are_refused(typed: str, why: str) -> None:
    with pytest.raises(PayeeNameError) as caught:
        payee_name(typed)
    assert caught.value.code == "PAYEE_NAME_INVALID" and why in str(caught.value)


def test_the_bank_file_refuses_a_stored_value_that_is_not_in_the_registered_form() -> None:
    assert account_problem("6217-0000-1111-2222") is not None, "连字符须在登记时去掉"
    assert name_problem("ＡＢＣ公司") is not None
    assert name_problem("企" * 60) is None and account_problem("6" * 30) is None
    for name, account in (("张三", "6217ABC011112222001"), ("张三", "62170000-11112222001")):
        with pytest.raises(Exception, match="收款账号"):
            check_batch(_line(name, account))


@given(st.text(max_size=40))
def test_an_account_number_registration_accepts_is_one_the_bank_file_writes(typed: str) -> None:
    try:
        number = account_number(typed)
    except AccountNumberError:
        return
    assert account_problem(number) is None
    assert number in render_text(_line("张三", number)).decode("utf-8-sig")


@given(st.text(max_size=70))
def test_a_name_registration_accepts_is_one_the_bank_file_writes(typed: str) -> None:
    try:
        name = payee_name(typed)
    except PayeeNameError:
        return
    assert name_problem(name) is None
    rows = render_text(_line(name, "6217000011112222001")).decode("utf-8-sig").split("\r\n")
    assert len(rows) == 3 and rows[1].split("|")[1] == name


@given(st.text(max_size=40))
def test_the_bank_file_accepts_an_account_number_only_in_its_registered_form(stored: str) -> None:
    if account_problem(stored) is None:
        assert account_number(stored) == stored
