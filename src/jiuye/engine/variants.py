"""A measure and its variants: one id, several kinds of applicant, each over its own unit.

The catalog has one entry per measure; where a clause grants the same thing to persons and to
small enterprises (创业担保贷款), the second applicant kind is a variant declared beside the main
declaration. Everything that runs measures over unit tables runs each variant as well; the
decisions differ by beneficiary kind, so they never merge.
"""

from __future__ import annotations

from collections.abc import Iterable

from jiuye.engine.measure import Measure

__all__ = ["with_variants"]


def with_variants(measures: Iterable[Measure]) -> list[Measure]:
    """Each measure followed by its variants, in order."""
    return [x for m in measures for x in (m, *m.variants)]
