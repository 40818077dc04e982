"""The data dictionary, generated from the facts model (so it cannot drift from the code)."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel

from jiuye.facts import model as m
from jiuye.facts.tables import _base_type

__all__ = ["ENTITIES", "dictionary_markdown", "dictionary_rows", "json_schema"]

ENTITIES: dict[str, type[BaseModel]] = {
    "persons 人员": m.Person,
    "employers 用人单位": m.Employer,
    "employments 招用记录": m.Employment,
    "internships 见习记录": m.Internship,
    "businesses 创业经营主体": m.Business,
    "certificates 证书": m.Certificate,
    "apprenticeships 新型学徒制": m.Apprenticeship,
    "placements 人力资源机构介绍就业": m.Placement,
    "trainings 失业人员培训": m.Training,
    "districts 辖区指标": m.DistrictIndicators,
    "prior_grants 已享受补贴": m.PriorGrant,
}

_TYPE_NAMES = {"date": "日期", "bool": "是/否", "int": "整数", "Decimal": "数值", "str": "文本"}


def _type_name(annotation: Any) -> str:
    base = _base_type(annotation)
    if isinstance(base, type) and issubclass(base, str) and base is not str:
        values = " / ".join(e.value for e in base)  # type: ignore[attr-defined]
        return f"枚举（{values}）"
    name = getattr(base, "__name__", str(base))
    if typing.get_origin(annotation) is None and name == "str":
        return "文本"
    return _TYPE_NAMES.get(name, name)


def dictionary_rows() -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for entity, model in ENTITIES.items():
        rows = []
        for name, info in model.model_fields.items():
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            examples = extra.get("examples")
            example = examples[0] if isinstance(examples, list) and examples else ""
            rows.append(
                {
                    "field": name,
                    "label": info.title or "",
                    "type": _type_name(info.annotation),
                    "unit": str(extra.get("unit", "")),
                    "example": str(example),
                    "note": info.description or "",
                    "required": "必填" if info.is_required() else "",
                }
            )
        out[entity] = rows
    return out


def dictionary_markdown() -> str:
    lines = [
        "# 事实数据字典 / Facts data dictionary",
        "",
        "由 `jiuye facts schema --format markdown` 根据代码生成，请勿手工编辑。",
        "未填写的字段视为“未知”：计算器会答复“待补充事实”并指明所缺字段。",
        "",
        "**申报的状态优先。** 失业登记状态、失业保险参保、重点群体名单（列入与截止日期）、证书是否已取得，"
        "既可直接申报，也可由日期、月数推算；两者不一致时以申报为准，决定的“依据”写明用的是哪一个。"
        "没有起始日期的申报只说明评估日的状态。劳动合同以一个字段 `contract_type` 申报；"
        "旧字段 `labour_contract`、`open_ended_contract` 仍可读取，折算规则见 docs/registry-format.md。",
        "",
    ]
    for entity, rows in dictionary_rows().items():
        lines += [f"## {entity}", "", "| 字段 | 名称 | 类型 | 单位 | 示例 | 说明 |", "|---|---|---|---|---|---|"]
        for r in rows:
            note = "；".join(x for x in (r["required"], r["note"]) if x)
            lines.append(f"| `{r['field']}` | {r['label']} | {r['type']} | {r['unit']} | {r['example']} | {note} |")
        lines.append("")
    return "\n".join(lines)


def json_schema() -> dict[str, Any]:
    return m.Facts.model_json_schema()
