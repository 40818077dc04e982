"""Benchmark: two-way job recommendations (issue 5, items 3 and 7).

Run: .venv/bin/python benchmarks/job_matching.py [--jobdata ../shared/jobdata] [--postings 100000] [--seekers 200]

(a) Ranking proxy on ``scraped-lagou-jlk1993/lagou.csv`` (read from ``../shared/jobdata/``, never copied into the
    repository). Every posting in turn is a query: a seeker built from it (its title as the sought title, its
    skillLables ∪ positionLables as skills, its city as region, its education and workYear as the seeker's, its
    salary's lower end as the minimum). Relevant = the *other* postings with the same thirdType and the same city.
    Both rankers see only postings that pass the hard filters for that seeker (the query posting excluded); the
    ideal ranking for nDCG is built from the relevant postings that pass them, and queries with none are left out.
    Reported: nDCG@10, recall@5 (relevant found in the top 5 ÷ all reachable relevant), precision@5, for a random
    order of the eligible postings (expected value), BM25 alone (the same fields and weights) and the pipeline,
    plus ablations of the pipeline's parts.
(b) Latency: seeded synthetic postings (titles from 职业分类大典 names and aliases, random Guangxi regions, pay,
    education, experience, skill tags; all open on the query day) and seekers: index build time, and
    median / p90 / p99 of one top-10 query (``recommend_jobs``, explanations included). Acceptance: median < 100 ms
    for 100,000 postings. Also the reverse direction (``recommend_seekers``) over synthetic seekers.
"""

from __future__ import annotations

import argparse
import ast
import csv
import datetime as dt
import math
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import bm25s  # type: ignore[import-untyped]
import numpy as np
import rjieba

from jiuye.jobs.model import Posting, Seeker
from jiuye.jobs.occupations.taxonomy import Occupation, load_taxonomy
from jiuye.jobs.parsing import (
    Education,
    EducationLevel,
    Experience,
    FieldParseError,
    Salary,
    parse_education,
    parse_experience,
    parse_salary,
    region_code,
)
from jiuye.jobs.parsing.location import divisions
from jiuye.jobs.recommend.index import PostingIndex, SeekerIndex, seeker_query
from jiuye.jobs.recommend.rank import Weights, classify_title, recommend_jobs, recommend_seekers

ROOT = Path(__file__).resolve().parents[1]
JOBDATA = ROOT.parent / "shared" / "jobdata"
LAGOU = Path("scraped-lagou-jlk1993") / "lagou.csv"
#: The query day for both parts (the lagou postings carry no dates; the synthetic ones are open on it).
TODAY = dt.date(2026, 3, 2)
SEED = 20260302

Ranker = Callable[[Seeker, str], list[int]]


# --- (a) ranking proxy on lagou.csv ------------------------------------------------------------------


def _labels(text: str) -> tuple[str, ...]:
    try:
        value = ast.literal_eval(text) if text.strip() else []
    except (ValueError, SyntaxError):
        return ()
    return tuple(str(v).strip() for v in value if str(v).strip()) if isinstance(value, list) else ()


def _region(city: str, district: str) -> str | None:
    for args in ((city, district or None), (city, None)):
        try:
            return region_code(*args)
        except FieldParseError:
            continue
    return None


def _lagou(path: Path) -> tuple[list[Posting], list[Seeker], list[tuple[str, str]]]:
    """Postings, one query seeker per posting, and (thirdType, city) per posting."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    titles = [r["positionName"].strip() for r in rows]
    codes = {t: classify_title(t) for t in dict.fromkeys(titles)}
    postings: list[Posting] = []
    seekers: list[Seeker] = []
    keys: list[tuple[str, str]] = []
    for i, r in enumerate(rows):
        code = codes[titles[i]]
        skills = _labels(r["skillLables"])
        labels = _labels(r["positionLables"])
        salary = parse_salary(r["salary"])
        experience = parse_experience(r["workYear"])
        education = parse_education(r["education"])
        posting = Posting(
            id=f"lagou-{i}",
            title=titles[i],
            employer=r["companyFullName"],
            skills=skills,
            description=" ".join([*labels, r["positionAdvantage"]]),
            occupation_code=code,
            region=_region(r["city"], r["district"]),
            salary=salary,
            experience=experience,
            education=education,
        )
        postings.append(posting)
        seekers.append(
            Seeker(
                id=f"q-{i}",
                titles=(titles[i],),
                skills=tuple(dict.fromkeys([*skills, *labels])),
                occupation_codes=(code,) if code else (),
                regions=(_region(r["city"], "") or "000000",),
                salary_min=salary.monthly_low if salary is not None else None,
                education=education.level if education else EducationLevel.ANY,
                experience_years=experience.min_years if experience else 0,
                fresh_graduate=bool(experience and experience.for_fresh_graduates),
            )
        )
        keys.append((r["thirdType"], r["city"]))
    return postings, seekers, keys


def _bm25_ranker(index: PostingIndex) -> Ranker:
    def rank(seeker: Seeker, own: str) -> list[int]:
        eligible = index.eligible(seeker, TODAY, {own})
        scores = np.where(eligible, index.text.scores(seeker_query(seeker)), 0.0)
        hits = np.flatnonzero(scores > 0)
        order = np.lexsort((hits, -scores[hits]))
        return [int(hits[j]) for j in order[:10]]

    return rank


def _pipeline_ranker(index: PostingIndex, weights: Weights, code_title: bool = True) -> Ranker:
    def rank(seeker: Seeker, own: str) -> list[int]:
        matches = recommend_jobs(
            seeker, index, TODAY, 10, exclude={own}, weights=weights, code_title=classify_title if code_title else None
        )
        return [index.position[m.posting.id] for m in matches]

    return rank


def _metrics(ranked: Sequence[int], relevant: set[int]) -> tuple[float, float, float]:
    gains = [1.0 if r in relevant else 0.0 for r in ranked[:10]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
    top5 = sum(gains[:5])
    return dcg / ideal, top5 / len(relevant), top5 / 5


def ranking_proxy(jobdata: Path) -> None:
    path = jobdata / LAGOU
    started = time.perf_counter()
    postings, seekers, keys = _lagou(path)
    index = PostingIndex(postings)
    took = time.perf_counter() - started
    print(f"(a) 排序代理评测：{path}（{len(postings)} 个岗位；读取、职业归类与建索引 {took:.1f} s）")
    by_key: dict[tuple[str, str], set[int]] = {}
    for i, key in enumerate(keys):
        by_key.setdefault(key, set()).add(i)
    queries: list[tuple[int, set[int], int]] = []
    for i, seeker in enumerate(seekers):
        eligible = index.eligible(seeker, TODAY, {postings[i].id})
        reachable = {j for j in by_key[keys[i]] - {i} if eligible[j]}
        if reachable:
            queries.append((i, reachable, int(eligible.sum())))
    left_out = len(seekers) - len(queries)
    mean_relevant = statistics.mean(len(r) for _, r, _ in queries)
    mean_eligible = statistics.mean(e for _, _, e in queries)
    print(
        f"    查询 {len(queries)} 个（另有 {left_out} 个在硬性条件下没有可达的相关岗位，不计）；"
        f"每个查询平均可达相关岗位 {mean_relevant:.1f} 个，平均通过硬性条件的岗位 {mean_eligible:.1f} 个"
    )
    # A random order of the eligible postings: each position holds a relevant posting with probability |R|/e.
    random_scores = []
    for _, relevant, e in queries:
        share = len(relevant) / e
        dcg = sum(share / math.log2(i + 2) for i in range(min(10, e)))
        ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
        random_scores.append((dcg / ideal, min(5, e) / e, share * min(5, e) / 5))
    ndcg, recall, precision = (statistics.mean(s[k] for s in random_scores) for k in range(3))
    print(f"    随机排序（期望值）：nDCG@10 {ndcg:.3f}  recall@5 {recall:.4f}  P@5 {precision:.3f}")
    rankers: list[tuple[str, Ranker]] = [
        ("BM25 单独（同字段同权重、同硬性条件）", _bm25_ranker(index)),
        ("本方案（BM25 + 职业 + 技能 + 薪资 + 时效）", _pipeline_ranker(index, Weights())),
        ("  消融：去掉职业匹配", _pipeline_ranker(index, Weights(occupation=0.0))),
        ("  消融：去掉技能重合", _pipeline_ranker(index, Weights(skills=0.0))),
        ("  消融：去掉薪资契合", _pipeline_ranker(index, Weights(salary=0.0))),
        ("  消融：只用职业匹配+技能重合", _pipeline_ranker(index, Weights(text=0.0, salary=0.0, recency=0.0))),
    ]
    for label, rank in rankers:
        started = time.perf_counter()
        scores = [_metrics(rank(seekers[i], postings[i].id), relevant) for i, relevant, _ in queries]
        seconds = time.perf_counter() - started
        ndcg, recall, precision = (statistics.mean(s[k] for s in scores) for k in range(3))
        print(
            f"    {label}：nDCG@10 {ndcg:.3f}  recall@5 {recall:.4f}  P@5 {precision:.3f}"
            f"  （每查询 {seconds / len(queries) * 1000:.1f} ms）"
        )


# --- (b) latency on synthetic postings ---------------------------------------------------------------

#: Hand-written skill tags of the kind boards use (not taken from any evaluation file).
SKILLS = (
    "Excel", "Word", "PPT", "Office办公软件", "普通话", "粤语", "英语四级", "驾驶证C1", "驾驶证A2", "叉车证",
    "电工证", "焊工证", "CAD", "PS", "Photoshop", "Python", "Java", "SQL", "C++", "Linux", "数据分析", "财务软件",
    "用友", "金蝶", "会计从业", "出纳", "收银", "客户服务", "电话销售", "直播带货", "短视频剪辑", "新媒体运营",
    "文案写作", "抖音运营", "电商运营", "仓储管理", "物流配送", "质量检验", "设备维修", "数控车床", "机械制图",
    "PLC编程", "电气安装", "水电安装", "护理", "育婴", "养老护理", "中式烹调", "面点", "咖啡", "茶艺", "导游",
    "酒店管理", "前台接待", "安全生产", "消防设施操作", "物业管理", "保洁", "市场调研", "沟通能力",
)  # fmt: skip
PREFIXES = ("", "", "", "高级", "初级", "资深", "储备", "见习")


def _guangxi() -> tuple[list[str], list[str]]:
    """Guangxi city codes and county codes from the division table."""
    codes = [c for c in divisions() if c.startswith("45") and c != "450000"]
    return [c for c in codes if c.endswith("00")], [c for c in codes if not c.endswith("00")]


def _synthetic_postings(n: int, rng: random.Random) -> list[Posting]:
    leaves = load_taxonomy().leaves()
    cities, counties = _guangxi()
    educations = [Education(level, level.label) for level in EducationLevel]
    experiences = [Experience(0, None), Experience(0, 0, True), Experience(1, 3), Experience(3, 5), Experience(5, None)]
    postings = []
    for i in range(n):
        o = rng.choice(leaves)
        name = rng.choice((o.name, *o.aliases))
        low = rng.randrange(2000, 15001, 500)
        kind = rng.random()
        if kind < 0.05:
            salary: Salary | None = Salary(None, None, negotiable=True)
        elif kind < 0.10:
            salary = None
        else:
            salary = Salary(Decimal(low), Decimal(low + rng.randrange(0, 8001, 500)))
        opened = TODAY - dt.timedelta(days=rng.randrange(0, 90))
        postings.append(
            Posting(
                id=f"syn-{i}",
                title=rng.choice(PREFIXES) + name,
                employer=f"广西合成单位{rng.randrange(n // 5 + 1)}有限公司",
                description=o.definition[:150],
                skills=tuple(rng.sample(SKILLS, rng.randint(2, 5))),
                occupation_code=o.code,
                region=rng.choice(counties if rng.random() < 0.8 else cities),
                salary=salary,
                education=rng.choice(educations),
                experience=rng.choice(experiences),
                open_on=opened,
                close_on=None if rng.random() < 0.3 else TODAY + dt.timedelta(days=rng.randrange(0, 60)),
            )
        )
    return postings


def _synthetic_seekers(n: int, rng: random.Random) -> list[Seeker]:
    leaves = load_taxonomy().leaves()
    cities, counties = _guangxi()
    seekers = []
    for i in range(n):
        sought = rng.sample(leaves, rng.randint(1, 2))
        titles = tuple(rng.choice((o.name, *o.aliases)) for o in sought)
        skills = tuple(rng.sample(SKILLS, rng.randint(2, 6)))
        regions = tuple(rng.sample(cities, rng.randint(1, 2)))
        if rng.random() < 0.2:
            regions = (rng.choice(counties),)
        seekers.append(
            Seeker(
                id=f"s-{i}",
                titles=titles,
                skills=skills,
                occupation_codes=tuple(o.code for o in sought),
                regions=regions,
                salary_min=None if rng.random() < 0.3 else rng.randrange(2000, 8001, 500),
                education=rng.choice(list(EducationLevel)),
                experience_years=rng.choice((0, 0, 1, 2, 3, 5, 8)),
                fresh_graduate=rng.random() < 0.4,
                text=f"熟悉{skills[0]}，希望从事{titles[0]}相关工作，能吃苦耐劳",
            )
        )
    return seekers


def _described(occupation: Occupation) -> str:
    return occupation.definition + "".join(occupation.tasks)


def _percentiles(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p90 = ms[int(0.90 * (len(ms) - 1))]
    p99 = ms[int(0.99 * (len(ms) - 1))]
    return f"中位 {statistics.median(ms):.1f} ms  p90 {p90:.1f} ms  p99 {p99:.1f} ms"


def latency(n_postings: int, n_seekers: int) -> None:
    rng = random.Random(SEED)
    started = time.perf_counter()
    postings = _synthetic_postings(n_postings, rng)
    seekers = _synthetic_seekers(n_seekers, rng)
    took = time.perf_counter() - started
    print(f"(b) 延迟：合成 {n_postings} 个在招岗位、{n_seekers} 位求职者（种子 {SEED}，生成 {took:.1f} s）")
    index = PostingIndex(postings)
    print(f"    岗位索引构建 {index.build_seconds:.1f} s（分词、三个 BM25 字段、硬性条件列、倒排表）")
    recommend_jobs(seekers[0], index, TODAY)  # warm-up: taxonomy names for explanations, division table
    # As generated (1–2 cities or one county, a pay floor, their education), then the worst case: every hard
    # filter as wide as it goes (any place, no pay floor, 博士, 10 years: all postings eligible) and a long
    # resume (the definitions and duties of the occupations sought, a few hundred characters).
    taxonomy = load_taxonomy()
    wide = [
        replace(
            s,
            regions=(),
            salary_min=None,
            education=EducationLevel.DOCTOR,
            experience_years=10,
            text=s.text + "".join(_described(taxonomy.get(c)) for c in s.occupation_codes),
        )
        for s in seekers
    ]
    for label, group in (("按各自条件", seekers), ("条件放到最宽、自述较长", wide)):
        seconds, found, eligible = [], [], []
        for seeker in group:
            eligible.append(int(index.eligible(seeker, TODAY).sum()))
            t = time.perf_counter()
            matches = recommend_jobs(seeker, index, TODAY, 10)
            seconds.append(time.perf_counter() - t)
            found.append(len(matches))
        print(
            f"    推荐前10个岗位（含中文解释；{label}，平均 {statistics.mean(eligible):.0f} 个岗位通过硬性条件，"
            f"自述平均 {statistics.mean(len(s.text) for s in group):.0f} 字）：{_percentiles(seconds)}；"
            f"平均返回 {statistics.mean(found):.1f} 个"
        )
    print("    验收标准：10 万在招岗位中取前10，中位 < 100 ms")
    # The other direction: seekers for a job, over as many synthetic seekers as there are postings / 5.
    pool = _synthetic_seekers(max(n_postings // 5, n_seekers), random.Random(SEED + 1))
    seeker_index = SeekerIndex(pool)
    queries = [replace(p, close_on=None) for p in postings[:n_seekers]]
    recommend_seekers(queries[0], seeker_index, TODAY)
    seconds = []
    for posting in queries:
        t = time.perf_counter()
        recommend_seekers(posting, seeker_index, TODAY, 10)
        seconds.append(time.perf_counter() - t)
    print(
        f"    反向：{len(pool)} 位求职者的索引构建 {seeker_index.build_seconds:.1f} s；"
        f"为岗位推荐前10位求职者：{_percentiles(seconds)}"
    )


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with Path("/proc/cpuinfo").open(encoding="utf-8") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    memory = ""
    try:
        with Path("/proc/meminfo").open(encoding="utf-8") as f:
            kib = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
        memory = f"，内存 {kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return (
        f"机器：{cpu}，{os.cpu_count()} 核{memory}；{platform.system()} {platform.release()}；"
        f"Python {platform.python_version()}，numpy {np.__version__}，bm25s {bm25s.__version__}，"
        f"rjieba {getattr(rjieba, '__version__', '0.2.x')}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--jobdata", type=Path, default=JOBDATA)
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--seekers", type=int, default=200)
    parser.add_argument("--skip-ranking", action="store_true", help="只测延迟")
    parser.add_argument("--skip-latency", action="store_true", help="只做排序代理评测")
    args = parser.parse_args(argv)
    print("命令：" + " ".join([Path(sys.executable).name, *sys.argv]))
    print(_machine())
    if not args.skip_ranking:
        if (args.jobdata / LAGOU).exists():
            ranking_proxy(args.jobdata)
        else:
            print(f"(a) 找不到评测数据 {args.jobdata / LAGOU}（应位于仓库旁的 ../shared/jobdata/），跳过排序代理评测")
            if args.skip_latency:
                return 2
    if not args.skip_latency:
        latency(args.postings, args.seekers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
