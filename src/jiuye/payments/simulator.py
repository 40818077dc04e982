"""A simulated bank: the return file it would send for a batch, for tests and the demo walk-through.

It echoes the batch header and every line, adding 结果, 银行说明 and 交易时间, in the text or the
Excel layout of :mod:`jiuye.payments.bankfile`.

>>> import datetime as dt
>>> from jiuye.payments.bankfile import BankBatch, BatchHeader, PaymentLine
>>> line = PaymentLine(1, "张三", "6222020000000001", 150000, "JYSVMWGWIEAGJGPDYT", "一次性扩岗补助")
>>> batch = BankBatch(BatchHeader("PB20250701-01", 1, 150000, "4500000000000001", dt.date(2025, 7, 1)), (line,))
>>> data = simulate_return(batch, {}, at=dt.datetime(2025, 7, 1, 9, 30))
>>> print(data.decode("utf-8-sig").splitlines()[1])
1|张三|6222020000000001|1500.00|JYSVMWGWIEAGJGPDYT|一次性扩岗补助|成功|交易成功|2025-07-01 09:30:00
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

from jiuye.payments._layout import DELIMITER, DETAIL_TITLES, HEADER_TITLES, LINE_END, RESULT_TITLES, TextEncoding
from jiuye.payments._xlsx import workbook_bytes
from jiuye.payments.bankfile import BankBatch, detail_fields, header_fields
from jiuye.payments.returns import Outcome

__all__ = ["BANK_MESSAGES", "simulate_return"]

#: What the simulated bank says for each result (illustrative wording).
BANK_MESSAGES = {
    Outcome.PAID: "交易成功",
    Outcome.FAILED: "户名与账号不符",
    Outcome.UNKNOWN: "处理中，请稍后查询",
    Outcome.REVERSED: "收款行退汇",
}


def simulate_return(
    batch: BankBatch,
    outcomes: Mapping[str, Outcome],
    *,
    at: dt.datetime,
    fmt: Literal["text", "xlsx"] = "text",
    encoding: TextEncoding = "utf-8-sig",
) -> bytes:
    """The return file for ``batch``: each key's outcome from ``outcomes`` (default: paid) at time ``at``."""
    details = []
    for line in batch.lines:
        outcome = outcomes.get(line.key, Outcome.PAID)
        when = "" if outcome == Outcome.UNKNOWN else at.strftime("%Y-%m-%d %H:%M:%S")
        details.append([*detail_fields(line), outcome.label, BANK_MESSAGES[outcome], when])
    header = header_fields(batch.header)
    if fmt == "xlsx":
        return workbook_bytes([list(HEADER_TITLES), header], [list(DETAIL_TITLES + RESULT_TITLES), *details])
    return "".join(DELIMITER.join(row) + LINE_END for row in [header, *details]).encode(encoding)
