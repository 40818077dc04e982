"""The delivery form of each measure, read from ``forms.yaml`` (one entry per measure, cited)."""

from __future__ import annotations

import functools
import importlib.resources
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import yaml

from jiuye.params.model import Reference

__all__ = ["Delivery", "Form", "all_deliveries", "cash_measures", "delivery_of", "load_deliveries"]


class Form(StrEnum):
    BANK_PAYMENT = "bank_payment"
    TAX_DEDUCTION = "tax_deduction"
    FEE_RELIEF = "fee_relief"
    LOAN_SETTLEMENT = "loan_settlement"
    RECORD = "record"
    NOT_CLAIMABLE = "not_claimable"

    @property
    def label(self) -> str:
        return _LABELS[self][0]

    @property
    def document(self) -> str:
        """What the approval produces for this form (the bank file for a payment)."""
        return _LABELS[self][1]

    @property
    def receiver(self) -> str:
        return _LABELS[self][2]

    @property
    def prefix(self) -> str:
        """Two letters that start a delivery document's number."""
        return _LABELS[self][3]


_LABELS = {
    Form.BANK_PAYMENT: ("银行发放", "银行发放批次", "受益人银行账户", "FF"),
    Form.TAX_DEDUCTION: ("税收扣减", "减免税名单及享受凭证", "税务部门", "JM"),
    Form.FEE_RELIEF: ("社会保险费减免或缓缴", "社会保险费缓缴（降费）决定通知书", "社会保险经办机构", "HJ"),
    Form.LOAN_SETTLEMENT: ("贷款贴息结算", "创业担保（专项）贷款贴息结算清单", "经办银行", "TX"),
    Form.RECORD: ("认定或备案", "认定（备案）记录", "人力资源社会保障部门（存档）", "RD"),
    Form.NOT_CLAIMABLE: ("不可申请", "无", "无", "--"),
}


@dataclass(frozen=True)
class Delivery:
    measure_id: str
    form: Form
    reference: Reference
    assumption: str | None = None
    taxes: str | None = None  # tax_deduction: the taxes the quota is deducted from, in order

    def cites(self) -> str:
        text = f"{self.reference.short()}：“{self.reference.quote}”"
        return f"{text}；假设：{self.assumption}" if self.assumption else text


class _UniqueKeys(yaml.SafeLoader):
    """A mapping that names a key twice is an error, not "the last one wins"."""


def _mapping(loader: _UniqueKeys, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            msg = f"forms.yaml 中 {key} 出现两次：每项政策只能有一种交付方式"
            raise ValueError(msg)
        seen.add(key)
    loader.flatten_mapping(node)
    return dict(loader.construct_pairs(node))


_UniqueKeys.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load_deliveries(text: str) -> dict[str, Delivery]:
    raw = yaml.load(text, Loader=_UniqueKeys)["deliveries"]  # a SafeLoader subclass
    found = {}
    for measure_id, entry in raw.items():
        ref = entry["reference"]
        reference = Reference(str(ref["document"]), str(ref["clause"]), str(ref.get("quote", "")))
        found[measure_id] = Delivery(
            measure_id, Form(entry["form"]), reference, entry.get("assumption"), entry.get("taxes")
        )
    return found


@functools.cache
def all_deliveries() -> dict[str, Delivery]:
    text = importlib.resources.files("jiuye.delivery").joinpath("forms.yaml").read_text("utf-8")
    return load_deliveries(text)


def delivery_of(measure_id: str) -> Delivery:
    try:
        return all_deliveries()[measure_id]
    except KeyError:
        msg = f"政策 {measure_id} 未声明交付方式；提示：在 jiuye/delivery/forms.yaml 中补充"
        raise LookupError(msg) from None


@functools.cache
def cash_measures() -> frozenset[str]:
    """The measures paid through the bank: the only ones that enter payment batches."""
    return frozenset(m for m, d in all_deliveries().items() if d.form is Form.BANK_PAYMENT)
