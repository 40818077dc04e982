"""Benchmark: importing scraped postings as three channels, and de-duplicating postings (issue 5, items 1–2).

Run: .venv/bin/python benchmarks/job_intake.py [--jobdata PATH] [--sizes 10000 100000] [--seed 5]

Part 1 imports the three scraped files of ../shared/jobdata (relative to the repository root; never copied
into it) with ``jiuye.jobs.intake.import_postings``, one channel each (51job 2021, 51job 2019, Lagou 2019),
with the real 大典 classifier and direction tagging, and prints rows read, imported, repeated, rejected
(by the field at fault), seconds and rows per second. The classifier's index is built once before the
timings. It then de-duplicates all imported postings together: clusters when a channel's own repeats may
merge (``within``) and when only postings of different channels may (``across``).

Part 2 times ``jiuye.jobs.dedup.deduplicate`` on synthetic postings (seeded): vacancies at synthetic
employers in Guangxi counties, each published on one to three channels with the variations channels
make (legal form and bracketed place in the employer name, remarks around the title, the city instead
of the district, the pay shifted but overlapping, a credit code given or not). The caches of the name
and title keys are cleared before each timing (the title normaliser's vocabulary is loaded before).
Precision and recall are over pairs of postings put in one cluster, against the vacancies they were made
from. The synthetic set has at most one vacancy per employer, title and city, so it measures speed and
how well the channels' variations are recognised, not how ambiguous real vacancies are.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from stdnum.cn import uscc as stdnum_uscc

from jiuye.jobs.dedup import Cluster, deduplicate, employer_key, title_key
from jiuye.jobs.intake import IntakeResult, import_postings
from jiuye.jobs.model import Posting
from jiuye.jobs.occupations.classify import default_classifier
from jiuye.jobs.occupations.directions import directions
from jiuye.jobs.parsing import parse_location, parse_salary
from jiuye.jobs.parsing.location import RegionLevel, divisions

ROOT = Path(__file__).resolve().parents[1]
JOBDATA = ROOT.parent / "shared" / "jobdata"
#: channel → (file, the day dates without a year are read against: the scrape's month, per the README).
CHANNELS = {
    "51job-2021": ("scraped-51job-11yui22/job.csv", dt.date(2021, 10, 31)),
    "51job-2019": ("scraped-51job-cugwhzenith/51job.csv", dt.date(2019, 9, 30)),
    "lagou-2019": ("scraped-lagou-jlk1993/lagou.csv", dt.date(2019, 7, 31)),
}


def _cluster_stats(clusters: list[Cluster]) -> str:
    merged = [c for c in clusters if len(c) > 1]
    multi = sum(1 for c in clusters if len(c.channels) > 1)
    largest = max((len(c) for c in clusters), default=0)
    return f"{len(clusters):>6} clusters, {len(merged):>5} merged, {multi:>4} across channels, largest {largest}"


def part_real(jobdata: Path) -> None:
    paths = {name: jobdata / rel for name, (rel, _) in CHANNELS.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        sys.exit("找不到评测数据（../shared/jobdata/）：" + "、".join(missing))
    started = time.perf_counter()
    default_classifier().classify("会计", 1)  # build the 大典 index once, outside the timings
    directions()
    parse_location("北京-海淀区")
    print(f"classifier, directions and division table loaded in {time.perf_counter() - started:.1f} s\n")

    results: dict[str, IntakeResult] = {}
    header = f"{'channel':<11} {'read':>6} {'imported':>8} {'repeat':>6} {'rejected':>8} {'s':>6} {'rows/s':>7}"
    header += "  rejected by field"
    print(header)
    print("-" * len(header))
    total_rows, total_seconds = 0, 0.0
    for name, (_, reference) in CHANNELS.items():
        t0 = time.perf_counter()
        result = import_postings(paths[name], name, reference=reference)
        seconds = time.perf_counter() - t0
        results[name] = result
        total_rows += result.rows
        total_seconds += seconds
        reasons = "、".join(f"{k} {v}" for k, v in result.rejected_by_reason().items()) or "-"
        print(
            f"{name:<11} {result.rows:>6} {result.imported:>8} {len(result.duplicates):>6} {result.rejected:>8} "
            f"{seconds:>6.2f} {result.rows / seconds:>7.0f}  {reasons}"
        )
    imported = sum(r.imported for r in results.values())
    repeats = sum(len(r.duplicates) for r in results.values())
    rate = (imported + repeats) / total_rows
    speed = total_rows / total_seconds
    print(f"{'all':<11} {total_rows:>6} {imported:>8} {repeats:>6} {'':>8} {total_seconds:>6.2f} {speed:>7.0f}")
    print(f"\nrows imported or repeating an imported row: {rate:.2%} (target ≥ 98%)")
    for name, result in results.items():
        for problem in result.problems[:3]:
            print(f"  e.g. {name}: {problem}")
    coded = sum(1 for r in results.values() for p in r.postings if p.occupation_code)
    tagged = sum(1 for r in results.values() for p in r.postings if p.directions)
    print(f"postings with an occupation code: {coded}/{imported}; with a direction: {tagged}/{imported}")

    postings = [p for r in results.values() for p in r.postings]
    print(f"\ndedup of the {len(postings)} imported postings:")
    for within in (True, False):
        t0 = time.perf_counter()
        clusters = deduplicate(postings, within_channel=within)
        label = "within" if within else "across"
        print(f"  {label}: {_cluster_stats(clusters)}  ({time.perf_counter() - t0:.3f} s)")


# --- synthetic postings ------------------------------------------------------------------------------


#: Title stems and modifiers (hand-written; everyday Guangxi vacancies), combined into ~1,000 titles.
_STEMS = (
    "会计 出纳 销售代表 电话销售 客服专员 行政专员 前台 文员 人事专员 采购员 仓管员 理货员 快递员 外卖骑手 司机 "
    "货车司机 叉车工 普工 操作工 焊工 电工 钳工 车工 装配工 质检员 保安 保洁员 厨师 帮厨 服务员 收银员 店长 "
    "导购员 护士 护工 育婴师 保育员 幼师 小学教师 英语老师 美容师 美发师 前端开发工程师 Java开发工程师 "
    "测试工程师 运维工程师 数据分析师 平面设计师 新媒体运营 主播 电商运营 土建施工员 资料员 安全员 造价员"
).split()
_MODIFIERS = (
    "",
    "",
    "",
    "高级",
    "初级",
    "储备",
    "门店",
    "区域",
    "夜班",
    "兼职",
    "实习",
    "驻场",
    "资深",
    "临时",
    "储备干部",
)
_NAME_WORDS = "金 华 信 达 盛 源 宏 泰 新 恒 博 利 通 美 嘉 鑫 桂 邕 龙 海 丰 瑞 安 德 兴 远 创 佳".split()
_TRADES = (
    "科技",
    "商贸",
    "物流",
    "建筑工程",
    "餐饮管理",
    "医疗器械",
    "电子",
    "机械制造",
    "教育咨询",
    "物业服务",
    "食品",
)
_TITLE_NOISE = ("", "", "（急聘）", "【{city}】", " 双休", "（五险一金）", "-{city}")


@dataclass(frozen=True, slots=True)
class _Employer:
    name: str  # without legal form
    city: str
    uscc: str | None


def _counties() -> list[tuple[str, str, str]]:
    """(county code, city code, city short name) of Guangxi's county-level divisions."""
    table = divisions()
    out = []
    for code, region in table.items():
        if code.startswith("45") and region.level is RegionLevel.COUNTY and code[:4] + "00" in table:
            out.append((code, code[:4] + "00", table[code[:4] + "00"].short_name))
    return sorted(out)


def _employer_name(e: _Employer, rng: random.Random) -> str:
    form = rng.choice(["有限公司", "有限责任公司", "股份有限公司", " 有限公司"])
    place = rng.choice(["", "", f"（{e.city}）"])
    return f"{e.name}{place}{form}"


def synthetic(n: int, seed: int) -> tuple[list[Posting], dict[str, int]]:
    """About ``n`` postings and, for each posting id, the vacancy it was made from."""
    rng = random.Random(seed)
    counties = _counties()
    titles = [m + s for s in _STEMS for m in _MODIFIERS[3:]] + list(_STEMS)
    employers: list[_Employer] = []
    for i in range(max(1, n // 25)):
        home = rng.choice(counties)
        name = f"{home[2]}{''.join(rng.sample(_NAME_WORDS, 2))}{rng.choice(_TRADES)}{i}"
        body = f"91{home[0]}{i:09d}"  # 登记管理部门/机构类别, 区划, 组织机构代码 (GB 32100)
        uscc = body + stdnum_uscc.calc_check_digit(body) if rng.random() < 0.5 else None
        employers.append(_Employer(name, home[2], uscc))
    postings: list[Posting] = []
    truth: dict[str, int] = {}
    seen: set[tuple[int, str, str]] = set()
    vacancy = 0
    while len(postings) < n:
        e_index = rng.randrange(len(employers))
        employer = employers[e_index]
        title = rng.choice(titles)
        county, city, city_name = rng.choice(counties)
        if (e_index, title, city) in seen:  # one vacancy per employer, title and city: the rest is ambiguous
            continue
        seen.add((e_index, title, city))
        low = rng.randrange(2500, 12000, 500)
        copies = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
        for channel in rng.sample(["51job", "zhaopin", "staff", "lingong"], copies):
            shift = rng.choice((-500, 0, 0, 500))
            noise = rng.choice(_TITLE_NOISE).format(city=city_name)
            region = city if rng.random() < 0.2 else county
            pid = f"{channel}:{len(postings)}"
            postings.append(
                Posting(
                    id=pid,
                    title=f"{noise}{title}" if noise.startswith("【") else f"{title}{noise}",
                    employer=_employer_name(employer, rng),
                    channel=channel,
                    channel_id=str(len(postings)),
                    employer_uscc=employer.uscc if rng.random() < 0.7 else None,
                    region=region,
                    salary=parse_salary(f"{low + shift}-{low + shift + 2000}"),
                    open_on=dt.date(2025, 3, 1) + dt.timedelta(days=rng.randrange(30)),
                )
            )
            truth[pid] = vacancy
        vacancy += 1
    return postings, truth


def _pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    return {pair for group in groups for pair in combinations(sorted(group), 2)}


def part_synthetic(sizes: list[int], seed: int) -> None:
    print(f"\nsynthetic postings (seed {seed}):")
    title_key("会计")  # load the title normaliser's vocabulary once, outside the timings
    header = f"{'postings':>8} {'vacancies':>9} {'clusters':>8} {'seconds':>7} {'postings/s':>10}"
    header += f" {'precision':>9} {'recall':>7}"
    print(header)
    print("-" * len(header))
    for n in sizes:
        postings, truth = synthetic(n, seed)
        employer_key.cache_clear()
        title_key.cache_clear()
        gc.collect()
        t0 = time.perf_counter()
        clusters = deduplicate(postings)
        seconds = time.perf_counter() - t0
        found = _pairs([p.id for p in c.members] for c in clusters)
        by_vacancy: dict[int, list[str]] = {}
        for pid, v in truth.items():
            by_vacancy.setdefault(v, []).append(pid)
        true = _pairs(by_vacancy.values())
        hit = len(found & true)
        precision = hit / len(found) if found else 1.0
        recall = hit / len(true) if true else 1.0
        print(
            f"{len(postings):>8} {len(by_vacancy):>9} {len(clusters):>8} {seconds:>7.2f} "
            f"{len(postings) / seconds:>10.0f} {precision:>9.4f} {recall:>7.4f}"
        )
        sizes_seen = Counter(len(c) for c in clusters)
        print(f"{'':>8} cluster sizes: {dict(sorted(sizes_seen.items()))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--jobdata", type=Path, default=JOBDATA)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--synthetic-only", action="store_true", help="skip the scraped files")
    args = parser.parse_args()
    if not args.synthetic_only:
        part_real(args.jobdata)
    part_synthetic(args.sizes, args.seed)


if __name__ == "__main__":
    main()
