"""Benchmark: job-posting field parsers on real scraped postings (issue 5, item 7: ≥ 98% exact per field).

Run: .venv/bin/python benchmarks/job_parsing.py [--jobdata PATH] [--samples 5]

Reads three scraped files from ../shared/jobdata (relative to the repository root; never copied into it):
51job 2021 (11yui22), 51job 2019 (cugwhzenith) and Lagou 2019 (jlk1993). For every field it prints rows,
rows with a value, parsed, failed (with sample raw values), exact matches and the median parse time per
value. **Exact** is a round trip that can fail: the parsed value is rendered back in the board's own
wording and compared with the original after normalising width, case and whitespace, so a wrong number,
unit, period, level or place shows as a mismatch. The renderers are written here from the boards'
conventions, except for 51job salary and place text, whose wording is the parsers' display format
(``format_salary``, ``format_location``). Two region rates: ``region`` — the code is at the finest
GB/T 2260 level the text names (a development zone, new area or town, or a place in a city without
districts such as 东莞, rightly gets the city's code; a county-level district the table lacks does not
count); ``region-strict`` — every written district got a district code. Where a row holds the same fact
twice, the two parses are checked for agreement.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import datetime as dt
import functools
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from jiuye.jobs.parsing import (
    Education,
    EducationLevel,
    Experience,
    FieldParseError,
    Headcount,
    Location,
    Salary,
    format_location,
    format_salary,
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
from jiuye.jobs.parsing.text import normalize
from jiuye.regions import contains

ROOT = Path(__file__).resolve().parents[1]
JOBDATA = ROOT.parent / "shared" / "jobdata"
FILES = {
    "51job-2021": "scraped-51job-11yui22/job.csv",
    "51job-2019": "scraped-51job-cugwhzenith/51job.csv",
    "lagou-2019": "scraped-lagou-jlk1993/lagou.csv",
}
#: The scrapes carry dates without a year (51job 2021: "10-14"); the README dates that file ≈ 2021-10.
REFERENCE_DATES = {"51job-2021": dt.date(2021, 10, 31), "51job-2019": dt.date(2019, 9, 30)}
FIELDS = ("salary", "experience", "education", "headcount", "location", "region", "region-strict", "date")
TARGET = Decimal("0.98")


# --- the boards' own wording, written from the data's conventions (independent of the parsers' display) ---


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


def lagou_salary(s: Salary) -> str:
    if s.negotiable or s.low is None or s.high is None:
        return format_salary(s)
    return f"{_num(s.low / 1000)}k-{_num(s.high / 1000)}k"


def job51_experience(e: Experience, *, work: bool) -> str:
    """51job 2021 writes ``3-4年经验``/``无需经验``; the 2019 pages ``3-4年工作经验``/``无工作经验``."""
    word = "工作经验" if work else "经验"
    lo, hi = e.min_years, e.max_years
    if e.for_fresh_graduates:
        return "在校生/应届生"
    if lo == 0 and hi is None:
        return "无工作经验" if work else "无需经验"
    if hi is None:
        return f"{lo}年以上{word}"
    return f"{lo}年{word}" if lo == hi else f"{lo}-{hi}年{word}"


def lagou_experience(e: Experience) -> str:
    lo, hi = e.min_years, e.max_years
    if e.for_fresh_graduates:
        return "应届毕业生"
    if hi is None:
        return "不限" if lo == 0 else f"{lo}年以上"
    if lo == 0:
        return f"{hi}年以下"
    return f"{lo}-{hi}年"


def board_education(e: Education) -> str:
    if e.level is EducationLevel.ANY:
        return "不限"
    return e.term + ("及以上" if e.or_above else "")


def job51_headcount(h: Headcount, *, prefix: str) -> str:
    return f"{prefix}{'若干' if h.count is None else h.count}人"


def lagou_location(loc: Location) -> str:
    city = loc.city.short_name if loc.city else ""
    district = loc.written_district or (loc.district.name if loc.district else loc.unresolved_district)
    return f"{city}-{district}" if district else city


#: Names of areas that are not county-level divisions by their form: development zones, functional new areas,
#: towns and subdistricts. Their finest GB/T 2260 code is the city's. (A name-form heuristic, for this report.)
NOT_A_DIVISION = re.compile(r"(?:开发区|经开区|高新区|园区|新区|镇|乡|街道)$")


def region_strict(loc: Location) -> bool:
    """Every written district resolved to a district code."""
    return loc.city is not None and loc.district_resolved


def region_exact(loc: Location) -> bool:
    """The code is at the finest GB/T 2260 level the text names: a written district is found, or it is no
    county-level division (a zone or town by its name, or any place in a city that has no districts,
    such as 东莞 and 中山) and the city's code is the right answer."""
    if loc.city is None:
        return False
    if loc.district_resolved:
        return True
    written = loc.unresolved_district or ""
    return bool(NOT_A_DIVISION.search(written)) or not has_districts(loc.city.code)


@functools.cache
def has_districts(code: str) -> bool:
    prefix = code[:4] if code.endswith("00") and not code.endswith("0000") else code[:2]
    return any(other.startswith(prefix) and not other.endswith("00") and other != code for other in divisions())


# --- measuring ---


@dataclass
class Stat:
    rows: int = 0
    with_value: int = 0
    parsed: int = 0
    exact: int = 0
    failures: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    nanos: list[int] = field(default_factory=list)

    def add(self, other: Stat) -> None:
        self.rows += other.rows
        self.with_value += other.with_value
        self.parsed += other.parsed
        self.exact += other.exact
        self.failures += other.failures
        self.mismatches += other.mismatches
        self.nanos += other.nanos


def measure(
    values: Iterable[Any],
    parse: Callable[[Any], Any],
    render: Callable[[Any, Any], bool],
) -> Stat:
    """Parse every value (``None`` = not stated), time it, and count round-trip matches."""
    stat = Stat()
    for raw in values:
        stat.rows += 1
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        stat.with_value += 1
        t0 = time.perf_counter_ns()
        try:
            value = parse(raw)
        except FieldParseError:
            stat.nanos.append(time.perf_counter_ns() - t0)
            stat.failures.append(str(raw))
            continue
        stat.nanos.append(time.perf_counter_ns() - t0)
        stat.parsed += 1
        if render(raw, value):
            stat.exact += 1
        else:
            stat.mismatches.append(str(raw))
    return stat


def matches(render: Callable[[Any], str]) -> Callable[[Any, Any], bool]:
    return lambda raw, value: normalize(render(value)) == normalize(str(raw))


def first(cell: str | None) -> str | None:
    """The one value of a python-list cell (``['1-1.5万/月']``); ``None`` for ``[]`` or empty."""
    items = ast.literal_eval(cell) if cell else []
    return items[0] if items else None


def items(cell: str | None) -> list[str]:
    return list(ast.literal_eval(cell)) if cell else []


def run_51job_2021(df: pl.DataFrame) -> tuple[dict[str, Stat], list[str]]:
    attrs = [items(c) for c in df["attribute_text"].to_list()]
    split = [split_attributes(a) for a in attrs]
    ref = REFERENCE_DATES["51job-2021"]
    stats = {
        "salary": measure(df["providesalary_text"].to_list(), parse_salary, matches(format_salary)),
        "experience": measure(
            [a.experience for a in split], parse_experience, matches(lambda e: job51_experience(e, work=False))
        ),
        "education": measure([a.education for a in split], parse_education, matches(board_education)),
        "headcount": measure(
            [a.headcount for a in split], parse_headcount, matches(lambda h: job51_headcount(h, prefix="招"))
        ),
        "location": measure(df["workarea_text"].to_list(), parse_location, matches(format_location)),
        "region": measure(df["workarea_text"].to_list(), parse_location, lambda _raw, loc: region_exact(loc)),
        "region-strict": measure(df["workarea_text"].to_list(), parse_location, lambda _r, loc: region_strict(loc)),
        "date": measure(
            df["updatedate"].to_list(),
            lambda t: parse_posting_date(t, ref),
            matches(lambda d: f"{d.month:02d}-{d.day:02d}"),
        ),
    }
    # The same fact twice: the list's first item (city) and workarea_text.
    agree = total = 0
    for area, a in zip(df["workarea_text"].to_list(), split, strict=True):
        if area and a.location:
            total += 1
            with contextlib.suppress(FieldParseError):
                agree += parse_location(area) == parse_location(a.location)
    other = sum(len(a.other) for a in split)
    notes = [
        f"51job-2021：attribute_text 城市与 workarea_text 解析一致 {agree}/{total}",
        f"51job-2021：attribute_text 中非本文字段（语言要求等）{other} 项",
    ]
    return stats, notes


def run_51job_2019(df: pl.DataFrame) -> tuple[dict[str, Stat], list[str]]:
    # The scraper filled the columns by position, so when a posting leaves experience open its education
    # lands in 工作经验 and a language requirement in 学历: sort the three columns' items by form again.
    columns = ["工作经验", "学历", "人数"]
    cells = [[items(c) for c in df[col].to_list()] for col in columns]
    split = [split_attributes([*e, *d, *n], location_first=False) for e, d, n in zip(*cells, strict=True)]
    moved = sum(bool(e) and a.experience not in e for a, e in zip(split, cells[0], strict=True))
    ref = REFERENCE_DATES["51job-2019"]
    dates = [first(c) for c in df["时间"].to_list()]
    areas = [first(c) for c in df["地区"].to_list()]
    stats = {
        "salary": measure([first(c) for c in df["薪资"].to_list()], parse_salary, matches(format_salary)),
        "experience": measure(
            [a.experience for a in split], parse_experience, matches(lambda e: job51_experience(e, work=True))
        ),
        "education": measure([a.education for a in split], parse_education, matches(board_education)),
        "headcount": measure(
            [a.headcount for a in split], parse_headcount, matches(lambda h: job51_headcount(h, prefix=""))
        ),
        "location": measure(areas, parse_location, matches(format_location)),
        "region": measure(areas, parse_location, lambda _raw, loc: region_exact(loc)),
        "region-strict": measure(areas, parse_location, lambda _raw, loc: region_strict(loc)),
        "date": measure(dates, lambda t: parse_posting_date(t, ref), matches(lambda d: d.isoformat())),
    }
    other = sum(len(a.other) for a in split)
    notes = [
        f"51job-2019：工作经验列中属于其他字段的值（按形式重新归位）{moved} 行；语言要求等 {other} 项不计入",
    ]
    return stats, notes


def run_lagou(df: pl.DataFrame) -> tuple[dict[str, Stat], list[str]]:
    pairs = list(zip(df["city"].to_list(), df["district"].to_list(), strict=True))

    def place(pair: tuple[str | None, str | None]) -> Location:
        city, district = pair
        return locate(city or "", district)

    stats = {
        "salary": measure(df["salary"].to_list(), parse_salary, matches(lagou_salary)),
        "experience": measure(df["workYear"].to_list(), parse_experience, matches(lagou_experience)),
        "education": measure(df["education"].to_list(), parse_education, matches(board_education)),
        "location": measure(
            [p if p[0] else None for p in pairs],
            place,
            lambda raw, loc: normalize(lagou_location(loc)) == normalize("-".join(x for x in raw if x)),
        ),
        "region": measure([p if p[0] else None for p in pairs], place, lambda _raw, loc: region_exact(loc)),
        "region-strict": measure([p if p[0] else None for p in pairs], place, lambda _r, loc: region_strict(loc)),
    }
    # The same fact twice: the city alone and the city with its district must nest.
    agree = total = 0
    for city, district in pairs:
        if city and district:
            total += 1
            try:
                alone, both = locate(city).code, locate(city, district).code
            except FieldParseError:
                continue
            agree += bool(alone and both and contains(alone, both))
    return stats, [f"lagou-2019：city 单独解析与 city+district 解析所得代码层级一致 {agree}/{total}"]


def rate(stat: Stat) -> str:
    return f"{100 * stat.exact / stat.with_value:.2f}%" if stat.with_value else "—"


def median_us(stat: Stat) -> str:
    return f"{statistics.median(stat.nanos) / 1000:.1f}" if stat.nanos else "—"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobdata", type=Path, default=JOBDATA)
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args()
    paths = {name: args.jobdata / rel for name, rel in FILES.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        sys.exit("找不到评测数据（../shared/jobdata/）：" + "、".join(missing))
    parse_location("北京-海淀区")  # load the division table once, outside the timings
    runners = {"51job-2021": run_51job_2021, "51job-2019": run_51job_2019, "lagou-2019": run_lagou}
    results: dict[str, dict[str, Stat]] = {}
    notes: list[str] = []
    for name, run in runners.items():
        df = pl.read_csv(paths[name], infer_schema_length=0)
        results[name], more = run(df)
        notes += more

    header = f"{'source':<11} {'field':<13} {'rows':>5} {'value':>5} {'parsed':>6} {'failed':>6} {'exact':>5} "
    header += f"{'exact%':>7} {'µs/val':>7}"
    print(header)
    print("-" * len(header))
    totals: dict[str, Stat] = {f: Stat() for f in FIELDS}
    for name, stats in results.items():
        for f in FIELDS:
            if f not in stats:
                continue
            s = stats[f]
            totals[f].add(s)
            failed = s.with_value - s.parsed
            print(
                f"{name:<11} {f:<13} {s.rows:>5} {s.with_value:>5} {s.parsed:>6} {failed:>6} {s.exact:>5} "
                f"{rate(s):>7} {median_us(s):>7}"
            )
    print("-" * len(header))
    for f, s in totals.items():
        failed = s.with_value - s.parsed
        flag = "" if s.with_value and Decimal(s.exact) / s.with_value >= TARGET else "  < 98%"
        print(
            f"{'all':<11} {f:<13} {s.rows:>5} {s.with_value:>5} {s.parsed:>6} {failed:>6} {s.exact:>5} "
            f"{rate(s):>7} {median_us(s):>7}{flag}"
        )
    print()
    for name, stats in results.items():
        for f, s in stats.items():
            if s.failures:
                print(f"failed     {name} {f}: {', '.join(repr(x) for x in s.failures[: args.samples])}")
            if s.mismatches:
                distinct = list(dict.fromkeys(s.mismatches))
                print(
                    f"not exact  {name} {f} ({len(s.mismatches)}, {len(distinct)} distinct): "
                    + ", ".join(repr(x) for x in distinct[: args.samples])
                )
    print()
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
