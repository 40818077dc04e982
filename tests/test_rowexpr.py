"""Compiled row programs (jiuye.engine.rowexpr.compile) against Polars itself (the reference).

Every measure's cached plan, at two dates, is compiled and run over the unit rows of random
documents, and over the same rows with values swapped for others seen in the same column (or
null), so each branch of each condition sees values on both sides. Rows, values and types must
be exactly Polars'.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import polars as pl
import pytest

from jiuye.calculator import calculate
from jiuye.engine import plans
from jiuye.engine.rowexpr import Unsupported
from jiuye.engine.rowexpr.compile import compile_stages
from jiuye.engine.rowexpr.reference import compile_stages as reference
from jiuye.facts import facts_from_data
from jiuye.facts.tables import build_tables
from jiuye.policies.registry import all_measures
from random_facts import random_facts

DATES = (dt.date(2025, 3, 31), dt.date(2025, 12, 31))


@pytest.fixture(scope="module")
def world() -> tuple[list[plans.Plan], dict[tuple[str, ...], pl.DataFrame]]:
    """The plans the calculator built for 16 random documents at two dates, and the unit tables
    of those documents by their columns (what each plan was built for)."""
    plans._plans.clear()
    tables: dict[tuple[str, ...], list[pl.DataFrame]] = {}
    for seed in range(16):
        facts = facts_from_data(random_facts(seed, tag=f"R{seed}-"))
        for as_of in DATES:
            calculate(facts, as_of=as_of, region="450103")
        for table in build_tables(facts).values():
            if not table.is_empty():
                table = table.with_row_index("row_id")
                tables.setdefault(tuple(table.columns), []).append(table)
    return list(plans._plans.values()), {k: pl.concat(v) for k, v in tables.items()}


def _stages(judged: plans.Judged) -> list[list[pl.Expr]]:
    return [list(exprs) for exprs, _ in judged.alone]


def _run(program: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]] | str:
    try:
        program(rows)
    except Exception as exc:  # both must fail alike (a strict cast), not one of them
        return f"error: {type(exc).__name__}"
    return rows


def _typed(rows: list[dict[str, Any]] | str) -> Any:
    return rows if isinstance(rows, str) else [{k: (v, type(v)) for k, v in r.items()} for r in rows]


def _shuffled(frame: pl.DataFrame, rng: random.Random) -> list[dict[str, Any]]:
    """The rows with about a third of their values replaced by another row's, or null."""
    pools = {c: [*frame.get_column(c).unique().to_list(), None] for c in frame.columns if c != "row_id"}
    rows = frame.to_dicts()
    for row in rows:
        for column, pool in pools.items():
            if rng.random() < 0.35:
                row[column] = rng.choice(pool)
    return rows


def test_every_measure_compiles(world: tuple[list[plans.Plan], dict[tuple[str, ...], pl.DataFrame]]) -> None:
    built, tables = world
    measures = {p.measure.id for p in built}
    assert measures >= {m.id for m in all_measures() if m.unit.value != "district"} - {"cn.directions"}
    failures = []
    for plan in built:
        frame = tables.get(_columns(plan))
        if frame is None:
            continue
        for judged in plan.judged:
            try:
                compile_stages(_stages(judged), frame.schema)
            except Unsupported as exc:
                failures.append((plan.measure.id, str(exc)))
    assert failures == []


def _columns(plan: plans.Plan) -> tuple[str, ...]:
    for key, value in plans._plans.items():
        if value is plan:
            return tuple(key[4])
    raise AssertionError


@pytest.mark.parametrize("shuffle", [False, True])
def test_compiled_equals_polars(
    world: tuple[list[plans.Plan], dict[tuple[str, ...], pl.DataFrame]], shuffle: bool
) -> None:
    built, tables = world
    rng = random.Random(13)
    compared = 0
    for plan in built:
        frame = tables.get(_columns(plan))
        if frame is None:
            continue
        for judged in plan.judged:
            stages = _stages(judged)
            rows = _shuffled(frame, rng) if shuffle else frame.to_dicts()
            ours = _run(compile_stages(stages, frame.schema), [dict(r) for r in rows])
            theirs = _run(reference(stages, frame.schema), [dict(r) for r in rows])
            assert _typed(ours) == _typed(theirs), plan.measure.id
            compared += len(rows)
    assert compared > 1000


_EDGE_SCHEMA = {
    "i": pl.Int64,
    "j": pl.Int64,
    "u": pl.UInt32,
    "b": pl.Boolean,
    "c": pl.Boolean,
    "d": pl.Date,
    "s": pl.String,
}
_EDGE_ROWS = [
    {"i": i, "j": j, "u": u, "b": b, "c": c, "d": d, "s": s}
    for i, j, u, b, c, d, s in [
        (7, 0, 3, True, None, dt.date(2024, 1, 31), "ab12cd"),
        (-7, 2, 0, False, True, dt.date(2024, 2, 29), "中文45"),
        (None, -3, None, None, False, None, None),
        (0, None, 9, True, True, dt.date(2023, 12, 31), "12\n"),
    ]
]
_EDGES = {
    "kleene": [
        (pl.col("b") & pl.col("c")).alias("a"),
        (pl.col("b") | pl.col("c")).alias("o"),
        (~pl.col("b")).alias("n"),
    ],
    "division": [
        (pl.col("i") // pl.col("j")).alias("f"),
        (pl.col("i") % pl.col("j")).alias("m"),
        (pl.col("i") / pl.col("j")).alias("t"),
    ],
    "wrap": [(pl.col("u") - 5).alias("w"), (pl.col("u") * pl.col("u")).alias("x")],
    "offsets": [pl.col("d").dt.offset_by(o).alias(f"o{k}") for k, o in enumerate(["1mo", "-1y", "1y6mo", "-1d", "2w"])],
    "parts": [
        pl.col("d").dt.year().alias("y"),
        pl.col("d").dt.month().alias("mo"),
        pl.col("d").dt.month_start().alias("ms"),
    ],
    "text": [
        pl.format("{}年{}月", pl.col("i"), pl.col("d")).alias("f"),
        pl.concat_str([pl.col("s"), pl.col("b")], separator="、").alias("c"),
        pl.concat_str([pl.col("s"), pl.col("i")], separator="-", ignore_nulls=True).alias("ci"),
        pl.col("s").str.replace(r"(\d+)", "<$1>").alias("r"),
        pl.col("s").str.slice(1, 2).alias("sl"),
        pl.col("s").str.extract(r"(\d)", 1).alias("e"),
        pl.col("s").str.starts_with("ab").alias("st"),
        pl.col("s").str.ends_with("45").alias("en"),
        pl.col("s").str.len_chars().alias("ln"),
        pl.col("s").str.contains(r"^[a-z]{2}[0-9]+").alias("co"),
        pl.col("s").str.contains(r"[0-9]{2}$").alias("co2"),
        pl.col("s").str.contains("文", literal=True).alias("co3"),
        pl.col("i").cast(pl.String).alias("is"),
    ],
    "lookups": [
        pl.col("i").is_in([7, 0]).alias("in"),
        pl.col("i").is_in(pl.Series([7, 0])).alias("in2"),
        pl.col("s").replace_strict(pl.Series(["ab12cd", "12\n"]), pl.Series(["甲", "乙"]), default=None).alias("rss"),
        pl.col("i").replace_strict({7: "七", 0: "零"}, default="别").alias("rs"),
        pl.col("s").replace_strict({"ab12cd": 1, "": 2, "中文45": 3}, default=None, return_dtype=pl.Int64).alias("rn"),
    ],
    "horizontal": [
        pl.sum_horizontal(pl.col("i"), pl.col("j"), ignore_nulls=False).alias("s0"),
        pl.sum_horizontal(pl.col("i"), pl.col("j")).alias("s1"),
        pl.min_horizontal(pl.col("i"), pl.col("j")).alias("mn"),
        pl.max_horizontal(pl.col("i"), pl.col("j")).alias("mx"),
        pl.any_horizontal(pl.col("b"), pl.col("c")).alias("an"),
        pl.all_horizontal(pl.col("b"), pl.col("c")).alias("al"),
        pl.coalesce(pl.col("j"), pl.col("i"), pl.lit(5)).alias("co"),
        pl.col("i").fill_null(1).alias("fn"),
        pl.col("i").clip(lower_bound=0).alias("cl"),
        pl.col("i").clip(pl.col("j"), 3).alias("cl2"),
    ],
    "ternary": [
        pl.when(pl.col("b")).then(pl.col("i")).when(pl.col("c")).then(1.5).otherwise(None).alias("t"),
        pl.when(pl.col("c")).then(pl.lit("是")).otherwise(pl.col("s")).alias("t2"),
        pl.col("i").cast(pl.Int32).cast(pl.UInt8, strict=False).alias("nc"),
    ],
}


@pytest.mark.parametrize("name", sorted(_EDGES))
def test_edge_semantics(name: str) -> None:
    stages = [_EDGES[name]]
    ours = _run(compile_stages(stages, _EDGE_SCHEMA), [dict(r) for r in _EDGE_ROWS])
    theirs = _run(reference(stages, _EDGE_SCHEMA), [dict(r) for r in _EDGE_ROWS])
    assert _typed(ours) == _typed(theirs)


def test_stages_read_the_columns_as_the_last_stage_left_them() -> None:
    stages = [[(pl.col("i") + 1).alias("i"), pl.col("i").alias("old")], [(pl.col("i") * 10).alias("k")]]
    rows = [dict(r) for r in _EDGE_ROWS]
    compile_stages(stages, _EDGE_SCHEMA)(rows)
    assert [(r["i"], r["old"], r["k"]) for r in rows] == [(8, 7, 80), (-6, -7, -60), (None, None, None), (1, 0, 10)]


@pytest.mark.parametrize(
    "expr",
    [pl.col("i").sum().alias("x"), pl.col("i").cum_sum().over("j").alias("x"), pl.col("i").rank().alias("x")],
)
def test_what_is_not_row_wise_is_refused(expr: pl.Expr) -> None:
    with pytest.raises(Unsupported):
        compile_stages([[expr]], _EDGE_SCHEMA)


def test_industry_group_lookup() -> None:
    """A Series literal (the 300号 lookup of jiuye.sizing) is the whole series, not its first value."""
    from jiuye.sizing import industry_group

    stages = [[industry_group(pl.col("x")).alias("group")]]
    codes = ["C39", "3911", "C", "5920", "A0111", "99", "", None, "Z9", "0", "1234567", "F5"]
    ours, theirs = [{"x": c} for c in codes], [{"x": c} for c in codes]
    compile_stages(stages, {"x": pl.String})(ours)
    reference(stages, {"x": pl.String})(theirs)
    assert ours == theirs
    assert {r["group"] for r in ours} >= {"工业", "仓储业"}


def test_a_program_pickles_as_its_own_constants() -> None:
    """Folding constants with eval() puts the builtins in the compiler's namespace; a pickled
    program carries only its own constants (an extension module may add unpicklable objects to
    the builtins)."""
    import pickle

    program = compile_stages([[(pl.lit(2) * 3 + pl.col("i")).alias("k")]], _EDGE_SCHEMA)
    assert "__builtins__" not in program.constants
    rows = [dict(r) for r in _EDGE_ROWS]
    pickle.loads(pickle.dumps(program))(rows)
    assert [r["k"] for r in rows] == [13, -1, None, 6]
