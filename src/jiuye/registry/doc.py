"""docs/registry-format.md, generated from the code that reads registries (so the two cannot drift).

Regenerate with ``.venv/bin/python -m jiuye.registry.doc > docs/registry-format.md``.
"""

from __future__ import annotations

import sys

import polars as pl
from pydantic import BaseModel

from jiuye.facts.enums import LABELS
from jiuye.facts.tables import registry_schema
from jiuye.registry.columns import BOOLEAN_WORDS, ENUM_WORDS, field_rules
from jiuye.registry.headers import REFERENCES, TABLES, column_names, required_fields, table_names

__all__ = ["registry_format_markdown"]

_INTRO = """\
# 台账格式 / Registry format

由 `.venv/bin/python -m jiuye.registry.doc > docs/registry-format.md` 根据读取台账的代码生成，请勿手工编辑。
检查台账：`jiuye registry check 目录 [--skip-bad]`；程序中：`jiuye.registry.io.read_registry(目录, skip_bad=...)`。

## 目录与文件

- 一个台账目录，每张表一个文件，文件名为表的英文名或中文名（见下文各表），如 `persons.csv`、`人员.xlsx`、
  `employments.parquet`、`招用记录.csv`；大表也可以是一个同名文件夹，内放多个 `.parquet` 分片（如 `persons/`）。
  没有的表可以不放；以 `.` 或 `~$` 开头的文件（隐藏文件、Excel 临时文件）和其他扩展名的文件不读取。
- **CSV**：逗号分隔（第1行不含逗号而含制表符时按制表符分隔），编码为 UTF-8（带或不带 BOM）或 GBK/GB18030：
  先按 UTF-8 读取，不成再按 GB18030（GBK 的超集）。大文件流式读取，不整体载入内存。
- **Excel**（`.xlsx`）：读取第一个工作表，第1行为列名。单元格可以是文本、数字或日期。
  身份证号码请设为文本格式，否则 Excel 会把末位改成 0，校验码必然不符。
- **Parquet**：列类型可以就是下文的标准类型（`jiuye synth` 写出的即是），也可以是文本，按同样规则解析；
  Parquet 由程序写出，其中的文本按原样读取（不去除首尾空格，不转大写）。CSV 和 Excel 的单元格去除首尾空格，
  身份证号码、统一社会信用代码、行业代码中的字母转为大写。
- 列名可用字段英文名、中文名称、“中文名称（单位）”或下表所列的常用别名；比较时不分全角半角、忽略空格、
  忽略必填标记 `*`、不分大小写。未知列名、重复的列、缺少必填列、未知的文件名都是错误，须改正后才能导入。

## 行号

问题按“文件 + 行号 + 列名”报告，行号即用户在文件中看到的行：CSV 和 Excel 的第1行是列名，第一条记录是第2行；
Parquet 的第一条记录为第1行。空行（所有单元格为空）不是记录，跳过但计入行号。
CSV 的某个单元格内含换行时，其后各行的行号按记录计，会比文本编辑器中的行号小。

## 取值

| 类型 | 可写作 |
|---|---|
| 日期 | `2025-03-01`、`2025/3/1`、`2025年3月1日`、`20250301`；Excel 日期单元格；时间部分须为 00:00:00 |
| 是/否 | {booleans}（英文也可全大写或首字母大写）|
| 整数 | `24`、`1,200`；Excel 中的 `24.0` 亦可 |
| 金额（元） | 精确小数，如 `1200000.00`、`1,200,000`；不经浮点；小数位数超过规定是错误，不四舍五入 |
| 比例 | `0.031` 或 `3.1%` |
{enum_row}
| 空白 | 空单元格即“未知”（计算器答复“待补充事实”），不是“否”；只有编号和关联编号（下表“必填”）不能空 |

## 校验

全部校验按列向量化执行（Polars），不会在第一处错误就停止：

1. 单元格：类型与格式；必填项；人数、月数、金额不能为负；比例不大于1；小数位数；枚举取值；
   公民身份号码的格式、校验码（GB 11643-1999）和出生日期（地址码未知不算错误：旧县级代码的号码仍然有效）；
   统一社会信用代码的校验码（GB 32100-2015）；行政区划代码为6位、省级代码存在，广西境内的代码须为现行代码；
   国民经济行业分类代码格式（GB/T 4754-2017）。
2. 记录：出生日期、性别须与身份号码一致（未填时取自身份号码）；离职日期不早于招用日期；
   申报未处于失业登记（未参保）状态的不填起始日期；名单截止日期不早于列入日期；申报未取得的证书不填发证日期；
   劳动合同类型与旧字段（签订劳动合同、无固定期限劳动合同）不矛盾，无固定期限或未签订的不填合同期限。
3. 编号：人员、用人单位、创业经营主体的编号在表内唯一（重复的每一行都报告）。
4. 关联：{references}，须恰好对应一条无误的记录；所指记录有误被跳过时，本行也一并报告和跳过。

不加 `--skip-bad` 时，只要有一处错误就不导入任何数据，错误信息按文件、行号列出每一处；加 `--skip-bad`
时只导入无误的行，并报告跳过了哪些行。错误信息中的身份证号码和电话号码一律脱敏（如 `4501**********1234`）。

## 申报的状态与劳动合同类型

- 人员表可直接登记状态：目前处于失业登记状态及其起始日期、依法参加失业保险及其起始日期、各重点群体名单
  （就业困难人员、脱贫劳动力、防止返贫监测对象、零就业家庭成员、低保家庭成员、残疾人）的列入日期与截止日期、
  个人创业担保贷款的申请日期与金额；证书表可登记“已取得证书”（否 = 尚在培训）。
- 申报的状态优先于由日期、月数推算的结论；决定的“依据”写明用的是哪一个（如“失业登记状态：已申报（2025年3月1日起）”
  或“失业登记状态：由登记日期推算”）。没有起始日期的申报只说明评估日的状态。
- 劳动合同以一列“劳动合同类型”登记（固定期限另填合同期限）。旧台账的“签订劳动合同”“无固定期限劳动合同”两列
  仍可读取，按以下顺序折算为类型：填了类型的以类型为准；无固定期限为“是”→ 无固定期限；签订劳动合同为“否”→
  未签订；只填合同期限 → 固定期限。

## 各表
"""

_ENUM_ROW = (
    "| 枚举 | 英文取值（也可全大写或首字母大写）、中文名称（带括号的名称取括号前或括号内的部分亦可），"
    "或下列常用说法：{enum_words} |"
)
_TYPES = {"Date": "日期", "Boolean": "是/否", "Int64": "整数", "String": "文本"}


def _type_name(model: type[BaseModel], field: str, dtype: pl.DataType) -> str:
    info = model.model_fields[field]
    rules = field_rules(info.annotation)
    if rules.enum is not None:
        return "枚举：" + "、".join(f"`{m.value}` {LABELS.get(m.value, '')}".strip() for m in rules.enum)
    if isinstance(dtype, pl.Decimal):
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        unit = extra.get("unit", "")
        return {2: f"金额（{unit}，2位小数）", 4: "金额（万元，4位小数）", 6: "比例（6位小数）"}[dtype.scale or 0]
    return _TYPES.get(str(dtype), str(dtype))


def registry_format_markdown() -> str:
    labels = {t: table_names(t)[1] for t in TABLES}
    references = "；".join(
        f"{labels[table]}.`{fk}` → {labels[parent]}" for table, fk, parent in REFERENCES if table in TABLES
    )
    booleans = " / ".join(f"`{w}`" for w in BOOLEAN_WORDS)
    enum_words = "、".join(f"{w}（`{v}`）" for w, v in ENUM_WORDS.items())
    enum_row = _ENUM_ROW.format(enum_words=enum_words)
    lines = [_INTRO.format(booleans=booleans, enum_row=enum_row, references=references)]
    for table, model in TABLES.items():
        schema = registry_schema(model)
        names = "、".join(f"`{n}`" for n in table_names(table))
        lines += [f"### {table} {labels[table]}", "", f"文件名：{names}（扩展名 `.csv`、`.xlsx` 或 `.parquet`）", ""]
        lines += ["| 字段 | 列名 | 其他可用列名 | 类型 | 必填 |", "|---|---|---|---|---|"]
        for field, accepted in column_names(table).items():
            others = "、".join(accepted[2:])
            required = "必填" if field in required_fields(table) else ""
            kind = _type_name(model, field, schema[field])
            lines.append(f"| `{field}` | {accepted[1]} | {others} | {kind} | {required} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(registry_format_markdown())
