"""Table and column names staff use: the English field name, its Chinese label, or a common alias.

Names are compared after NFKC normalisation (full-width and half-width brackets are the same),
with spaces and a required-field star removed, case-insensitively.

>>> table_of("招用记录")
'employments'
>>> resolve_headers("persons", ["身份证号", "*姓名", "人员编号"], "人员.csv")
['id_number', 'name', 'id']
"""

from __future__ import annotations

import functools
import types
import typing
import unicodedata
from collections.abc import Sequence

from pydantic import BaseModel

from jiuye.facts import model as m
from jiuye.facts.tables import UNITS
from jiuye.registry.problems import RegistryError, RowProblem

__all__ = [
    "COLUMN_ALIASES",
    "REFERENCES",
    "TABLES",
    "TABLE_ALIASES",
    "column_names",
    "normalise",
    "required_fields",
    "resolve_headers",
    "table_label",
    "table_names",
    "table_of",
]


def _tables() -> dict[str, type[BaseModel]]:
    """Every list of entities in a facts document is a registry table, in the document's order."""
    out: dict[str, type[BaseModel]] = {}
    for name, info in m.Facts.model_fields.items():
        if typing.get_origin(info.annotation) is list:
            (item,) = typing.get_args(info.annotation)
            out[name] = item
    return out


#: Registry tables: Facts attribute name → entity model (persons → Person, ...).
TABLES: dict[str, type[BaseModel]] = _tables()

#: (table, field, table it points to): every cross-reference the engine joins on.
REFERENCES: list[tuple[str, str, str]] = [
    (spec.source, fk, parent) for spec in UNITS.values() for fk, parent, _prefix in spec.joins
]

#: Other names staff give a table file (besides the English name and the Chinese title).
TABLE_ALIASES: dict[str, str] = {
    "人员信息": "persons",
    "单位": "employers",
    "单位信息": "employers",
    "企业": "employers",
    "就业记录": "employments",
    "招用": "employments",
    "见习": "internships",
    "创业": "businesses",
    "学徒": "apprenticeships",
    "职业介绍": "placements",
    "培训": "trainings",
}

#: Column aliases valid in every table whose entity has the field.
_COMMON_ALIASES: dict[str, str] = {
    "身份证号": "id_number",
    "身份证号码": "id_number",
    "身份证": "id_number",
    "证件号码": "id_number",
    "手机号": "phone",
    "手机号码": "phone",
    "电话": "phone",
    "联系方式": "phone",
    "统一社会信用代码": "uscc",
    "社会信用代码": "uscc",
    "信用代码": "uscc",
    "行政区划代码": "region",
    "区划代码": "region",
    "地区代码": "region",
}

#: Column aliases of one table: the words on the registers bureaus actually keep.
COLUMN_ALIASES: dict[str, dict[str, str]] = {
    "persons": {
        "人员姓名": "name",
        "毕业日期": "graduation_date",
        "离校日期": "graduation_date",
        "学历": "degree",
        "学位": "degree",
        "就业困难人员": "difficult_person",
        "残疾": "disabled",
        "失业保险缴费月数": "ui_contribution_months",
        "失业登记状态": "registered_unemployed",
        "是否登记失业": "registered_unemployed",
        "登记失业起始日期": "registered_unemployed_since",
        "参保状态": "ui_insured",
        "参保起始日期": "ui_insured_since",
        "就业困难人员认定日期": "difficult_person_since",
        "贷款申请日期": "startup_loan_applied_on",
        "申请贷款金额": "startup_loan_amount",
    },
    "employers": {
        "企业名称": "name",
        "参保人数": "insured_staff",
        "职工人数": "staff",
        "从业人数": "staff",
        "行业代码": "industry",
        "营业收入": "revenue",
        "企业规模": "size",
    },
    "employments": {
        "入职日期": "hire_date",
        "招用日期": "hire_date",
        "录用日期": "hire_date",
        "合同期限": "contract_months",
        "合同期限（月）": "contract_months",
        "合同类型": "contract_type",
        "劳动合同类别": "contract_type",
    },
    "internships": {
        "见习单位编号": "employer",
        "见习基地编号": "employer",
        "开始日期": "start_date",
        "结束日期": "end_date",
        "是否留用": "retained",
    },
    "businesses": {"创业者编号": "founder", "注册日期": "registered_on", "登记日期": "registered_on"},
    "certificates": {
        "证书等级": "level",
        "职业名称": "occupation_name",
        "工种": "occupation_name",
        "是否取得证书": "held",
        "是否已取证": "held",
    },
    "placements": {"机构编号": "agency", "用工单位编号": "employer", "合同类型": "contract_type"},
    "trainings": {"开始日期": "start_date"},
    "districts": {"区县代码": "region", "年份": "year"},
}


def required_fields(table: str) -> list[str]:
    """The columns a table cannot do without: its id and the references the engine joins on.

    Every other fact may be left blank (unknown), as in a facts document.
    """
    model = TABLES[table]
    keys = {"id"} | {fk for t, fk, _ in REFERENCES if t == table}
    return [f for f, info in model.model_fields.items() if f in keys and not _optional(info.annotation)]


def _optional(annotation: object) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in typing.get_args(
        annotation
    )


def normalise(name: str) -> str:
    """Compare names the way a person reads them: width, spaces, a leading ``*`` and case ignored."""
    text = unicodedata.normalize("NFKC", name)
    return "".join(text.split()).strip("*").lower()


def table_label(table: str) -> str:
    """The Chinese name of a table, e.g. 招用记录."""
    return m.Facts.model_fields[table].title or table


@functools.cache
def _table_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for table in TABLES:
        index[normalise(table)] = table
        index[normalise(table_label(table))] = table
    for alias, table in TABLE_ALIASES.items():
        index.setdefault(normalise(alias), table)
    return index


def table_of(stem: str) -> str | None:
    """The table a file stem names (``persons``, ``人员``...), or None."""
    return _table_index().get(normalise(stem))


def table_names(table: str) -> list[str]:
    """Every accepted file stem of a table, English name first."""
    names = [table, table_label(table)]
    return names + [alias for alias, t in TABLE_ALIASES.items() if t == table and alias not in names]


def column_names(table: str) -> dict[str, list[str]]:
    """Every accepted header of each field of a table: name, label, label with unit, aliases."""
    model = TABLES[table]
    names: dict[str, list[str]] = {}
    for field, info in model.model_fields.items():
        title = info.title or field
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        unit = extra.get("unit")
        names[field] = [field, title] + ([f"{title}（{unit}）"] if unit else [])
    for alias, field in [*_COMMON_ALIASES.items(), *COLUMN_ALIASES.get(table, {}).items()]:
        if field in names and alias not in names[field]:
            names[field].append(alias)
    return names


@functools.cache
def _column_index(table: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for field, names in column_names(table).items():
        for name in names:
            key = normalise(name)
            if index.setdefault(key, field) != field:
                msg = f"表 {table} 的列名 {name!r} 同时指向 {index[key]} 与 {field}"
                raise AssertionError(msg)
    return index


def resolve_headers(table: str, headers: Sequence[str | None], file: str, *, line: int = 1) -> list[str]:
    """Map a file's headers to field names; every unknown, blank or repeated header is an error.

    ``line`` is where the headers are (1 in CSV and Excel, 0 = the column names of Parquet).
    """
    index = _column_index(table)
    problems: list[RowProblem] = []
    fields: list[str] = []
    seen: dict[str, str] = {}
    for position, header in enumerate(headers, start=1):
        text = (header or "").strip()
        field = index.get(normalise(text)) if text else None
        if not text:
            problems.append(RowProblem(file, line, f"第{position}列", "表头为空；提示：删除空列或填写列名"))
        elif field is None:
            hint = "运行 jiuye facts schema 或查看 docs/registry-format.md 中本表可用的列名"
            problems.append(RowProblem(file, line, text, f"不是{table_label(table)}表可识别的列名；提示：{hint}"))
        elif field in seen:
            message = f"与列“{seen[field]}”指同一字段 {field}；提示：删除其中一列"
            problems.append(RowProblem(file, line, text, message, field=field))
        else:
            seen[field] = text
        fields.append(field or f"?{position}")
    for field in [f for f in required_fields(table) if f not in seen]:
        label = TABLES[table].model_fields[field].title or field
        problems.append(RowProblem(file, line, label, f"缺少必填列（{field}）；提示：补上这一列", field=field))
    if problems:
        raise RegistryError(problems)
    return fields
