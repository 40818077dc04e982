"""When a dated value became known: its document's date, or the loader's own ``published``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jiuye.params import Parameter, Reference, ValueEntry
from jiuye.params.publication import document_dates, entry_as_known, published_on

D = dt.date
DATES = document_dates()


@dataclass(frozen=True)
class _Dated(ValueEntry):
    """An entry as the loader will give it once ValueEntry carries ``published``."""

    published: dt.date | None = None


def test_a_value_is_known_from_the_date_of_the_document_it_cites() -> None:
    entry = ValueEntry(D(2025, 1, 1), 1, Reference("gxys", "（一）"))
    assert published_on(entry, DATES) == D(2025, 8, 25)
    assert published_on(ValueEntry(D(2025, 1, 1), 1, None, assumption="本地设定"), DATES) is None
    assert published_on(ValueEntry(D(2025, 1, 1), 1, Reference("未登记", "一")), DATES) is None


def test_the_loaders_own_publication_date_wins() -> None:
    entry = _Dated(D(2025, 1, 1), 1, Reference("gxys", "（一）"), published=D(2025, 9, 1))
    assert published_on(entry, DATES) == D(2025, 9, 1)


def test_the_entry_governing_an_event_depends_on_what_was_published_by_then() -> None:
    base = ValueEntry(D(2025, 1, 1), "60%", Reference("rsbf2025-18", "稳岗返还"))
    raised = ValueEntry(D(2025, 3, 1), "90%", Reference("gxys", "（十四）"))
    param = Parameter("x", "x", "text", (base, raised))
    event = D(2025, 4, 1)
    assert entry_as_known(param, event, known_by=D(2025, 6, 30), dates=DATES) == base
    assert entry_as_known(param, event, known_by=D(2025, 8, 25), dates=DATES) == raised
    assert entry_as_known(param, event, known_by=None, dates=DATES) == raised
    assert entry_as_known(param, D(2024, 12, 31), known_by=None, dates=DATES) is None
