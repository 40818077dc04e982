"""Reconciling the bank's return file (回盘文件) against the batch we sent.

The return file has the layout of :mod:`jiuye.payments.bankfile` (text or ``.xlsx``) with three
more fields per line: 结果 (成功 / 失败 / 未知 / 退汇), 银行说明 and 交易时间
(``YYYY-MM-DD HH:MM:SS`` or ``YYYYMMDDHHMMSS``; may be empty for 未知). Each line is mapped back
to what was sent by its 用途 (idempotency key). Every line is judged; a bad line is reported with
its line number and does not stop the others.

Reconciliation rules (what the service does with the result):

* **paid** (成功): the grant is paid. A 成功 for a key already paid is a *duplicate success*, an
  anomaly flagged for inquiry (the bank may have paid twice), never a second confirmation.
* **failed** (失败): the bank confirms that no money left. Only then may the grant go into a
  follow-up batch, under a **new** key (the next attempt of :func:`~jiuye.payments.keys.payment_key`).
* **unknown** (未知): stays pending until an inquiry (查询) result arrives. It is **never**
  resolved by resending: a resend of a payment that in fact went through pays twice.
* **reversed** (退汇): the receiving bank returned money already paid; accepted only after a
  paid status, and then like *failed* the grant may be paid again under a new key (after the
  account is corrected). A 退汇 for a key not known as paid is flagged.
* A line with a problem (unknown key, amount or payee different from what was sent, duplicate
  line, malformed line, status conflict) resolves nothing: its key stays as it was, pending a
  person's check. Keys sent but absent from the file (``missing``) also stay as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from jiuye.money import format_yuan
from jiuye.payments._layout import DETAIL_TITLES, HEADER_TITLES, RESULT_TITLES, parse_time, parse_yuan
from jiuye.payments._returnfile import RawReturn, Row, read_return_rows
from jiuye.payments.bankfile import BankBatch, PaymentLine

__all__ = ["Outcome", "ProblemKind", "Reconciliation", "ReturnLine", "ReturnProblem", "parse_return"]


class Outcome(StrEnum):
    PAID = "paid"
    FAILED = "failed"
    UNKNOWN = "unknown"
    REVERSED = "reversed"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {Outcome.PAID: "成功", Outcome.FAILED: "失败", Outcome.UNKNOWN: "未知", Outcome.REVERSED: "退汇"}
_BY_WORD = {word: outcome for outcome, word in _LABELS.items()}


class ProblemKind(StrEnum):
    MALFORMED = "malformed"
    UNKNOWN_KEY = "unknown_key"
    DUPLICATE_LINE = "duplicate_line"
    AMOUNT_MISMATCH = "amount_mismatch"
    PAYEE_MISMATCH = "payee_mismatch"
    DUPLICATE_SUCCESS = "duplicate_success"
    STATUS_CONFLICT = "status_conflict"
    REVERSAL_WITHOUT_PAYMENT = "reversal_without_payment"
    HEADER_MISMATCH = "header_mismatch"
    VOIDED_KEY = "voided_key"  # the service voided the payment; the bank reports it anyway


@dataclass(frozen=True)
class ReturnLine:
    line: int
    key: str
    outcome: Outcome
    amount_fen: int
    bank_message: str
    transacted_at: dt.datetime | None


@dataclass(frozen=True)
class ReturnProblem:
    line: int
    kind: ProblemKind
    message: str  # Chinese, starting with where the line is (第5行 / 明细表第5行)
    key: str | None = None


@dataclass(frozen=True)
class Reconciliation:
    batch_no: str
    paid: tuple[ReturnLine, ...]
    failed: tuple[ReturnLine, ...]
    unknown: tuple[ReturnLine, ...]
    reversed: tuple[ReturnLine, ...]
    problems: tuple[ReturnProblem, ...]
    missing: tuple[str, ...]  # keys sent that no usable line mentions

    @property
    def follow_up_keys(self) -> tuple[str, ...]:
        """Keys whose grant may be paid again in a follow-up batch, under the next attempt's key."""
        return tuple(r.key for r in (*self.failed, *self.reversed))

    @property
    def pending_keys(self) -> tuple[str, ...]:
        """Keys awaiting a bank inquiry: never to be resent."""
        return tuple(r.key for r in self.unknown)


_WIDTH = len(DETAIL_TITLES) + len(RESULT_TITLES)


def _parse_row(row: Row) -> ReturnLine | ReturnProblem:
    f = row.fields
    if len(f) != _WIDTH:
        msg = f"{row.where}：应有 {_WIDTH} 个字段（以「|」分隔），实有 {len(f)} 个；提示：核对回盘文件格式"
        return ReturnProblem(row.line, ProblemKind.MALFORMED, msg)
    key, amount_text, word, message, time_text = f[4], f[3], f[6], f[7], f[8]
    amount, outcome, when = parse_yuan(amount_text), _BY_WORD.get(word), parse_time(time_text)
    reasons = []
    if not key:
        reasons.append("用途（付款幂等键）为空")
    if amount is None:
        reasons.append(f"金额「{amount_text}」不是有效金额（如 1500.00）")
    if outcome is None:
        reasons.append(f"结果「{word}」无法识别（应为 成功、失败、未知 或 退汇）")
    if time_text and when is None:
        reasons.append(f"交易时间「{time_text}」无法识别（应为 YYYY-MM-DD HH:MM:SS 或 YYYYMMDDHHMMSS）")
    if not time_text and outcome in (Outcome.PAID, Outcome.REVERSED):
        reasons.append(f"结果为{word}却没有交易时间")
    if reasons or amount is None or outcome is None:
        msg = f"{row.where}：{'；'.join(reasons)}；提示：请银行更正该行后重新回盘"
        return ReturnProblem(row.line, ProblemKind.MALFORMED, msg, key or None)
    return ReturnLine(row.line, key, outcome, amount, message, when)


def _header_problems(raw: RawReturn, sent: BankBatch) -> list[ReturnProblem]:
    h = raw.header
    if len(h.fields) != len(HEADER_TITLES):
        msg = f"{h.where}：批次汇总应有 {len(HEADER_TITLES)} 个字段，实有 {len(h.fields)} 个；提示：第1行应为批次汇总"
        return [ReturnProblem(h.line, ProblemKind.MALFORMED, msg)]
    out = []
    if h.fields[0] != sent.header.batch_no:
        msg = (
            f"{h.where}：批次号「{h.fields[0]}」与发出的批次「{sent.header.batch_no}」不符；"
            "提示：确认回盘文件对应的批次"
        )
        out.append(ReturnProblem(h.line, ProblemKind.HEADER_MISMATCH, msg))
    count, total = h.fields[1], parse_yuan(h.fields[2])
    amounts = [parse_yuan(r.fields[3]) if len(r.fields) == _WIDTH else None for r in raw.rows]
    if not (count.isdigit() and int(count) == len(raw.rows)):
        msg = f"{h.where}：汇总声明 {count} 笔，回盘明细实有 {len(raw.rows)} 笔；提示：向银行核实是否漏行"
        out.append(ReturnProblem(h.line, ProblemKind.HEADER_MISMATCH, msg))
    if None not in amounts and total != sum(a for a in amounts if a is not None):
        declared = format_yuan(total) if total is not None else f"「{h.fields[2]}」"
        detail_total = format_yuan(sum(a for a in amounts if a))
        msg = f"{h.where}：汇总声明总金额 {declared}，回盘明细合计 {detail_total}；提示：向银行核实"
        out.append(ReturnProblem(h.line, ProblemKind.HEADER_MISMATCH, msg))
    return out


def _against_sent(row: Row, got: ReturnLine, sent: PaymentLine) -> ReturnProblem | None:
    if got.amount_fen != sent.amount_fen:
        msg = (
            f"{row.where}：用途「{got.key}」回盘金额 {format_yuan(got.amount_fen)}"
            f" 与发出的 {format_yuan(sent.amount_fen)} 不符，该行不予确认；提示：向银行核实实际入账金额"
        )
        return ReturnProblem(row.line, ProblemKind.AMOUNT_MISMATCH, msg, got.key)
    name, account = row.fields[1], row.fields[2]
    if (name, account) != (sent.payee_name, sent.account_no):
        msg = f"{row.where}：用途「{got.key}」的收款人或收款账号与发出的不符，该行不予确认；提示：向银行核实收款账户"
        return ReturnProblem(row.line, ProblemKind.PAYEE_MISMATCH, msg, got.key)
    return None


def _against_previous(row: Row, got: ReturnLine, before: Outcome | None) -> ReturnProblem | None:
    key, now = got.key, got.outcome
    match (before, now):
        case (None | Outcome.UNKNOWN, Outcome.REVERSED):
            msg = f"{row.where}：用途「{key}」回盘为退汇，但此前未确认付款成功；提示：先向银行核实该笔是否曾入账"
            return ReturnProblem(row.line, ProblemKind.REVERSAL_WITHOUT_PAYMENT, msg, key)
        case (None | Outcome.UNKNOWN, _) | (Outcome.PAID, Outcome.REVERSED):
            return None
        case (Outcome.PAID, Outcome.PAID):
            msg = (
                f"{row.where}：用途「{key}」此前已确认付款成功，本次又回盘成功，疑似重复入账；"
                "提示：立即向银行查询是否重复付款"
            )
            return ReturnProblem(row.line, ProblemKind.DUPLICATE_SUCCESS, msg, key)
        case _:
            was = before.label if before else ""
            msg = (
                f"{row.where}：用途「{key}」此前状态为{was}，本次回盘为{now.label}，状态冲突；"
                "提示：向银行查询，不得据此补发"
            )
            return ReturnProblem(row.line, ProblemKind.STATUS_CONFLICT, msg, key)


def parse_return(
    data: bytes | Path, *, sent: BankBatch, previous: Mapping[str, Outcome] | None = None
) -> Reconciliation:
    """Judge every line of a return file against the batch ``sent`` and each key's ``previous`` status."""
    raw = read_return_rows(data.read_bytes() if isinstance(data, Path) else data)
    known = previous or {}
    by_key = {line.key: line for line in sent.lines}
    problems = _header_problems(raw, sent)
    first: dict[str, Row] = {}
    doubled: set[str] = set()
    accepted: list[ReturnLine] = []
    for row in raw.rows:
        got = _parse_row(row)
        if isinstance(got, ReturnProblem):
            problems.append(got)
            continue
        if got.key not in by_key:
            msg = (
                f"{row.where}：用途「{got.key}」不是批次 {sent.header.batch_no} 发出的付款；"
                "提示：确认回盘文件与批次对应"
            )
            problems.append(ReturnProblem(row.line, ProblemKind.UNKNOWN_KEY, msg, got.key))
            continue
        if got.key in first:
            msg = (
                f"{row.where}：用途「{got.key}」与{first[got.key].where}重复，两行均不予确认；"
                "提示：向银行查询该笔实际结果"
            )
            problems.append(ReturnProblem(row.line, ProblemKind.DUPLICATE_LINE, msg, got.key))
            doubled.add(got.key)
            continue
        first[got.key] = row
        problem = _against_sent(row, got, by_key[got.key]) or _against_previous(row, got, known.get(got.key))
        if problem:
            problems.append(problem)
        else:
            accepted.append(got)
    accepted = [r for r in accepted if r.key not in doubled]
    mentioned = set(first) | {p.key for p in problems if p.key}

    def having(outcome: Outcome) -> tuple[ReturnLine, ...]:
        return tuple(r for r in accepted if r.outcome == outcome)

    return Reconciliation(
        batch_no=sent.header.batch_no,
        paid=having(Outcome.PAID),
        failed=having(Outcome.FAILED),
        unknown=having(Outcome.UNKNOWN),
        reversed=having(Outcome.REVERSED),
        problems=tuple(problems),  # the header first, then the lines in file order
        missing=tuple(line.key for line in sent.lines if line.key not in mentioned),
    )
