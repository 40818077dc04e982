"""A posting index updated in place: postings added, replaced, closed and expired without a rebuild.

:class:`~.index.PostingIndex` is built once (tokenising every posting and indexing three BM25 fields takes
~9 s at 100,000 postings). A service answering recommendations keeps one :class:`LivePostingIndex` instead
and applies each change to it. It ranks **exactly** as a ``PostingIndex`` built afresh from the postings
open on the same day, sorted by id (the tests compare them after series of changes):

* **Active rows** — the index holds every posting it was given that has not closed for good, but only the
  rows open on its day (:meth:`LivePostingIndex.roll`) count: in the BM25 statistics (number of documents,
  document frequencies, mean length) and in the eligible mask. Moving to another day switches rows on and off.
* **BM25 at query time** — the per-word scores are computed as ``bm25s`` computes them when it indexes
  (Lucene variant, k1 = 1.5, b = 0.75, float32, the same operations in the same order) from the active
  statistics, and summed in the query's word order, so the numbers are identical to the last bit. They are
  cached per word until the next change.
* **Ties** go to the smaller posting id (:meth:`LivePostingIndex.tie_keys`), which is the row order of an
  index built from postings sorted by id.
* Replaced and closed postings leave dead rows; they are never eligible and are dropped by :meth:`compact`
  once they outnumber the live ones.

Not thread-safe by itself: the owner (:mod:`jiuye.service.posting_index`) holds ``lock`` around updates and
queries.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from jiuye.jobs.codec import posting_from_dict, posting_to_dict
from jiuye.jobs.model import Posting
from jiuye.jobs.recommend.filters import required_education, salary_top
from jiuye.jobs.recommend.index import (
    _NO_END,
    POSTING_FIELD_WEIGHTS,
    BoolArray,
    FloatArray,
    IntArray,
    PostingLookups,
    _or_minus,
    _region_number,
    _skill_tokens,
    occupation_group,
)
from jiuye.jobs.recommend.live_field import LiveField
from jiuye.jobs.recommend.tokens import normalise_skill, skill_atoms, tokens

__all__ = ["LivePostingIndex", "posting_words"]

_COLUMNS: dict[str, Any] = {
    "open_from": np.int64, "open_to": np.int64, "region": np.int64, "education": np.int64, "min_years": np.int64,
    "for_graduates": np.bool_, "pay_top": np.int64, "pay_low": np.int64, "skill_count": np.int64,
    "active": np.bool_, "alive": np.bool_,
}  # fmt: skip

Words = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def posting_words(posting: Posting) -> Words:
    """The words of a posting's three BM25 fields (title, skills, description), as ``PostingIndex`` cuts them."""
    return tuple(tokens(posting.title)), tuple(_skill_tokens(posting.skills)), tuple(tokens(posting.description))


class _Lists:
    """Key → rows (compact ``array`` storage; numpy copies cached until the list grows)."""

    def __init__(self) -> None:
        self._rows: dict[str, array[int]] = {}
        self._cache: dict[str, IntArray] = {}

    def add(self, key: str, row: int) -> None:
        self._rows.setdefault(key, array("q")).append(row)
        self._cache.pop(key, None)

    def rows(self, key: str) -> IntArray:
        found = self._cache.get(key)
        if found is None:
            stored = self._rows.get(key)
            found = np.array(stored, dtype=np.int64) if stored is not None else np.empty(0, dtype=np.int64)
            self._cache[key] = found
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __getstate__(self) -> dict[str, Any]:
        return {"_rows": self._rows}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._rows, self._cache = state["_rows"], {}


class _LiveText:
    """The weighted fields; a query's score is the weighted sum, as :class:`~.index._Text` computes it."""

    def __init__(self, owner: LivePostingIndex) -> None:
        self.owner = owner
        self.fields = {name: LiveField() for name in POSTING_FIELD_WEIGHTS}

    def scores(self, query: Sequence[str]) -> FloatArray:
        owner = self.owner
        size = len(owner)
        total = np.zeros(size, dtype=np.float64)
        if owner.active_count == 0:
            return total
        for name, field in self.fields.items():
            scores = field.scores(query, owner.active, owner.active_count, size)
            if scores is not None:
                total += POSTING_FIELD_WEIGHTS[name] * scores
        return total


class LivePostingIndex(PostingLookups):
    """Postings for job recommendations, updated in place (see the module notes)."""

    text: _LiveText
    occupations: _Lists
    groups: _Lists
    skills: _Lists

    def __init__(self, postings: Iterable[Posting] = (), *, on: dt.date) -> None:
        self.lock = threading.RLock()
        #: The day whose open postings are active.
        self.day = on
        self.postings: list[Posting | None] = []
        self.position = {}
        self._size = 0
        self._columns = {name: np.zeros(1024, dtype=dtype) for name, dtype in _COLUMNS.items()}
        self.active_count = 0
        self.text = _LiveText(self)
        self.occupations = _Lists()
        self.groups = _Lists()
        self.skills = _Lists()
        self._atoms = {}
        self._tags_by_word = {}
        self._keys: IntArray | None = None
        #: Bumped on every change (callers may cache on it).
        self.generation = 0
        self.upsert(postings)

    # --- columns (views of the used part of each array) ------------------------------------------------

    def _column(self, name: str) -> Any:
        return self._columns[name][: self._size]

    open_from = property(lambda self: self._column("open_from"))
    open_to = property(lambda self: self._column("open_to"))
    region = property(lambda self: self._column("region"))
    education = property(lambda self: self._column("education"))
    min_years = property(lambda self: self._column("min_years"))
    for_graduates = property(lambda self: self._column("for_graduates"))
    pay_top = property(lambda self: self._column("pay_top"))
    pay_low = property(lambda self: self._column("pay_low"))
    skill_count = property(lambda self: self._column("skill_count"))
    active = property(lambda self: self._column("active"))
    alive = property(lambda self: self._column("alive"))

    def __len__(self) -> int:
        return self._size

    @property
    def live_count(self) -> int:
        """Postings held (open on the day or not)."""
        return len(self.position)

    def __contains__(self, posting_id: object) -> bool:
        return posting_id in self.position

    def ids(self) -> Iterator[str]:
        return iter(self.position)

    def tie_keys(self) -> IntArray:
        """Each row's rank by posting id (dead rows last): equal scores go to the smaller id."""
        if self._keys is None or self._keys.size != self._size:
            names = ["\U0010ffff"] * self._size
            for posting_id, row in self.position.items():
                names[row] = posting_id
            ids = np.array(names, dtype=str)
            keys = np.empty(self._size, dtype=np.int64)
            keys[np.argsort(ids, kind="stable")] = np.arange(self._size, dtype=np.int64)
            self._keys = keys
        return self._keys

    def eligible(self, seeker: Any, on: dt.date, exclude: Any = ()) -> BoolArray:
        """As :meth:`.index.PostingLookups.eligible`, over the rows active on ``on`` (rolled there first)."""
        self.roll(on)
        mask: BoolArray = super().eligible(seeker, on, exclude) & self.active
        return mask

    # --- changes ------------------------------------------------------------------------------------------

    def upsert(self, postings: Iterable[Posting], words: Iterable[Words] | None = None) -> int:
        """Add postings, replacing any held under the same id (the last of a repeated id wins); returns how many.

        ``words``: their :func:`posting_words`, when already cut (a compaction)."""
        batch = list(postings)
        cut = list(words) if words is not None else [posting_words(p) for p in batch]
        latest = {p.id: i for i, p in enumerate(batch)}
        keep = [i for i, p in enumerate(batch) if latest[p.id] == i]
        batch, cut = [batch[i] for i in keep], [cut[i] for i in keep]
        regions = [_region_number(p.region, f"岗位 {p.id} ") for p in batch]  # refused before anything changes
        if not batch:
            return 0
        self.remove(p.id for p in batch)
        self._append(batch, cut, regions)
        self._changed()
        return len(batch)

    def remove(self, ids: Iterable[str]) -> int:
        """Drop postings (closed, withdrawn, expired); returns how many were held."""
        rows = [row for row in (self.position.pop(i, None) for i in ids) if row is not None]
        if not rows:
            return 0
        active = self._columns["active"]
        self._switch([r for r in rows if active[r]], on=False)
        self._columns["alive"][rows] = False
        for row in rows:
            self.postings[row] = None
        self._changed()
        if self._size - self.live_count > max(1024, self.live_count):
            self.compact()
        return len(rows)

    def roll(self, on: dt.date) -> None:
        """Make the postings open on ``on`` the active ones."""
        if on == self.day:
            return
        self.day = on
        should = self._open(np.arange(self._size)) & self.alive
        changed = should != self.active
        self._switch(np.flatnonzero(changed & should).tolist(), on=True)
        self._switch(np.flatnonzero(changed & ~should).tolist(), on=False)
        if changed.any():
            self._changed()

    def warm(self, budget: int = 500) -> bool:
        """Compute the BM25 scores of up to ``budget`` words per field ahead of queries (a query then only adds
        them up); returns whether every word is scored. Call with ``lock`` held, repeatedly, in the background."""
        left = 0
        for field in self.text.fields.values():
            left += field.warm(self.active, self.active_count, budget)
        return left == 0

    def expired(self, on: dt.date) -> list[str]:
        """Ids of held postings whose last day is before ``on`` (they will never be open again)."""
        rows = np.flatnonzero(self.alive & (self.open_to < on.toordinal()))
        gone = set(rows.tolist())
        return [posting_id for posting_id, row in self.position.items() if row in gone]

    def compact(self) -> None:
        """Rebuild the rows from the live postings (no re-tokenising); rankings are unchanged."""
        fields = list(self.text.fields.values())
        names = [list(f.vocab) for f in fields]  # ids were given in insertion order
        held = [(row, p) for row, p in enumerate(self.postings) if p is not None]
        words = [
            (fields[0].words(r, names[0]), fields[1].words(r, names[1]), fields[2].words(r, names[2])) for r, _ in held
        ]
        fresh = LivePostingIndex(on=self.day)
        fresh.upsert((p for _, p in held), words)  # type: ignore[arg-type]
        lock, generation = self.lock, self.generation
        self.__dict__.update(fresh.__dict__)
        self.lock, self.generation = lock, generation
        self.text.owner = self
        self._changed()

    def _changed(self) -> None:
        self.generation += 1
        self._keys = None

    def _open(self, rows: IntArray) -> BoolArray:
        day = self.day.toordinal()
        c = self._columns
        mask: BoolArray = (c["open_from"][rows] <= day) & (day <= c["open_to"][rows])
        return mask

    def _append(self, batch: list[Posting], words: list[Words], regions: list[int]) -> None:
        first, n = self._size, len(batch)
        if first + n > self._columns["active"].size:
            grow = max(first + n, 2 * self._columns["active"].size)
            self._columns = {
                k: np.concatenate((v, np.zeros(grow - v.size, dtype=v.dtype))) for k, v in self._columns.items()
            }
        self._size += n
        rows = np.arange(first, first + n, dtype=np.int64)
        self.postings += batch
        for row, posting in zip(rows.tolist(), batch, strict=True):
            self.position[posting.id] = row
        tags = [{normalise_skill(s) for s in p.skills} - {""} for p in batch]
        c = self._columns
        c["open_from"][rows] = [p.open_on.toordinal() if p.open_on else 0 for p in batch]
        c["open_to"][rows] = [p.close_on.toordinal() if p.close_on else _NO_END for p in batch]
        c["region"][rows] = regions
        c["education"][rows] = [int(required_education(p)) for p in batch]
        c["min_years"][rows] = [p.experience.min_years if p.experience else 0 for p in batch]
        c["for_graduates"][rows] = [bool(p.experience and p.experience.for_fresh_graduates) for p in batch]
        c["pay_top"][rows] = [_or_minus(salary_top(p)) for p in batch]
        c["pay_low"][rows] = [
            _or_minus(p.salary.monthly_low if p.salary and not p.salary.negotiable else None) for p in batch
        ]
        c["skill_count"][rows] = [len(t) for t in tags]
        c["alive"][rows] = True
        c["active"][rows] = False
        for i, field in enumerate(self.text.fields.values()):
            field.add(first, [w[i] for w in words])
        for row, posting, found in zip(rows.tolist(), batch, tags, strict=True):
            if posting.occupation_code:
                self.occupations.add(posting.occupation_code, row)
                self.groups.add(occupation_group(posting.occupation_code), row)
            for tag in found:
                if tag not in self._atoms:
                    self._atoms[tag] = atoms = skill_atoms(tag)
                    for atom in atoms:
                        self._tags_by_word.setdefault(atom, []).append(tag)
                self.skills.add(tag, row)
        self._switch(rows[self._open(rows)].tolist(), on=True)

    def _switch(self, rows: list[int], *, on: bool) -> None:
        if not rows:
            return
        self._columns["active"][rows] = on
        step = 1 if on else -1
        self.active_count += step * len(rows)
        for field in self.text.fields.values():
            field.switch(rows, step)

    # --- persistence (pickle) ------------------------------------------------------------------------------

    # Postings are saved as their JSON and decoded when a query first needs one: unpickling 100,000 postings
    # (nested dataclasses, Decimals) took most of the load time, and a query explains a few hundred at most.

    def __getstate__(self) -> dict[str, Any]:
        state = {k: v for k, v in self.__dict__.items() if k not in ("lock", "_keys")}
        state["postings"] = [_encoded(p) for p in list.__iter__(self.postings)]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["postings"] = _LazyPostings(state["postings"])
        self.__dict__.update(state)
        self.lock = threading.RLock()
        self._keys = None


def _encoded(posting: Posting | str | None) -> str | None:
    if posting is None or isinstance(posting, str):
        return posting
    return json.dumps(posting_to_dict(posting), ensure_ascii=False)


class _LazyPostings(list):  # type: ignore[type-arg]
    """Postings held as JSON until read (see ``__getstate__``); reads happen with the index lock held."""

    def __getitem__(self, row: Any) -> Any:
        value = super().__getitem__(row)
        if isinstance(value, str):
            value = posting_from_dict(json.loads(value))
            super().__setitem__(row, value)
        return value

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(len(self)))
