"""A match's decisions as written to decisions.parquet: each with its measure's title and rule
hash, the beneficiary's name, money in yuan and the near-miss words.

The rows are read from the match's spool (:mod:`jiuye.matching.spool`, where the names and words
were added as each block was decided), lazily: the outputs stream them to disk."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import polars as pl

from jiuye.matching.run import MatchResult
from jiuye.matching.sheets import yuan

__all__ = ["DECISION_COLUMNS", "DecisionTable", "decision_table"]

DECISION_COLUMNS = (
    "measure",
    "title",
    "subject_kind",
    "subject_id",
    "subject_name",
    "region",
    "status",
    "amount",
    "ceiling",
    "fund",
    "selected",
    "chosen",
    "rule_hash",
    "near_miss",
    "near_miss_condition",
    "near_miss_gap",
    "near_miss_text",
)


@dataclass(frozen=True)
class DecisionTable:
    """The decisions of a match, then its near misses (decisions.parquet is the one, then the
    other), each in the match's order: measures as in the catalog, then by beneficiary."""

    result: MatchResult

    def _extra(self) -> dict[str, dict[str, str | None]]:
        rules = self.result.rules
        return {
            m.id: {"title": m.title, "rule_hash": rules[m.id].rule_hash if m.id in rules else None}
            for m in self.result.measures
        }

    def scan(self, *, near: bool, measures: Collection[str] | None = None, misses: bool = False) -> pl.LazyFrame:
        """The decisions (or the near misses) of ``measures`` (or all) in DECISION_COLUMNS;
        ``misses``: only from the parts that hold a near miss."""
        parts = self.result.spool.scan(near=near, extra=self._extra(), measures=measures, misses=misses)
        return parts.with_columns(yuan(), yuan("ceiling_fen", "ceiling")).select(DECISION_COLUMNS)

    def whole(self) -> pl.LazyFrame:
        return pl.concat([self.scan(near=False), self.scan(near=True)], how="vertical")


def decision_table(result: MatchResult) -> DecisionTable:
    return DecisionTable(result)
