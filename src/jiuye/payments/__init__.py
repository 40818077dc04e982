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
from jiuye.payments.errors import BankFileError, PaymentError, ReturnFileError
from jiuye.payments.keys import (
    ApprovedPayment,
    is_payment_key,
    payment_fingerprint,
    payment_key,
    verify_fingerprint,
)
from jiuye.payments.returns import Outcome, ProblemKind, Reconciliation, ReturnLine, ReturnProblem, parse_return
from jiuye.payments.simulator import simulate_return

__all__ = [
    "ApprovedPayment",
    "BankBatch",
    "BankFileError",
    "BatchHeader",
    "Outcome",
    "PaymentError",
    "PaymentLine",
    "ProblemKind",
    "Reconciliation",
    "ReturnFileError",
    "ReturnLine",
    "ReturnProblem",
    "TextEncoding",
    "check_batch",
    "is_payment_key",
    "parse_return",
    "payment_fingerprint",
    "payment_key",
    "render_excel",
    "render_text",
    "simulate_return",
    "verify_fingerprint",
    "write_batch",
]
