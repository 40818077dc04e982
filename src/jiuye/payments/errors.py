"""Errors of the disbursement domain; each message is Chinese and names the line or field."""

from __future__ import annotations

from jiuye.errors import JiuyeError

__all__ = ["AccountNumberError", "BankFileError", "PayeeNameError", "PaymentError", "ReturnFileError"]


class PaymentError(JiuyeError):
    """A payment value is invalid (attempt number, grant id, HMAC key)."""

    code = "PAYMENT_INVALID"


class AccountNumberError(PaymentError):
    """A receiving account number the 代发 file cannot carry (see :mod:`jiuye.payments.payee`)."""

    code = "ACCOUNT_NO_INVALID"


class PayeeNameError(PaymentError):
    """A payee (account holder) name the 代发 file cannot carry (see :mod:`jiuye.payments.payee`)."""

    code = "PAYEE_NAME_INVALID"


class BankFileError(PaymentError):
    """A 代发 batch cannot be written: the message lists every bad line, not only the first."""

    code = "BANK_FILE_INVALID"

    def __init__(self, batch_no: str, problems: list[str]) -> None:
        self.problems = problems
        msg = f"代发批次 {batch_no} 不能导出，共 {len(problems)} 处问题：\n" + "\n".join(f"  - {p}" for p in problems)
        super().__init__(msg)


class ReturnFileError(PaymentError):
    """A bank return file cannot be read at all (encoding, missing header or sheet, corrupt workbook).

    Problems on single lines do not raise: they are reported in the reconciliation result.
    """

    code = "RETURN_FILE_UNREADABLE"
