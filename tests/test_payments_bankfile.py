"""The 代发 export: header and lines in text (UTF-8 with BOM, GBK) and Excel; bad batches refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jiuye.errors import JiuyeError
from jiuye.payments import (
    BankBatch,
    BankFileError,
    BatchHeader,
    PaymentLine,
    check_batch,
    payment_key,
    render_excel,
    render_text,
    write_batch,
)

PAY_DAY = dt.date(2025, 7, 1)


def batch(*amounts: int, declared_total: int | None = None, declared_count: int | None = None) -> BankBatch:
    names = ["张三", "李四", "王五", "赵六"]
    lines = tuple(
        PaymentLine(i, names[i - 1], f"622202000000000{i}", fen, payment_key(f"G-{i}", 1), "一次性扩岗补助")
        for i, fen in enumerate(amounts, start=1)
    )
    total = sum(amounts) if declared_total is None else declared_total
    count = len(lines) if declared_count is None else declared_count
    return BankBatch(BatchHeader("PB20250701-01", count, total, "4500000000000001", PAY_DAY), lines)


def with_line(b: BankBatch, index: int, **changes: Any) -> BankBatch:
    lines = list(b.lines)
    lines[index] = dataclasses.replace(lines[index], **changes)
    return dataclasses.replace(b, lines=tuple(lines))


def problems_of(b: BankBatch, **kwargs: object) -> list[str]:
    with pytest.raises(BankFileError) as caught:
        check_batch(b, **kwargs)  # type: ignore[arg-type]
    return caught.value.problems


def test_the_text_file_has_the_header_then_one_line_per_payment() -> None:
    # 1500.00 + 1000.00 + 0.01 = 2500.01
    rows = render_text(batch(150000, 100000, 1)).decode("utf-8-sig").split("\r\n")
    assert rows[0] == "PB20250701-01|3|2500.01|4500000000000001|20250701"
    assert rows[1] == f"1|张三|6222020000000001|1500.00|{payment_key('G-1', 1)}|一次性扩岗补助"
    assert rows[3].split("|")[3] == "0.01"
    assert rows[4:] == [""]  # every line ends with CRLF


def test_utf8_text_starts_with_a_bom_and_gbk_text_does_not() -> None:
    assert render_text(batch(150000)).startswith(b"\xef\xbb\xbf")
    gbk = render_text(batch(150000), encoding="gbk")
    assert not gbk.startswith(b"\xef\xbb\xbf") and "张三" in gbk.decode("gbk")


def test_the_excel_file_has_chinese_titles_and_text_cells() -> None:
    data = render_excel(batch(150000, 100000))
    summary = pl.read_excel(io.BytesIO(data), sheet_name="汇总", infer_schema_length=0)
    detail = pl.read_excel(io.BytesIO(data), sheet_name="明细", infer_schema_length=0)
    assert summary.columns == ["批次号", "总笔数", "总金额（元）", "付款账号", "付款日期"]
    assert summary.row(0) == ("PB20250701-01", "2", "2500.00", "4500000000000001", "20250701")
    assert detail.columns == ["序号", "收款人姓名", "收款账号", "金额（元）", "用途", "摘要"]
    assert detail["收款账号"].to_list() == ["6222020000000001", "6222020000000002"]  # not 6.22E+15
    assert detail["金额（元）"].to_list() == ["1500.00", "1000.00"]


def test_a_declared_total_one_fen_off_is_refused() -> None:
    with pytest.raises(BankFileError, match=r"批次声明总金额 2,500\.01元，明细合计 2,500\.00元") as caught:
        render_text(batch(150000, 100000, declared_total=250001))
    assert isinstance(caught.value, JiuyeError) and caught.value.code == "BANK_FILE_INVALID"


def test_a_declared_count_that_differs_from_the_lines_is_refused() -> None:
    assert problems_of(batch(150000, declared_count=2)) == [
        "批次声明 2 笔，明细实有 1 笔；提示：核对批次是否漏笔或多笔"
    ]


def test_excel_export_is_checked_too() -> None:
    with pytest.raises(BankFileError, match="批次声明总金额"):
        render_excel(batch(150000, declared_total=1))


def test_an_amount_of_one_fen_is_paid_and_zero_is_refused_naming_the_line() -> None:
    check_batch(batch(150000, 1))
    assert problems_of(batch(150000, 0)) == ["明细第2笔（序号2）：金额 0.00 元不大于零；提示：零额或负额不得代发"]


def test_a_negative_amount_is_refused() -> None:
    assert any("金额 -1.00 元不大于零" in p for p in problems_of(batch(150000, -100)))


def test_an_empty_name_and_an_empty_account_are_both_reported_at_once() -> None:
    bad = with_line(with_line(batch(150000, 100000, 100), 0, payee_name=" "), 2, account_no="")
    assert problems_of(bad) == [
        "明细第1笔（序号1）：收款人姓名为空；提示：补全收款人姓名",
        "明细第3笔（序号3）：收款账号为空；提示：补全收款账号",
    ]


def test_a_name_with_surrounding_spaces_is_refused() -> None:
    assert any("首尾有空格" in p for p in problems_of(with_line(batch(100), 0, payee_name="张三 ")))


def test_the_same_key_twice_in_a_batch_is_refused() -> None:
    b = batch(150000, 150000)
    assert any("与第1笔重复" in p for p in problems_of(with_line(b, 1, key=b.lines[0].key)))


def test_sequence_numbers_must_run_from_one_in_order() -> None:
    assert any("序号应为 2" in p for p in problems_of(with_line(batch(100, 100), 1, seq=3)))


def test_a_delimiter_or_line_break_inside_a_field_is_refused() -> None:
    assert any("「|」" in p for p in problems_of(with_line(batch(100), 0, payee_name="张|三")))
    assert any("'\\n'" in p for p in problems_of(with_line(batch(100), 0, measure_title="补助\n")))


def test_a_key_not_made_by_payment_key_is_refused() -> None:
    assert any("用途（付款幂等键）「REF-1」格式不正确" in p for p in problems_of(with_line(batch(100), 0, key="REF-1")))


def test_an_account_with_spaces_is_refused() -> None:
    assert any("收款账号含" in p for p in problems_of(with_line(batch(100), 0, account_no="6222 0200")))


def test_a_rare_character_gbk_cannot_encode_is_refused_only_for_gbk() -> None:
    rare = with_line(batch(100), 0, payee_name="王𠮷")
    assert "王𠮷" in render_text(rare).decode("utf-8-sig")
    with pytest.raises(BankFileError, match="GBK 无法表示的字符「𠮷」"):
        render_text(rare, encoding="gbk")


def test_an_empty_batch_is_refused() -> None:
    assert "批次没有任何明细；提示：空批次无需导出" in problems_of(batch())


def test_an_empty_batch_number_and_payer_account_are_refused() -> None:
    b = batch(100)
    b = dataclasses.replace(b, header=dataclasses.replace(b.header, batch_no="", payer_account=""))
    assert problems_of(b)[:2] == ["批次号为空；提示：填写批次号", "付款账号为空；提示：填写财政或基金专户账号"]


@pytest.mark.parametrize("suffix", [".txt", ".xlsx"])
def test_write_batch_picks_the_format_from_the_suffix(tmp_path: Path, suffix: str) -> None:
    path = write_batch(batch(150000), tmp_path / f"PB20250701-01{suffix}")
    assert path.read_bytes().startswith(b"PK" if suffix == ".xlsx" else b"\xef\xbb\xbf")
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_refused_batch_leaves_no_file_behind(tmp_path: Path) -> None:
    with pytest.raises(BankFileError):
        write_batch(batch(0), tmp_path / "PB.txt")
    assert list(tmp_path.iterdir()) == []
