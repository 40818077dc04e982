"""When a dated value became known, and which value governs an event as known on a day.

A value entry's ``since`` is the first qualifying event (hire, contribution month, registration)
it governs; the document it cites has a date, the day the value became known. The two differ
where a document governs events before its own date (a continued or restated measure).

>>> import datetime as dt
>>> from jiuye.params.model import Parameter, Reference, ValueEntry
>>> dates = {"new": dt.date(2025, 8, 25)}
>>> base = ValueEntry(dt.date(2025, 1, 1), 1, None, assumption="base")
>>> later = ValueEntry(dt.date(2025, 1, 1), 2, Reference("new", "（一）"))
>>> param = Parameter("x", "x", "count", (later,))
>>> published_on(later, dates)
datetime.date(2025, 8, 25)
>>> entry_as_known(param, dt.date(2025, 3, 1), known_by=dt.date(2025, 6, 30), dates=dates) is None
True
>>> entry_as_known(param, dt.date(2025, 3, 1), known_by=dt.date(2025, 8, 25), dates=dates).value
2
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from jiuye.params.model import Parameter, ValueEntry

__all__ = ["document_dates", "entry_as_known", "published_on"]


def document_dates() -> dict[str, dt.date]:
    """The date of every registered document (``policies/documents.yaml``), by short id."""
    from jiuye.policies.documents import documents  # the register lives with the policies

    return {key: doc.date for key, doc in documents().items()}


def published_on(entry: ValueEntry, dates: Mapping[str, dt.date]) -> dt.date | None:
    """The day ``entry`` became known: its own ``published`` date when the loader fills one,
    else the date of the document it cites; None for a value no registered document dates
    (a local setting or a what-if), which counts as known from the start."""
    own = getattr(entry, "published", None)
    if isinstance(own, dt.date):
        return own
    if entry.reference is None:
        return None
    return dates.get(entry.reference.document)


def known(entry: ValueEntry, known_by: dt.date | None, dates: Mapping[str, dt.date]) -> bool:
    if known_by is None:
        return True
    published = published_on(entry, dates)
    return published is None or published <= known_by


def entry_as_known(
    param: Parameter, event: dt.date, *, known_by: dt.date | None, dates: Mapping[str, dt.date]
) -> ValueEntry | None:
    """The entry governing an event on ``event``, among those published by ``known_by``."""
    current = None
    for entry in param.entries:  # sorted by ``since``
        if entry.since <= event and known(entry, known_by, dates):
            current = entry
    return current
