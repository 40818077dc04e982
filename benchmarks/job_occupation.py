"""Benchmark: job title → 职业分类大典 (2022) code, zero-shot (issue 5, items 1 and 7).

Run: .venv/bin/python benchmarks/job_occupation.py [--jobdata ../shared/jobdata]

Reads the evaluation files from ``../shared/jobdata/`` (never copied into the repository):

* ``cscoder/testcases_dev.csv`` — real job-board titles with an expert-assigned 2022 code. A label ending
  in ``-00`` is given at 小类/中类 level: a prediction under that prefix counts as correct. Rows without a
  code are excluded. Target: acc@1 ≥ 0.50 and acc@5 ≥ 0.75 (plain TF-IDF/BM25 reach about 0.43 / 0.69).
* ``lzxlll-top1000/top1000_manual_mapping.csv`` — the 1,000 most frequent titles of ≈140 M postings,
  mapped by hand to the 2015 大典. Codes changed in 2022, so a row counts only where its 2015 细类 name
  is still a 2022 细类 name (coverage is printed); accuracy is weighted by the posting count.

Prints rows used/excluded, acc@1/acc@5 for a plain BM25 baseline and for the pipeline, an ablation of each
component, index build time, and median / p99 latency per title.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import bm25s  # type: ignore[import-untyped]
import numpy as np
import rjieba

from jiuye.jobs.occupations.classify import ClassifierOptions, OccupationClassifier
from jiuye.jobs.occupations.taxonomy import load_taxonomy, matches

ROOT = Path(__file__).resolve().parents[1]
JOBDATA = ROOT.parent / "shared" / "jobdata"

Predictor = Callable[[str], list[str]]


def _read_dev(jobdata: Path) -> tuple[list[tuple[str, str]], int]:
    path = jobdata / "cscoder" / "testcases_dev.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    used = [(r["job_name"], r["expected_code"].strip()) for r in rows if (r.get("expected_code") or "").strip()]
    return used, len(rows) - len(used)


def _accuracy(rows: Sequence[tuple[str, str]], predict: Predictor) -> tuple[float, float, list[float]]:
    top1 = top5 = 0
    latencies = []
    for title, expected in rows:
        started = time.perf_counter()
        codes = predict(title)
        latencies.append(time.perf_counter() - started)
        hits = [matches(c, expected) for c in codes[:5]]
        top1 += bool(hits and hits[0])
        top5 += any(hits)
    return top1 / len(rows), top5 / len(rows), latencies


class PlainBM25:
    """Baseline: one BM25 index over name + aliases + definition, jieba default dictionary, raw title."""

    def __init__(self) -> None:
        started = time.perf_counter()
        self.leaves = load_taxonomy().leaves()
        self.jieba = rjieba.Jieba()
        corpus = [self._tokens(" ".join([o.name, *o.aliases, o.definition])) for o in self.leaves]
        self.index = bm25s.BM25()
        self.index.index(corpus, show_progress=False)
        self.build_seconds = time.perf_counter() - started

    def _tokens(self, text: str) -> list[str]:
        return [t for t in self.jieba.cut(text.lower(), True) if t.strip() and t.isalnum()]

    def __call__(self, title: str) -> list[str]:
        scores = np.asarray(self.index.get_scores(self._tokens(title)))
        best = np.argsort(-scores, kind="stable")[:5]
        return [self.leaves[i].code for i in best if scores[i] > 0]


def _pipeline(options: ClassifierOptions | None = None) -> tuple[Predictor, float]:
    classifier = OccupationClassifier(options=options)
    return (lambda t: [c.code for c in classifier.classify(t, 5)]), classifier.build_seconds


def _cold_start() -> str:
    """Seconds from a fresh interpreter to the first classified title (imports, 大典, lexicon, index, places)."""
    code = (
        "import time; t = time.perf_counter()\n"
        "from jiuye.jobs.occupations.classify import classify\n"
        "classify('保安')\n"
        "print(f'{time.perf_counter() - t:.2f}')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    return f"冷启动（新进程：导入、读大典与词表、建索引、首条标题）：{out} s"


def _top1000(jobdata: Path, predict: Predictor) -> None:
    path = jobdata / "lzxlll-top1000" / "top1000_manual_mapping.csv"
    if not path.exists():
        print("top1000：文件不存在，跳过")
        return
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    taxonomy = load_taxonomy()
    by_name: dict[str, list[str]] = {}
    for o in taxonomy:
        if o.level == 4:
            by_name.setdefault(o.name, []).append(o.code)
    total_weight = sum(int(float(r["数量"] or 0)) for r in rows)
    covered = [(r, by_name[r["细类"].strip()]) for r in rows if len(by_name.get((r["细类"] or "").strip(), [])) == 1]
    weight = sum(int(float(r["数量"] or 0)) for r, _ in covered)
    top1 = top5 = 0
    for r, codes in covered:
        got = predict(r["工作名称"])
        w = int(float(r["数量"] or 0))
        top1 += w * bool(got and got[0] == codes[0])
        top5 += w * (codes[0] in got[:5])
    print(
        f"top1000（2015 版人工映射，按 2022 细类同名匹配）：覆盖 {len(covered)}/{len(rows)} 行，"
        f"占岗位数 {weight / total_weight:.1%}；按岗位数加权 acc@1 {top1 / weight:.3f}  acc@5 {top5 / weight:.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--jobdata", type=Path, default=JOBDATA)
    args = parser.parse_args(argv)
    if not (args.jobdata / "cscoder" / "testcases_dev.csv").exists():
        print(f"找不到评测数据 {args.jobdata}/cscoder/testcases_dev.csv（应位于仓库旁的 ../shared/jobdata/）")
        return 2
    rows, excluded = _read_dev(args.jobdata)
    group_labels = sum(code.endswith("-00") for _, code in rows)
    print(f"dev：使用 {len(rows)} 行，排除无编码 {excluded} 行；其中 {group_labels} 行标注为 -00（按前缀判对）")

    baseline = PlainBM25()
    a1, a5, _ = _accuracy(rows, baseline)
    print(
        f"(a) 基线 plain BM25（名称+别名+定义）：acc@1 {a1:.3f}  acc@5 {a5:.3f}  建索引 {baseline.build_seconds:.2f} s"
    )

    print(_cold_start())
    predict, build = _pipeline()
    predict("保安")  # warm-up: the place-name table loads on first use (counted in the cold start above)
    a1, a5, latencies = _accuracy(rows, predict)
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(0.99 * (len(latencies) - 1))] * 1000
    print(f"(b) 本方案：acc@1 {a1:.3f}  acc@5 {a5:.3f}  建索引 {build:.2f} s  每条中位 {p50:.2f} ms  p99 {p99:.2f} ms")
    for label, part in (
        ("细类标注", [r for r in rows if not r[1].endswith("-00")]),
        ("-00 标注", [r for r in rows if r[1].endswith("-00")]),
    ):
        c1, c5, _ = _accuracy(part, predict)
        print(f"    其中{label} {len(part)} 行：acc@1 {c1:.3f}  acc@5 {c5:.3f}")

    ablations = {
        "去掉招聘词表": ClassifierOptions(lexicon=False),
        "去掉中心词处理": ClassifierOptions(head_noun=False),
        "去掉标题规范化": ClassifierOptions(normalise=False),
        "去掉字二元组回退": ClassifierOptions(ngrams=False),
        "去掉大典别名短语加分": ClassifierOptions(aliases=False),
    }
    for label, options in ablations.items():
        p, _ = _pipeline(options)
        b1, b5, _ = _accuracy(rows, p)
        print(f"    消融 {label}：acc@1 {b1:.3f}（{b1 - a1:+.3f}）  acc@5 {b5:.3f}（{b5 - a5:+.3f}）")
    _top1000(args.jobdata, predict)
    return 0


if __name__ == "__main__":
    sys.exit(main())
