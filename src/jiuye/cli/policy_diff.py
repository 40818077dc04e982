"""``jiuye policies diff``: what started, ended or changed between two dates, with the clauses."""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:  # the catalog and the engine are imported when the diff runs, not by ``--help``
    from jiuye.policies.diff import MeasureDiff, ParameterChange, Source

__all__ = ["diff_json", "diff_text", "policies_diff"]

SCHEMA_VERSION = 1
KIND_LABELS = {
    "started": "开始施行",
    "ended": "期满结束",
    "added": "新增",
    "changed": "变更",
    "removed": "不再规定",
    "varied": "期间内变动",
    "retroactive": "期间内公布、适用于起始日的事件",
}


class DiffFormat(StrEnum):
    text = "text"
    json = "json"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def diff_json(diffs: list[MeasureDiff], *, start: dt.date, end: dt.date, region: str | None) -> dict[str, Any]:
    """The stable JSON of a policy diff (``--format json``)."""
    from jiuye.regions import region_name

    return {
        "schema_version": SCHEMA_VERSION,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "known_by": end.isoformat(),
        "region": region,
        "region_name": region_name(region) if region else None,
        "measures": [_plain(asdict(d)) for d in diffs],
        "counts": {
            "measures": len(diffs),
            "started": sum(any(e.kind == "started" for e in d.events) for d in diffs),
            "ended": sum(any(e.kind == "ended" for e in d.events) for d in diffs),
            "changed": sum(bool(d.changes) for d in diffs),
        },
    }


def _source_text(source: Source | None) -> list[str]:
    if source is None:
        return []
    lines = []
    if source.citation:  # the 文号 names the document; the JSON also carries its title
        quote = f"：“{source.quote}”" if source.quote else ""
        lines.append(f"依据：{source.citation}{quote}")
    if source.assumption:
        lines.append(f"具名假设：{source.assumption}")
    return lines


def _change_text(c: ParameterChange) -> list[str]:
    from jiuye.dates import cn_date

    before = c.known_then if c.kind == "retroactive" else c.old  # what was known on the earlier date
    lines = [f"· {KIND_LABELS[c.kind]} {c.name}（{c.description}）：{before} → {c.new}"]
    lines += [f"    {x}" for x in _source_text(c.source)]
    # The dated values in between, where they say more than the old → new line above.
    shown = c.steps if len(c.steps) > 1 or c.kind in ("varied", "retroactive") else ()
    for step in shown:
        known = f"，{cn_date(step.published)}公布" if step.published else ""
        lines.append(f"    期间取值：自{cn_date(step.since)}起 {step.value}（{step.source.citation}{known}）")
    if c.governs:
        lines.append(f"    涉及：{'；'.join(c.governs)}")
    return lines


def diff_text(diffs: list[MeasureDiff], *, start: dt.date, end: dt.date, region: str | None) -> str:
    """The diff for people, in Chinese."""
    from jiuye.dates import cn_date
    from jiuye.regions import region_name

    counts = diff_json(diffs, start=start, end=end, region=region)["counts"]
    lines = [
        f"政策变化对照：{cn_date(start)} → {cn_date(end)}（以{cn_date(end)}前公布的文件为准）",
        f"地区：{region} {region_name(region)}" if region else "地区：全部",
        f"共 {counts['measures']} 项措施有变化：开始施行 {counts['started']} 项，期满结束 {counts['ended']} 项，"
        f"参数有变化 {counts['changed']} 项",
    ]
    for d in diffs:
        lines += ["", f"【{d.measure}】{d.title}（适用地区：{d.jurisdiction} {region_name(d.jurisdiction)}）"]
        for e in d.events:
            lines.append(f"  {KIND_LABELS[e.kind]}：{cn_date(e.date)}（参数 {e.parameter}）")
            lines += [f"    {x}" for x in _source_text(e.source)]
        if d.changes:
            lines.append("  参数：")
            lines += [f"  {x}" for c in d.changes for x in _change_text(c)]
    return "\n".join(lines) + "\n"


def _fail(message: str) -> None:
    sys.stderr.write(f"错误：{message}\n")
    raise typer.Exit(2)


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        _fail(f"{option} 日期格式不正确：{text!r}；提示：应为 YYYY-MM-DD，如 2025-12-31")
        raise


def policies_diff(
    start_text: Annotated[str, typer.Option("--from", help="起始日期 YYYY-MM-DD（此日发生的事件适用的规定）")],
    end_text: Annotated[str, typer.Option("--to", help="终止日期 YYYY-MM-DD（按此日已公布的文件）")],
    region: Annotated[str | None, typer.Option("--region", help="只列适用于该地区的措施（GB/T 2260）")] = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", help="text 或 json")] = DiffFormat.text,
    params_file: Annotated[list[Path] | None, typer.Option("--params", help="本地参数文件（可重复）")] = None,
) -> None:
    """政策变化对照：两个日期之间开始施行、期满结束或参数有变化的措施，列出新旧取值与条文出处。"""
    from jiuye.errors import JiuyeError
    from jiuye.params import load_parameters
    from jiuye.policies.diff import policy_diff
    from jiuye.policies.registry import all_measures
    from jiuye.regions import validate_region

    start, end = _date(start_text, "--from"), _date(end_text, "--to")
    try:
        area = validate_region(region) if region else None
        diffs = policy_diff(all_measures(), load_parameters(params_file), start=start, end=end, region=area)
    except JiuyeError as exc:
        _fail(str(exc))
        return
    if fmt is DiffFormat.json:
        data = diff_json(diffs, start=start, end=end, region=area)
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(diff_text(diffs, start=start, end=end, region=area))
