"""Rows of posting files → :class:`~jiuye.jobs.model.Posting`, with every bad row reported by file and line.

Each row's fields are parsed by :mod:`jiuye.jobs.parsing` (salary, experience, education, headcount,
place, dates), the title is coded with a 职业分类大典 (2022) occupation (top-1 of the classifier) and the
posting is tagged with the gjlf2 二 job-development directions (``direction_1`` … ``direction_7``, the
names the policy engine's ``cn.directions`` uses). A row with any field that does not parse is a bad row:
strict mode refuses the whole import and lists every problem; lenient mode keeps the good rows and
reports the bad ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from jiuye.errors import JiuyeError
from jiuye.identifiers import check_uscc
from jiuye.jobs.intake.columns import FIELD_LABELS, resolve_columns
from jiuye.jobs.intake.files import Cell, Table, read_table, table_from_records
from jiuye.jobs.model import Posting
from jiuye.jobs.parsing import (
    AttributeTexts,
    Education,
    Experience,
    FieldParseError,
    Headcount,
    Location,
    Salary,
    locate,
    parse_education,
    parse_experience,
    parse_headcount,
    parse_location,
    parse_posting_date,
    parse_salary,
    split_attributes,
)
from jiuye.jobs.parsing.location import divisions
from jiuye.jobs.skills import canonical_skill, skills_in
from jiuye.registry.problems import RowProblem, problems_report

__all__ = [
    "EMPLOYER_TYPES",
    "ChannelNameError",
    "IntakeProgress",
    "IntakeResult",
    "PostingImportError",
    "TitleClassifier",
    "check_channel",
    "default_title_classifier",
    "import_postings",
    "postings_from_records",
]

_T = TypeVar("_T")

#: Title → 大典 occupation code (top-1), or ``None`` when it cannot say.
TitleClassifier = Callable[[str], str | None]
#: Told ``(rows done, rows known so far, Chinese message)`` while an import works (a progress bar).
IntakeProgress = Callable[[int, int, str], None]
#: Rows between two progress reports (each report may be a database write of the caller's).
PROGRESS_EVERY = 200

#: Employer ownership as boards and staff write it → (private or SME, organ / public institution / SOE),
#: for directions 二(六) and 二(七). Assumption, following the policy engine's reading of 二(六)
#: (``cn.directions``: 民营 = any enterprise that is not state-owned, and 个体工商户): foreign-invested and
#: joint-venture enterprises count as private; a listed company (上市公司) may be either, so it says nothing.
EMPLOYER_TYPES: dict[str, tuple[bool | None, bool | None]] = {
    "民营公司": (True, False),
    "民营企业": (True, False),
    "民营": (True, False),
    "私营企业": (True, False),
    "私营": (True, False),
    "个体工商户": (True, False),
    "个体": (True, False),
    "外资(欧美)": (True, False),
    "外资(非欧美)": (True, False),
    "外资": (True, False),
    "外企代表处": (True, False),
    "合资": (True, False),
    "中外合资": (True, False),
    "国企": (False, True),
    "国有企业": (False, True),
    "央企": (False, True),
    "事业单位": (False, True),
    "政府机关": (False, True),
    "机关": (False, True),
    "国家机关": (False, True),
    "机关事业单位": (False, True),
}
_HASH_FIELDS = (
    "title",
    "employer",
    "employer_short",
    "uscc",
    "salary",
    "place",
    "city",
    "district",
    "region",
    "experience",
    "education",
    "headcount",
    "description",
    "skills",
    "attributes",
    "open_on",
    "close_on",
)
#: Bytes of the content hash that names a posting without a channel id (64 bits: no collision is to be
#: expected among the millions of postings a deployment sees).
_HASH_BYTES = 8
_TIME_OF_DAY = re.compile(r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DAYS_AGO = re.compile(r"^(\d{1,3})天前(?:发布|更新)?$")
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "刚刚": 0, "昨天": 1, "昨日": 1, "前天": 2}
_TAG_SPLIT = re.compile(r"[、,，;；|｜]+|\s{2,}")
_CHANNEL_RE = re.compile(r"^[^\s:#]+$")
#: A close date written without a year is the first such day after opening: parsing with a reference
#: this many days after the open date (the parser takes the latest such day not after the reference).
_CLOSE_HORIZON_DAYS = 365


def default_title_classifier(title: str) -> str | None:
    """Top-1 code of :func:`jiuye.jobs.occupations.classify.classify` (loaded on first use)."""
    from jiuye.jobs.occupations.classify import classify

    found = classify(title, 1)
    return found[0].code if found else None


class PostingImportError(JiuyeError):
    """Strict import refused: the message lists every bad file, header and row."""

    code = "POSTINGS_INVALID"

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems = list(problems)
        files = len({p.file for p in problems})
        rows = len({(p.file, p.line) for p in problems if p.line})
        count = f"共 {rows} 行有误（{len(problems)} 处）" if rows else f"有误（{len(problems)} 处）"
        head = f"招聘信息有误：{files} 个文件{count}，未导入任何数据。"
        hint = "提示：改正后重新导入；或不用严格模式导入，只导入无误的行。"
        super().__init__(f"{head}\n{problems_report(self.problems)}\n{hint}")


@dataclass(frozen=True, slots=True)
class IntakeResult:
    """What an import read: the postings, every problem (by file and line), skipped repeats and notes."""

    channel: str
    postings: tuple[Posting, ...]
    #: Rows read (non-blank records under a header), over all files.
    rows: int
    #: Bad cells, rows, headers and files; a bad row's posting is not in ``postings``.
    problems: tuple[RowProblem, ...] = ()
    #: Rows that repeat an earlier row of the same channel (same channel id, or the same content): skipped.
    duplicates: tuple[RowProblem, ...] = ()
    #: Remarks that did not stop a row: a district coded as its city, columns that were ignored.
    notes: tuple[RowProblem, ...] = ()
    #: Rows of files that could not be read at all (unreadable file, no header, missing columns).
    files_failed: tuple[str, ...] = field(default=())

    @property
    def imported(self) -> int:
        return len(self.postings)

    @property
    def rejected(self) -> int:
        """Rows left out for a problem (files that could not be read count as no rows)."""
        return len({(p.file, p.line) for p in self.problems if p.line and p.file not in self.files_failed})

    def rejected_by_reason(self) -> dict[str, int]:
        """Rejected rows by the field at fault (a row with two bad fields counts under both)."""
        reasons: Counter[str] = Counter()
        for file, _line, label in {(p.file, p.line, _label(p)) for p in self.problems if p.line}:
            if file not in self.files_failed:
                reasons[label] += 1
        return dict(reasons.most_common())

    def summary(self) -> str:
        """Chinese summary: counts, then every problem by file and line."""
        reasons = "、".join(f"{k} {v}" for k, v in self.rejected_by_reason().items())
        head = (
            f"渠道 {self.channel}：读取 {self.rows} 行，导入 {self.imported} 条，"
            f"重复跳过 {len(self.duplicates)} 行，有误 {self.rejected} 行" + (f"（{reasons}）" if reasons else "")
        )
        parts = [head + "。"]
        if self.files_failed:
            parts.append("无法读取的文件：" + "、".join(self.files_failed))
        if self.problems:
            parts.append(problems_report(self.problems))
        return "\n".join(parts)


def _label(problem: RowProblem) -> str:
    return FIELD_LABELS.get(problem.field or "", problem.column)


# --- one row --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    """The cells of one row by field: text (several columns of a multi field joined) or a list."""

    file: str
    line: int
    headers: dict[str, str]  # field → header as written
    cells: dict[str, Cell]
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[RowProblem] = field(default_factory=list)

    def text(self, name: str, joiner: str = "、") -> str | None:
        value = self.cells.get(name)
        if isinstance(value, tuple):
            return joiner.join(value) or None
        return value

    def items(self, name: str) -> list[str]:
        value = self.cells.get(name)
        if value is None:
            return []
        if isinstance(value, tuple):
            return list(value)
        return [t for t in (s.strip() for s in _TAG_SPLIT.split(value)) if t]

    def problem(self, name: str, message: str, raw: str | None = None) -> None:
        header = self.headers.get(name, FIELD_LABELS[name])
        self.problems.append(RowProblem(self.file, self.line, header, message, raw, name))

    def note(self, name: str, message: str) -> None:
        self.notes.append(RowProblem(self.file, self.line, self.headers.get(name, FIELD_LABELS[name]), message))


def _row(table: Table, line: int, cells: tuple[Cell, ...], fields: Mapping[int, str]) -> _Row:
    by_field: dict[str, Cell] = {}
    headers: dict[str, str] = {}
    for position, name in fields.items():
        value = cells[position]
        headers.setdefault(name, table.headers[position])
        if value is None:
            continue
        if name in by_field:  # a multi field filled by two columns (岗位职责 + 任职要求)
            old = by_field[name]
            old_items = old if isinstance(old, tuple) else (old,) if old else ()
            new_items = value if isinstance(value, tuple) else (value,)
            by_field[name] = (*old_items, *new_items)
        else:
            by_field[name] = value
    return _Row(table.name, line, headers, by_field)


def _parse(row: _Row, name: str, raw: str | None, parse: Callable[[str | None], _T]) -> _T | None:
    try:
        return parse(raw)
    except FieldParseError as exc:
        row.problem(name, str(exc), raw)
    except ValueError as exc:  # a value object refused the parsed numbers
        row.problem(name, f"{FIELD_LABELS[name]}不成立：{exc}", raw)
    return None


def _date_text(raw: str | None, reference: dt.date) -> str | None:
    """Board date forms the date parser does not take: a time of day (Excel cells read as
    ``2024-03-01 00:00:00``), 今天/昨天, ``3天前``."""
    if raw is None:
        return None
    text = raw.strip()
    if m := _TIME_OF_DAY.match(text):
        return m.group(1)
    if text in _RELATIVE_DAYS:
        return (reference - dt.timedelta(days=_RELATIVE_DAYS[text])).isoformat()
    if m := _DAYS_AGO.match(text):
        return (reference - dt.timedelta(days=int(m.group(1)))).isoformat()
    return text


def _location(row: _Row, attribute_place: str | None) -> tuple[str | None, str]:
    """(region code, place as written): from a region code, else the place, else city + district,
    else the place of a 51job attribute list."""
    code = row.text("region")
    if code is not None:
        region = divisions().get(code.strip())
        if region is None:
            row.problem("region", "不是行政区划表中的代码；提示：应为6位数字（GB/T 2260），如 450103", code)
            return None, ""
        return region.code, row.text("place") or region.full_name
    place = row.text("place", " ")
    city, district = row.text("city"), row.text("district")
    location: Location | None = None
    if place is not None:
        location = _parse(row, "place", place, parse_location)
    elif city is not None:
        place = f"{city}-{district}" if district else city
        location = _parse(row, "city", city, lambda c: locate(c or "", district))
    elif attribute_place is not None:
        place = attribute_place
        location = _parse(row, "attributes", attribute_place, parse_location)
    if location is not None and location.note:
        row.note("place" if "place" in row.cells else "city", location.note)
    return (location.code if location else None), place or ""


def _employer_facts(raw: str | None) -> tuple[bool | None, bool | None]:
    if raw is None:
        return None, None
    ownership = raw.split("|")[0].strip().replace("（", "(").replace("）", ")")
    return EMPLOYER_TYPES.get(ownership, (None, None))


def _skills(row: _Row, title: str, description: str, other: Sequence[str]) -> tuple[str, ...]:
    """Tags as canonical skills (an unknown tag kept as written), then skills named in the title, the
    description and attribute items of no field (英语熟练)."""
    found: dict[str, None] = {}
    for tag in row.items("skills"):
        known = canonical_skill(tag)
        if known is not None:
            found.setdefault(known, None)
            continue
        inside = skills_in(tag)
        for skill in inside or (tag,):
            found.setdefault(skill, None)
    for skill in skills_in("\n".join([title, description, *other])):
        found.setdefault(skill, None)
    return tuple(found)


def _content_id(channel: str, row: _Row) -> str:
    parts = [channel]
    for name in _HASH_FIELDS:
        value = row.cells.get(name)
        text = "\x1e".join(value) if isinstance(value, tuple) else (value or "")
        parts.append(f"{name}={text}")
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=_HASH_BYTES).hexdigest()
    return f"{channel}#{digest}"


@dataclass(frozen=True, slots=True)
class _Tagger:
    classify: TitleClassifier
    cache: dict[str, str | None]

    def code(self, title: str) -> str | None:
        if title not in self.cache:
            self.cache[title] = self.classify(title)
        return self.cache[title]


def _directions(code: str | None, title: str, employer_type: str | None) -> tuple[str, ...]:
    from jiuye.jobs.occupations.directions import tag_directions

    private, public = _employer_facts(employer_type)
    tags = tag_directions(code, title, private_or_sme=private, public_or_state_owned=public)
    return tuple(f"direction_{t.direction.number}" for t in tags)


@dataclass(frozen=True, slots=True)
class _Requirements:
    experience: Experience | None = None
    education: Education | None = None
    headcount: Headcount | None = None
    #: Items that are none of the three (language requirements such as 英语熟练): read for skills.
    other: tuple[str, ...] = ()


def _try(parse: Callable[[str | None], _T], raw: str | None) -> tuple[_T | None, str | None]:
    try:
        return parse(raw), None
    except (FieldParseError, ValueError) as exc:
        return None, str(exc)


def _requirements(row: _Row, attributes: AttributeTexts | None) -> _Requirements:
    """Experience, education and headcount: each from its own column, else from a 51job attribute list.

    Scrapers that fill these columns by position shift values left when one is missing (51job 2019 has
    ``本科`` under 工作经验 and ``英语熟练`` under 学历). When a value does not parse in its column, the
    row's values are sorted by their form (:func:`split_attributes`, as for an attribute list); if that
    sorting parses, it is used (and noted), otherwise the problems are those of the columns as written.
    """
    names = ("experience", "education", "headcount")
    columns: dict[str, str] = {}
    texts: dict[str, str | None] = {}
    for name in names:
        own = row.text(name)
        listed: str | None = getattr(attributes, name) if attributes is not None else None
        columns[name] = name if own is not None or listed is None else "attributes"
        texts[name] = own if own is not None else listed
    other = attributes.other if attributes is not None else ()
    parsers: dict[str, Callable[[str | None], object]] = {
        "experience": parse_experience,
        "education": parse_education,
        "headcount": parse_headcount,
    }
    parsed = {name: _try(parsers[name], texts[name]) for name in names}
    if any(error for _, error in parsed.values()):
        values = [t for t in texts.values() if t is not None]
        moved = split_attributes(values, location_first=False)
        retried = {name: _try(parsers[name], getattr(moved, name)) for name in names}
        if not any(error for _, error in retried.values()):
            row.note(columns["experience"], "工作经验、学历、招聘人数三列的值错位，已按内容归位：" + "、".join(values))
            parsed, other = retried, (*other, *moved.other)
        else:
            for name, (_, error) in parsed.items():
                if error is not None:
                    row.problem(columns[name], error, texts[name])
    experience, education, headcount = (parsed[name][0] for name in names)
    return _Requirements(
        experience=experience if isinstance(experience, Experience) else None,
        education=education if isinstance(education, Education) else None,
        headcount=headcount if isinstance(headcount, Headcount) else None,
        other=other,
    )


def _posting(row: _Row, channel: str, reference: dt.date, tagger: _Tagger) -> Posting | None:
    title = (row.text("title", " ") or "").strip()
    if not title:
        row.problem("title", "职位名称为空；提示：每行都应写明招聘的职位")
    employer = (row.text("employer", " ") or row.text("employer_short", " ") or "").strip()
    if not employer:
        row.problem("employer", "用人单位为空；提示：写明招聘单位的名称")
    uscc: str | None = None
    if (raw_uscc := row.text("uscc")) is not None:
        try:
            uscc = check_uscc(raw_uscc)
        except ValueError as exc:
            row.problem("uscc", str(exc), raw_uscc)
    attributes = split_attributes(row.items("attributes")) if "attributes" in row.cells else None
    salary: Salary | None = _parse(row, "salary", row.text("salary"), parse_salary)
    requirements = _requirements(row, attributes)
    region, place = _location(row, attributes.location if attributes else None)
    open_on = _parse(
        row, "open_on", _date_text(row.text("open_on"), reference), lambda t: parse_posting_date(t, reference)
    )
    horizon = (open_on or reference) + dt.timedelta(days=_CLOSE_HORIZON_DAYS)
    close_on = _parse(
        row, "close_on", _date_text(row.text("close_on"), reference), lambda t: parse_posting_date(t, horizon)
    )
    if open_on is not None and close_on is not None and close_on < open_on:
        row.problem("close_on", f"截止日期 {close_on} 早于发布日期 {open_on}；提示：核对两个日期", row.text("close_on"))
    if row.problems:
        return None
    description = row.text("description", "\n") or ""
    channel_id = (row.text("channel_id") or "").strip()
    code = tagger.code(title)
    return Posting(
        id=f"{channel}:{channel_id}" if channel_id else _content_id(channel, row),
        title=title,
        employer=employer,
        channel=channel,
        channel_id=channel_id,
        employer_uscc=uscc,
        description=description,
        skills=_skills(row, title, description, requirements.other),
        occupation_code=code,
        directions=_directions(code, title, row.text("employer_type")),
        region=region,
        place=place,
        salary=salary,
        experience=requirements.experience,
        education=requirements.education,
        headcount=requirements.headcount,
        open_on=open_on,
        close_on=close_on,
    )


# --- files and records ----------------------------------------------------------------------------------


class ChannelNameError(JiuyeError, ValueError):
    code = "CHANNEL_INVALID"


def check_channel(channel: str) -> str:
    """The channel's name, stripped, or :class:`ChannelNameError` (checked before any file is read)."""
    name = channel.strip()
    if not _CHANNEL_RE.match(name):
        msg = f"渠道名称 {channel!r} 不可用；提示：写渠道的简称，如 51job、lagou、零工市场，不含空格、冒号和 #"
        raise ChannelNameError(msg)
    return name


def _import(
    tables: Iterable[Table],
    channel: str,
    *,
    strict: bool,
    reference: dt.date | None,
    classify_title: TitleClassifier | None,
    progress: IntakeProgress | None = None,
) -> IntakeResult:
    channel = check_channel(channel)
    report = progress or (lambda _done, _total, _message: None)
    today = reference or dt.date.today()
    tagger = _Tagger(classify_title or default_title_classifier, {})
    kept: dict[str, tuple[Posting, str, int]] = {}
    problems: list[RowProblem] = []
    duplicates: list[RowProblem] = []
    notes: list[RowProblem] = []
    failed: list[str] = []
    rows = 0
    for table in tables:
        problems.extend(table.problems)
        rows += len({p.line for p in table.problems if p.line and p.column == "整行"})
        if not table.headers:
            failed.append(table.name)
            continue
        known = rows + len(table.rows)
        report(rows, known, f"已读取文件 {table.name}（{len(table.rows)} 行），正在逐行解析并编码职业")
        columns = resolve_columns(table.headers, table.name, line=table.header_line)
        if columns.problems:
            problems.extend(columns.problems)
            failed.append(table.name)
            continue
        if columns.ignored:
            ignored = "、".join(columns.ignored)
            notes.append(
                RowProblem(table.name, table.header_line, "表头", f"以下列不属于招聘信息字段，未使用：{ignored}")
            )
        for line, cells in table.rows:
            rows += 1
            if rows % PROGRESS_EVERY == 0:
                report(rows, known, f"正在逐行解析并编码职业：第 {rows:,}/{known:,} 行")
            row = _row(table, line, cells, columns.fields)
            posting = _posting(row, channel, today, tagger)
            problems.extend(row.problems)
            notes.extend(row.notes)
            if posting is None:
                continue
            earlier = kept.get(posting.id)
            if earlier is None:
                kept[posting.id] = (posting, table.name, line)
            elif earlier[0] == posting:
                duplicates.append(RowProblem(table.name, line, "整行", f"与 {earlier[1]} 第{earlier[2]}行相同，已跳过"))
            else:
                message = f"职位编号与 {earlier[1]} 第{earlier[2]}行相同，但内容不同；提示：同一渠道的职位编号应唯一"
                problems.append(
                    RowProblem(
                        table.name,
                        line,
                        row.headers.get("channel_id", "职位编号"),
                        message,
                        posting.channel_id,
                        "channel_id",
                    )
                )
    if strict and problems:
        raise PostingImportError(problems)
    return IntakeResult(
        channel=channel,
        postings=tuple(p for p, _, _ in kept.values()),
        rows=rows,
        problems=tuple(problems),
        duplicates=tuple(duplicates),
        notes=tuple(notes),
        files_failed=tuple(failed),
    )


def import_postings(
    paths: str | Path | Iterable[str | Path],
    channel: str,
    *,
    strict: bool = False,
    reference: dt.date | None = None,
    classify_title: TitleClassifier | None = None,
    progress: IntakeProgress | None = None,
) -> IntakeResult:
    """Import posting files (Excel, CSV, JSON, JSON Lines) of one channel.

    ``channel`` names where the files come from (``51job``, ``零工市场``, ``单位自报``): it prefixes every
    posting id (``51job:123456``, or ``51job#<content hash>`` when the file has no id column).
    ``strict``: any problem refuses the whole import (:class:`PostingImportError` lists them all);
    otherwise the good rows are imported and the result lists the bad ones. ``reference`` is the day
    dates without a year are read against (today by default; a scrape's own date for old files).
    ``classify_title`` replaces the 大典 classifier (a callable title → code). ``progress``, if
    given, is told how far the import is after each file is read and every few hundred rows.
    """
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    tables = (read_table(Path(p)) for p in items)
    return _import(
        tables, channel, strict=strict, reference=reference, classify_title=classify_title, progress=progress
    )


def postings_from_records(
    records: Iterable[Mapping[str, object]],
    channel: str,
    *,
    source: str = "上传数据",
    strict: bool = False,
    reference: dt.date | None = None,
    classify_title: TitleClassifier | None = None,
) -> IntakeResult:
    """Import postings given as objects (an HTTP upload, a board's API answer): keys are column names
    as in a file, the record number is the line, ``source`` names them in messages."""
    table = table_from_records(source, list(enumerate(records, start=1)))
    return _import([table], channel, strict=strict, reference=reference, classify_title=classify_title)
