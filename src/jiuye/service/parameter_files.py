"""Local parameter files: a bureau's dated settings (the format ``jiuye eval --params`` takes),
checked entry by entry, stored with who, when and a checksum, audited, and applied by the engine.

A file only adds dated values to parameters the catalog already has: an unknown name, a unit
other than the parameter's, a value of the wrong type, or a value with neither a citation
(``reference`` with document and clause) nor a note (``assumption``) refuses the whole file, each
problem named by its parameter and date, and nothing is stored. Values take effect from their
own dates (the event axis of docs/time.md); files apply in upload order, so a later file's value
from the same date replaces an earlier one. Stored files are never edited: a correction is a new
file.

Who: the parameters apply to every region the service serves, so only an administrator of a
province-level region (or the whole country) may upload. Named assumption: a local access policy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.errors import ParameterError
from jiuye.params import ParameterSet
from jiuye.params.loader import merge_files, parse_file
from jiuye.params.model import display_value
from jiuye.service.audit import record
from jiuye.service.auth import Caller
from jiuye.service.errors import ConflictError, ForbiddenError, InputError
from jiuye.service.models import LocalParameterFile

__all__ = [
    "MAX_BYTES",
    "ParameterFileError",
    "SetValue",
    "check_file",
    "count_files",
    "list_files",
    "stored_parameters",
    "upload_file",
]

MAX_BYTES = 256 * 1024  # a parameter file is a page of YAML; anything larger is not one
_INTEGER_UNITS = frozenset({"months", "years", "persons", "days", "age", "count"})


class ParameterFileError(InputError):
    """A refused file: every problem, one line each (parameter, date, what is wrong)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("参数文件未通过校验，未保存：" + "；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class SetValue:
    """One dated value a file sets, as shown in the list of files."""

    name: str
    description: str
    since: str  # ISO date: the first event date it governs
    value: str  # as the documents write it (1,500.00元, 60%, 2026年12月31日)
    cites: str  # the citation and/or the note


def _type_problem(value: Any, unit: str) -> str | None:
    """Why ``value`` is not a value of ``unit``; None when it is."""
    if value is None:
        return "取值为空；提示：本地参数文件只设定取值，不能清除"
    if unit in ("CNY", "ratio"):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return f"取值 {value!r} 不是数字"
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return f"取值 {value!r} 不是数字"
        if not number.is_finite() or number < 0:
            return f"取值 {value!r} 应为非负数"
        if unit == "ratio" and number > 1:
            return f"比例 {value!r} 应写成小数（如 60% 写 0.6）"
        return None
    if unit == "date":
        return None if isinstance(value, dt.date) else f"取值 {value!r} 不是日期（YYYY-MM-DD）"
    if unit in _INTEGER_UNITS:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return None if ok else f"取值 {value!r} 应为非负整数"
    if unit == "bool":
        return None if isinstance(value, bool) else f"取值 {value!r} 应为 true 或 false"
    if unit == "list":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return None if ok else f"取值 {value!r} 应为文字列表"
    if unit == "region":
        ok = isinstance(value, str) and len(value) == 6 and value.isdigit()
        return None if ok else f'取值 {value!r} 应为加引号的6位行政区划代码（如 "450103"）'
    return None if isinstance(value, str) else f"取值 {value!r} 应为文字"


def _entry_problems(raw: Any, unit: str) -> list[str]:
    if not isinstance(raw, dict) or "value" not in raw:
        return ["每个取值须写成 {value: ..., reference: {...}} 或附 assumption"]
    problems = []
    if (why := _type_problem(raw["value"], unit)) is not None:
        problems.append(why)
    ref = raw.get("reference")
    if ref is not None and not (isinstance(ref, dict) and ref.get("document") and ref.get("clause")):
        problems.append("出处（reference）须写明 document（文件）和 clause（条款）")
    if not ref and not (isinstance(raw.get("assumption"), str) and raw["assumption"].strip()):
        problems.append("缺少出处（reference：文件与条款）或说明（assumption）；每个取值都须注明依据")
    published = raw.get("published")
    if published is not None and not isinstance(published, dt.date):
        problems.append(f"发布日期 {published!r} 应写作 YYYY-MM-DD")
    return problems


def _parameter_problems(name: str, spec: Any, base: ParameterSet) -> tuple[list[str], list[SetValue]]:
    if name not in base:
        return [f"{name}：未定义的参数；提示：参数名见政策目录或 jiuye policies show"], []
    param = base[name]
    if not isinstance(spec, dict):
        return [f"{name}：应写明 description、unit 与 values"], []
    problems: list[str] = []
    if spec.get("unit") != param.unit:
        problems.append(f"{name}：单位应为 {param.unit!r}，文件写的是 {spec.get('unit')!r}")
    if not spec.get("description"):
        problems.append(f"{name}：缺少 description（说明）")
    values = spec.get("values")
    if not isinstance(values, dict) or not values:
        return [*problems, f"{name}：没有任何取值（values）"], []
    found: list[SetValue] = []
    for since, raws in values.items():
        for raw in raws if isinstance(raws, list) else [raws]:
            if not isinstance(since, dt.date):
                problems.append(f"{name}@{since}：生效日期应写作 YYYY-MM-DD")
                continue
            entry = [f"{name}@{since.isoformat()}：{why}" for why in _entry_problems(raw, param.unit)]
            problems += entry
            if not entry:
                found.append(_set_value(param.description, name, since, raw, param.unit))
    return problems, found


def _set_value(description: str, name: str, since: dt.date, raw: dict[str, Any], unit: str) -> SetValue:
    ref = raw.get("reference") or {}
    cites = "；".join(
        part
        for part in (f"{ref.get('document', '')}{ref.get('clause', '')}" if ref else "", raw.get("assumption") or "")
        if part
    )
    shown = display_value(Decimal(str(raw["value"])) if unit in ("CNY", "ratio") else raw["value"], unit)
    return SetValue(name, description, since.isoformat(), shown, cites)


def check_file(text: str, base: ParameterSet, origin: str = "本地参数文件") -> list[SetValue]:
    """The values ``text`` sets, or :class:`ParameterFileError` naming every problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark is not None else ""
        raise ParameterFileError([f"文件不是有效的 YAML{where}；提示：与 jiuye eval --params 所用格式相同"]) from None
    if not isinstance(data, dict) or not isinstance(data.get("namespace"), str) or not data["namespace"]:
        raise ParameterFileError(["缺少 namespace（参数名前缀，如 xxq.intern）"])
    parameters = data.get("parameters")
    if not isinstance(parameters, dict) or not parameters:
        raise ParameterFileError(["缺少 parameters，或其中没有任何参数"])
    problems: list[str] = []
    found: list[SetValue] = []
    for key, spec in parameters.items():
        more, values = _parameter_problems(f"{data['namespace']}.{key}", spec, base)
        problems += more
        found += values
    if not problems:
        try:  # the loader's own checks too: what is stored is exactly what the engine will load
            merge_files(base, [(origin, text)])
            parse_file(text, origin)
        except ParameterError as exc:
            problems.append(str(exc))
    if problems:
        raise ParameterFileError(problems)
    return found


def _may_upload(caller: Caller) -> None:
    if caller.role != "admin":
        msg = "只有管理员可以上传地方参数文件"
        raise ForbiddenError(msg)
    if not caller.region.endswith("0000"):
        msg = "地方参数对本服务的全部地区生效，只有省级（或全国）管理员可以上传；提示：请省级管理员操作"
        raise ForbiddenError(msg)


def upload_file(
    session: Session, caller: Caller, base: ParameterSet, *, filename: str, content: bytes
) -> LocalParameterFile:
    """Check and store one file in the caller's transaction, audited; the engine picks it up
    after the commit (:func:`stored_parameters`)."""
    _may_upload(caller)
    if len(content) > MAX_BYTES:
        raise ParameterFileError([f"文件超过 {MAX_BYTES // 1024} KB，不是参数文件"])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ParameterFileError(["文件不是 UTF-8 编码的文本；提示：另存为 UTF-8"]) from None
    name = (filename or "本地参数.params.yaml").replace("\\", "/").rsplit("/", 1)[-1][:200]
    values = check_file(text, base, name)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if (seen := session.scalar(select(LocalParameterFile).where(LocalParameterFile.sha256 == digest))) is not None:
        msg = f"同样内容的文件已于第 {seen.id} 号上传（{seen.filename}），无需重复上传"
        raise ConflictError(msg)
    summary = json.dumps([v.__dict__ for v in values], ensure_ascii=False)
    stored = LocalParameterFile(
        filename=name, text=text, sha256=digest, effective_from=dt.date.fromisoformat(min(v.since for v in values)),
        summary=summary, uploaded_by=caller.user_id,
    )  # fmt: skip
    session.add(stored)
    session.flush()
    detail = {"filename": name, "sha256": digest, "values": [f"{v.name}@{v.since}={v.value}" for v in values]}
    record(session, actor=caller.username, action="parameters.upload", entity="parameter_file", entity_id=stored.id,
           detail=detail)  # fmt: skip
    return stored


def stored_parameters(session: Session, base: ParameterSet) -> ParameterSet:
    """``base`` with every stored file applied, in upload order: what the service's engine uses."""
    rows = session.execute(select(LocalParameterFile.id, LocalParameterFile.filename, LocalParameterFile.text)
                           .order_by(LocalParameterFile.id)).all()  # fmt: skip
    return merge_files(base, [(f"本地参数文件第{i}号 {name}", text) for i, name, text in rows])


def list_files(session: Session, *, limit: int, offset: int) -> list[tuple[LocalParameterFile, list[SetValue]]]:
    """Newest first, each with the values it sets."""
    query = select(LocalParameterFile).order_by(LocalParameterFile.id.desc()).limit(limit).offset(offset)
    return [(f, [SetValue(**v) for v in json.loads(f.summary)]) for f in session.scalars(query)]


def count_files(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(LocalParameterFile)) or 0)
