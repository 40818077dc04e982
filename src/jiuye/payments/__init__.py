"""Disbursement: idempotency keys, tamper-evident payment fingerprints, the bank's 代发 file and its return.

A pure domain package (no database, no web framework). The service builds a :class:`BankBatch`
from approved grants, exports it with :func:`render_text` or :func:`render_excel`, and reconciles
the bank's return file with :func:`parse_return` (rules in :mod:`jiuye.payments.returns`).
"""

from __future__ import annotations

from jiuye.payments._layout import TextEncoding
from jiuye.payments.bankfile import (
    BankBatch,
    BatchHeader,
    PaymentLine,
    check_batch,
    render_excel,
    render_text,
    write_batch,
)
from jiuye.payments.errors import AccountNumberError, BankFileError, PayeeNameError, PaymentError, ReturnFileError
from jiuye.payments.keys import (
    ApprovedPayment,
    is_payment_key,
    payment_fingerprint,
    payment_key,
    verify_fingerprint,
)
from jiuye.payments.payee import account_number, account_problem, name_problem, payee_name
from jiuye.payments.returns import Outcome, ProblemKind, Reconciliation, ReturnLine, ReturnProblem, parse_return
from jiuye.payments.simulator import simulate_return

__all__ = [
    "AccountNumberError",
    "ApprovedPayment",
    "BankBatch",
    "BankFileError",
    "BatchHeader",
    "Outcome",
    "PayeeNameError",
    "PaymentError",
    "PaymentLine",
    "ProblemKind",
    "Reconciliation",
    "ReturnFileError",
    "ReturnLine",
    "ReturnProblem",
    "TextEncoding",
    "account_number",
    "account_problem",
    "check_batch",
    "is_payment_key",
    "name_problem",
    "parse_return",
    "payee_name",
    "payment_fingerprint",
    "payment_key",
    "render_excel",
    "render_text",
    "simulate_return",
    "verify_fingerprint",
    "write_batch",
]
