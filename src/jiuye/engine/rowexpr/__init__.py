"""Polars expressions evaluated row by row in plain Python, for the single case.

A single case has a handful of rows; Polars pays a fixed cost per plan and per expression that
is hundreds of times the work (issue 13: ~2.7 ms a measure). The batch keeps Polars; a single
case runs the same expressions, compiled from their serialised form into Python functions over
dict rows (:mod:`jiuye.engine.rowexpr.compile`). Values are what ``DataFrame.to_dicts()`` gives:
int, float, str, bool, ``datetime.date``, ``Decimal``, list, or ``None`` for null.

An expression the compiler does not know raises :class:`Unsupported`; the caller then runs that
measure through Polars. ``reference`` has the same interface, evaluated by Polars: the oracle of
the differential tests.
"""

from __future__ import annotations

from jiuye.engine.rowexpr.program import RowProgram, Unsupported

__all__ = ["RowProgram", "Unsupported"]
