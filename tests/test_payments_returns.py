"""Reconciling the bank's return file: round trips through a simulated bank, and every problem in one pass."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiuye.payments import (
    BankBatch,
    BatchHeader,
    Outcome,
    PaymentLine,
    ProblemKind,
    ReturnFileError,
    ReturnProblem,
    parse_return,
    payment_key,
    render_text,
    simulate_return,
)
from jiuye.payments._xlsx import workbook_bytes

SUMMARY_TITLES = ["批次号", "总笔数", "总金额（元）", "付款账号", "付款日期"]
AT = dt.datetime(2025, 7, 1, 9, 30)
NAMES = ["张三", "李四", "王五", "赵六", "钱七", "孙八"]
SENT = BankBatch(
    BatchHeader("PB20250701-01", 6, 6 * 150000, "4500000000000001", dt.date(2025, 7, 1)),
    tuple(
        PaymentLine(i, NAMES[i - 1], f"622202000000000{i}", 150000, payment_key(f"G-{i}", 1), "一次性扩岗补助")
        for i in range(1, 7)
    ),
)
KEYS = [line.key for line in SENT.lines]
MIXED = {KEYS[1]: Outcome.FAILED, KEYS[2]: Outcome.UNKNOWN}  # the others are paid


def text_lines(data: bytes) -> list[str]:
    return data.decode("utf-8-sig").splitlines()


def from_lines(lines: list[str]) -> bytes:
    return "\r\n".join(lines).encode("utf-8-sig")


def kinds(problems: tuple[ReturnProblem, ...]) -> list[tuple[int, ProblemKind]]:
    return [(p.line, p.kind) for p in problems]


@pytest.mark.parametrize(
    ("fmt", "encoding"), [("text", "utf-8-sig"), ("text", "gbk"), ("xlsx", "utf-8-sig")], ids=["utf8", "gbk", "xlsx"]
)
def test_a_return_from_the_bank_reconciles_every_line(fmt: str, encoding: str) -> None:
    sent_text = render_text(SENT, encoding=encoding)  # type: ignore[arg-type]
    assert sent_text  # the export itself succeeds in this encoding
    data = simulate_return(SENT, MIXED, at=AT, fmt=fmt, encoding=encoding)  # type: ignore[arg-type]
    result = parse_return(data, sent=SENT)
    assert result.problems == () and result.missing == ()
    assert [r.key for r in result.paid] == [KEYS[0], *KEYS[3:]]
    assert [r.key for r in result.failed] == [KEYS[1]] and result.failed[0].bank_message == "户名与账号不符"
    assert [r.key for r in result.unknown] == [KEYS[2]] and result.unknown[0].transacted_at is None
    assert result.paid[0].amount_fen == 150000 and result.paid[0].transacted_at == AT
    assert result.paid[0].line == 2  # text: line 1 is the header; Excel: row 1 of 明细 holds the titles


@given(st.lists(st.sampled_from([Outcome.PAID, Outcome.FAILED, Outcome.UNKNOWN]), min_size=6, max_size=6))
def test_whatever_the_bank_answers_comes_back_to_the_right_key(answers: list[Outcome]) -> None:
    result = parse_return(simulate_return(SENT, dict(zip(KEYS, answers, strict=True)), at=AT), sent=SENT)
    got = {r.key: r.outcome for r in (*result.paid, *result.failed, *result.unknown)}
    assert got == dict(zip(KEYS, answers, strict=True)) and result.problems == ()


def test_only_failed_lines_go_to_a_follow_up_batch_and_unknown_ones_wait_for_an_inquiry() -> None:
    result = parse_return(simulate_return(SENT, MIXED, at=AT), sent=SENT)
    assert result.follow_up_keys == (KEYS[1],)
    assert result.pending_keys == (KEYS[2],)
    assert KEYS[2] not in result.follow_up_keys


def test_an_unknown_line_is_resolved_by_a_later_inquiry_result() -> None:
    later = simulate_return(SENT, {}, at=AT)
    result = parse_return(later, sent=SENT, previous={KEYS[2]: Outcome.UNKNOWN})
    assert KEYS[2] in [r.key for r in result.paid] and result.problems == ()


def test_a_reversal_after_payment_is_accepted_as_a_later_status() -> None:
    later = simulate_return(SENT, {KEYS[0]: Outcome.REVERSED}, at=AT)
    lines = text_lines(later)
    result = parse_return(
        from_lines([lines[0].replace("|6|", "|1|").replace("9000.00", "1500.00"), lines[1]]),
        sent=SENT,
        previous={KEYS[0]: Outcome.PAID},
    )
    assert [r.key for r in result.reversed] == [KEYS[0]] and result.follow_up_keys == (KEYS[0],)
    assert result.problems == () and set(result.missing) == set(KEYS[1:])


def test_a_path_is_read_like_bytes(tmp_path: Path) -> None:
    path = tmp_path / "回盘.txt"
    path.write_bytes(simulate_return(SENT, {}, at=AT))
    assert len(parse_return(path, sent=SENT).paid) == 6


def test_every_problem_is_reported_with_its_line_in_one_pass() -> None:
    lines = text_lines(simulate_return(SENT, {KEYS[4]: Outcome.FAILED, KEYS[5]: Outcome.REVERSED}, at=AT))
    lines[0] = lines[0].replace("PB20250701-01", "PB20250701-99")  # line 1: another batch number
    lines[1] = lines[1].replace("1500.00", "1600.00")  # line 2: amount differs from what was sent
    lines[2] = lines[2].replace("|成功|", "|已完成|")  # line 3: malformed result word
    lines[3] = lines[3].replace(KEYS[2], payment_key("G-99", 1))  # line 4: a key we never sent
    lines[4] = lines[4].replace("赵六", "赵大")  # line 5: payee differs from what was sent
    lines.append(lines[4].replace("赵大", "赵六"))  # line 8: the key of line 5 again
    lines.append("7|钱七|6222")  # line 9: too few fields
    previous = {KEYS[4]: Outcome.PAID}  # line 6: 失败 after 成功 is a conflict
    result = parse_return(from_lines(lines), sent=SENT, previous=previous)
    assert kinds(result.problems) == [
        (1, ProblemKind.HEADER_MISMATCH),
        (1, ProblemKind.HEADER_MISMATCH),  # the header says 6 lines, the return has 8
        (2, ProblemKind.AMOUNT_MISMATCH),
        (3, ProblemKind.MALFORMED),
        (4, ProblemKind.UNKNOWN_KEY),
        (5, ProblemKind.PAYEE_MISMATCH),
        (6, ProblemKind.STATUS_CONFLICT),
        (7, ProblemKind.REVERSAL_WITHOUT_PAYMENT),
        (8, ProblemKind.DUPLICATE_LINE),
        (9, ProblemKind.MALFORMED),
    ]
    assert all(p.message.startswith(f"第{p.line}行：") and "提示" in p.message for p in result.problems)
    assert result.paid == result.failed == result.unknown == result.reversed == ()


def test_a_second_success_for_a_paid_key_is_flagged_as_a_duplicate_success() -> None:
    result = parse_return(simulate_return(SENT, {}, at=AT), sent=SENT, previous={KEYS[0]: Outcome.PAID})
    assert kinds(result.problems) == [(2, ProblemKind.DUPLICATE_SUCCESS)]
    assert "疑似重复入账" in result.problems[0].message and result.problems[0].key == KEYS[0]
    assert KEYS[0] not in [r.key for r in result.paid] and len(result.paid) == 5


def test_a_duplicated_line_confirms_neither_copy() -> None:
    lines = text_lines(simulate_return(SENT, {}, at=AT))
    lines[0] = lines[0].replace("|6|", "|7|").replace("9000.00", "10500.00")
    result = parse_return(from_lines([*lines, lines[1]]), sent=SENT)
    assert kinds(result.problems) == [(8, ProblemKind.DUPLICATE_LINE)] and "与第2行重复" in result.problems[0].message
    assert KEYS[0] not in [r.key for r in result.paid] and KEYS[0] not in result.missing


def test_a_declared_total_that_differs_from_the_return_lines_is_flagged() -> None:
    lines = text_lines(simulate_return(SENT, {}, at=AT))
    lines[0] = lines[0].replace("9000.00", "9000.01")
    result = parse_return(from_lines(lines), sent=SENT)
    assert kinds(result.problems) == [(1, ProblemKind.HEADER_MISMATCH)]
    assert "汇总声明总金额 9,000.01元，回盘明细合计 9,000.00元" in result.problems[0].message
    assert len(result.paid) == 6  # the lines themselves are fine


def test_a_paid_line_without_transaction_time_is_malformed_but_an_unknown_one_is_not() -> None:
    lines = text_lines(simulate_return(SENT, {KEYS[1]: Outcome.UNKNOWN}, at=AT))
    lines[1] = lines[1].rsplit("|", 1)[0] + "|"
    result = parse_return(from_lines(lines), sent=SENT)
    assert kinds(result.problems) == [(2, ProblemKind.MALFORMED)] and "没有交易时间" in result.problems[0].message
    assert [r.key for r in result.unknown] == [KEYS[1]]


def test_a_bad_time_and_a_bad_amount_on_one_line_are_both_named() -> None:
    lines = text_lines(simulate_return(SENT, {}, at=AT))
    lines[2] = lines[2].replace("1500.00", "1,500.00").replace("2025-07-01 09:30:00", "7/1/2025")
    message = parse_return(from_lines(lines), sent=SENT).problems[-1].message
    assert message.startswith("第3行：") and "金额「1,500.00」" in message and "交易时间「7/1/2025」" in message


def test_problems_in_an_excel_return_name_the_sheet_row() -> None:
    data = simulate_return(SENT, {}, at=AT, fmt="xlsx")
    result = parse_return(data, sent=SENT, previous={KEYS[5]: Outcome.PAID})
    assert kinds(result.problems) == [(7, ProblemKind.DUPLICATE_SUCCESS)]
    assert result.problems[0].message.startswith("明细表第7行：")


def test_an_excel_return_may_order_its_columns_differently() -> None:
    titles = ["用途", "结果", "序号", "收款人姓名", "收款账号", "金额（元）", "摘要", "银行说明", "交易时间"]
    rows = [
        [line.key, "失败", str(line.seq), line.payee_name, line.account_no, "1500.00", "一次性扩岗补助", "销户", ""]
        for line in SENT.lines
    ]
    header = [SUMMARY_TITLES, ["PB20250701-01", "6", "9000", "4500000000000001", "20250701"]]
    result = parse_return(workbook_bytes(header, [titles, *rows]), sent=SENT)
    assert result.problems == () and len(result.failed) == 6


def test_an_excel_return_without_the_result_column_cannot_be_read() -> None:
    header = [SUMMARY_TITLES, ["PB20250701-01", "0", "0", "1", "20250701"]]
    with pytest.raises(ReturnFileError, match="缺少列：结果"):
        parse_return(
            workbook_bytes(header, [["序号", "收款人姓名", "收款账号", "金额（元）", "用途", "摘要"]]), sent=SENT
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "回盘文件为空"),
        (b"\r\n  \r\n", "回盘文件为空"),
        (b"\xff\xfe\x00\x81", "既不是 UTF-8 也不是 GBK"),
        (b"PK\x03\x04 not really a workbook", "无法读取回盘 Excel"),
    ],
    ids=["empty", "blank", "encoding", "corrupt-xlsx"],
)
def test_an_unreadable_file_is_refused_as_a_whole(data: bytes, message: str) -> None:
    with pytest.raises(ReturnFileError, match=message) as caught:
        parse_return(data, sent=SENT)
    assert caught.value.code == "RETURN_FILE_UNREADABLE"


def test_a_gbk_return_is_recognised_without_being_told() -> None:
    data = simulate_return(SENT, {}, at=AT, encoding="gbk")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert [r.key for r in parse_return(data, sent=SENT).paid] == KEYS
