"""Column and key names of job-posting files → posting fields, in the words staff and job boards use.

Names are compared as the registry import compares headers (:func:`jiuye.registry.headers.normalise`:
width, spaces, a leading ``*`` and case ignored) and, in addition, without ``_`` and ``-``, so
``job_name``, ``jobName`` and ``JOB-NAME`` are one name. Columns of no field (benefits, coordinates,
company size…) are ignored and listed in the import result; a file must have a title and an employer.

>>> resolve_columns(["职位", "公司", "薪资", "jobwelf"], "a.csv").fields
{0: 'title', 1: 'employer', 2: 'salary'}
>>> field_of("providesalary_text")
'salary'
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from jiuye.registry.headers import normalise
from jiuye.registry.problems import RowProblem

__all__ = [
    "FIELD_ALIASES",
    "FIELD_LABELS",
    "MULTI_FIELDS",
    "REQUIRED_FIELDS",
    "Columns",
    "field_of",
    "resolve_columns",
]

#: Posting fields an import reads, with the Chinese label used in messages.
FIELD_LABELS: dict[str, str] = {
    "channel_id": "职位编号",
    "title": "职位名称",
    "employer": "用人单位",
    "employer_short": "单位简称",
    "uscc": "统一社会信用代码",
    "employer_type": "单位性质",
    "salary": "薪资",
    "place": "工作地点",
    "city": "城市",
    "district": "区县",
    "region": "行政区划代码",
    "experience": "工作经验",
    "education": "学历",
    "headcount": "招聘人数",
    "description": "职位描述",
    "skills": "技能",
    "attributes": "职位属性",
    "open_on": "发布日期",
    "close_on": "截止日期",
}

#: Every name a field goes by: the English field name, its Chinese label, and the names in use on staff
#: sheets (Chinese) and job boards (51job: job_name, providesalary_text, workarea_text, attribute_text,
#: updatedate; Lagou: positionName, salary, workYear, city + district, companyFullName, skillLables).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "channel_id": ("职位编号", "职位id", "岗位编号", "岗位id", "招聘编号", "编号", "id", "jobid", "positionid", "jdid"),
    "title": (
        "职位",
        "职位名称",
        "职位名",
        "岗位",
        "岗位名称",
        "招聘岗位",
        "招聘职位",
        "工作名称",
        "工种",
        "job_name",
        "jobtitle",
        "title",
        "position",
        "positionname",
    ),
    "employer": (
        "公司",
        "公司名称",
        "公司全称",
        "单位",
        "单位名称",
        "用人单位",
        "招聘单位",
        "企业名称",
        "企业",
        "雇主",
        "company",
        "company_name",
        "companyfullname",
        "employer",
        "employer_name",
    ),
    "employer_short": ("公司简称", "单位简称", "企业简称", "companyshortname"),
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码", "uscc", "creditcode", "employer_uscc"),
    "employer_type": (
        "公司性质",
        "单位性质",
        "企业性质",
        "企业类型",
        "单位类型",
        "公司类型",
        "公司信息",
        "companytype_text",
        "companytype",
        "company_type",
    ),
    "salary": (
        "薪资",
        "月薪",
        "薪酬",
        "工资",
        "薪资待遇",
        "工资待遇",
        "薪资范围",
        "待遇",
        "salary",
        "providesalary_text",
        "pay",
    ),
    "place": (
        "工作地点",
        "工作地区",
        "地区",
        "地点",
        "工作城市",
        "上班地点",
        "workarea_text",
        "workarea",
        "work_area",
        "location",
        "place",
    ),
    "city": ("城市", "所在城市", "市", "city"),
    "district": ("区县", "区", "县区", "所在区县", "district"),
    "region": ("行政区划代码", "区划代码", "地区代码", "region", "region_code"),
    "experience": ("经验", "工作经验", "经验要求", "工作年限", "workyear", "experience", "work_year"),
    "education": ("学历", "学历要求", "最低学历", "education", "degree"),
    "headcount": ("招聘人数", "人数", "招聘数量", "需求人数", "招工人数", "headcount", "recruit_num", "vacancies"),
    "description": (
        "职位描述",
        "岗位描述",
        "岗位信息",
        "职位信息",
        "岗位职责",
        "工作内容",
        "任职要求",
        "职位要求",
        "岗位要求",
        "description",
        "job_description",
        "jd",
        "positiondetail",
    ),
    "skills": ("技能", "技能要求", "技能标签", "职业技能", "skills", "skilllables", "skilllabels", "skill_tags"),
    "attributes": ("职位属性", "attribute_text", "attributes"),
    "open_on": (
        "发布日期",
        "发布时间",
        "更新日期",
        "更新时间",
        "时间",
        "日期",
        "updatedate",
        "update_date",
        "issuedate",
        "publish_date",
        "createtime",
        "open_on",
    ),
    "close_on": ("截止日期", "截止时间", "有效期至", "结束日期", "deadline", "close_on", "expire_date", "enddate"),
}

#: Fields that several columns may fill: their texts are joined (岗位职责 + 任职要求; two tag columns).
MULTI_FIELDS = frozenset({"description", "skills"})
#: A posting needs a job and an employer; every other field may be left blank (not stated).
REQUIRED_FIELDS = ("title", "employer")


def _key(name: str) -> str:
    return normalise(name).replace("_", "").replace("-", "")


@functools.cache
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for field, aliases in FIELD_ALIASES.items():
        for name in (field, FIELD_LABELS[field], *aliases):
            if index.setdefault(_key(name), field) != field:
                msg = f"列名 {name!r} 同时指向 {index[_key(name)]} 与 {field}"
                raise AssertionError(msg)
    return index


def field_of(header: str) -> str | None:
    """The posting field a column or key name stands for, or ``None``."""
    return _index().get(_key(header)) if header.strip() else None


@dataclass(frozen=True, slots=True)
class Columns:
    """How one file's columns map to fields: ``fields`` by column position; ``ignored`` headers."""

    fields: dict[int, str]
    ignored: tuple[str, ...]
    problems: tuple[RowProblem, ...]

    def has(self, field: str) -> bool:
        return field in self.fields.values()


def resolve_columns(headers: Sequence[str], file: str, *, line: int = 1) -> Columns:
    """Map headers to fields. A repeated field (other than :data:`MULTI_FIELDS`) and a missing
    title or employer column are problems of the file (its rows cannot be read reliably)."""
    fields: dict[int, str] = {}
    seen: dict[str, str] = {}
    ignored: list[str] = []
    problems: list[RowProblem] = []
    for position, header in enumerate(headers):
        field = field_of(header)
        if field is None:
            if header.strip():
                ignored.append(header)
            continue
        if field in seen and field not in MULTI_FIELDS:
            message = f"与列“{seen[field]}”都是{FIELD_LABELS[field]}；提示：删除其中一列"
            problems.append(RowProblem(file, line, header, message, field=field))
            continue
        seen.setdefault(field, header)
        fields[position] = field
    for field in REQUIRED_FIELDS:
        if field in seen:
            continue
        if field == "employer" and "employer_short" in seen:
            continue
        names = "、".join(FIELD_ALIASES[field][:6])
        message = f"缺少{FIELD_LABELS[field]}列；提示：列名可写 {names} 等"
        problems.append(RowProblem(file, line, FIELD_LABELS[field], message, field=field))
    return Columns(fields, tuple(ignored), tuple(problems))
