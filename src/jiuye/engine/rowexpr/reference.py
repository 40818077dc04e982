"""The row program evaluated by Polars itself: slow, and by definition right (the test oracle)."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from jiuye.engine.rowexpr.program import Row, Stages, output_schema

__all__ = ["ReferenceProgram", "compile_stages"]


class ReferenceProgram:
    def __init__(self, stages: Stages, schema: Mapping[str, pl.DataType]) -> None:
        self.stages = [list(s) for s in stages]
        self.input = dict(schema)
        self.schema = output_schema(self.stages, schema)

    def __call__(self, rows: list[Row]) -> None:
        if not rows:
            return
        frame = pl.DataFrame([{c: r.get(c) for c in self.input} for r in rows], schema=self.input, orient="row")
        lf = frame.lazy()
        for exprs in self.stages:
            lf = lf.with_columns(*exprs)
        added = [c for c in self.schema if c not in self.input or _replaced(c, self.stages)]
        for row, out in zip(rows, lf.select(added).collect().to_dicts(), strict=True):
            row.update(out)


def _replaced(name: str, stages: list[list[pl.Expr]]) -> bool:
    return any(e.meta.output_name(raise_if_undetermined=False) == name for s in stages for e in s)


def compile_stages(stages: Stages, schema: Mapping[str, pl.DataType]) -> ReferenceProgram:
    return ReferenceProgram(stages, schema)
