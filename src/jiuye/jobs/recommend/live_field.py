"""One BM25 field of :class:`~.live.LivePostingIndex`, scored at query time exactly as ``bm25s`` scores its index.

``bm25s`` (Lucene variant, k1 = 1.5, b = 0.75, float32) computes each (document, word) score when it indexes:
``idf = log(1 + (N - df + 0.5) / (df + 0.5))`` stored as float32, ``tfc = tf / (k1 * ((1 - b) + b * l_d / l_avg)
+ tf)`` with ``l_avg`` the mean length (float64), the product stored as float32; a query sums a document's scores
in float32 in the query's word order. This field does the same operations in the same order over its active rows,
so that the numbers agree to the last bit with an index built afresh from those rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from jiuye.jobs.recommend.index import BoolArray, FloatArray, IntArray

__all__ = ["LiveField"]

#: bm25s defaults, which :class:`~.index.PostingIndex` uses.
_K1 = 1.5
_B = 0.75


class LiveField:
    """One BM25 field: per word (an integer id) its postings (rows, term frequencies) in chunks; per row its
    distinct word ids and their frequencies; document frequencies and the total length over the active rows."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.chunk_rows: list[list[IntArray]] = []
        self.chunk_tfs: list[list[F32Array]] = []
        self.df = np.zeros(0, dtype=np.int64)
        self.length = np.zeros(0, dtype=np.int64)
        self.row_ids: list[IntArray] = []
        self.row_tfs: list[IntArray] = []
        self.total = 0  # words in the active rows
        self._scores: dict[int, tuple[IntArray, F32Array]] = {}
        self._todo: list[int] | None = None  # words left to warm (see :meth:`warm`)

    def add(self, first_row: int, docs: Sequence[Sequence[str]]) -> None:
        """Rows ``first_row …`` with these words (inactive until switched on)."""
        vocab = self.vocab
        ids = np.array([vocab.setdefault(w, len(vocab)) for doc in docs for w in doc], dtype=np.int64)
        lengths = np.array([len(doc) for doc in docs], dtype=np.int64)
        size = len(vocab)
        if size > self.df.size:
            self.df = np.concatenate((self.df, np.zeros(max(size - self.df.size, self.df.size), dtype=np.int64)))
        self.chunk_rows += [[] for _ in range(size - len(self.chunk_rows))]
        self.chunk_tfs += [[] for _ in range(size - len(self.chunk_tfs))]
        self.length = np.concatenate((self.length, lengths))
        if ids.size == 0:  # no words at all in this field
            self.row_ids += [ids] * len(docs)
            self.row_tfs += [ids] * len(docs)
            return
        doc = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
        keys, counts = np.unique(doc * size + ids, return_counts=True)  # by row, then word
        rows, words = keys // size, keys % size
        bounds = np.searchsorted(rows, np.arange(len(docs) + 1))
        for i in range(len(docs)):
            self.row_ids.append(words[bounds[i] : bounds[i + 1]])
            self.row_tfs.append(counts[bounds[i] : bounds[i + 1]])
        order = np.argsort(words, kind="stable")  # by word, rows ascending within a word
        words, rows, tfs = words[order], rows[order] + first_row, counts[order].astype(np.float32)
        distinct, starts = np.unique(words, return_index=True)
        ends = np.append(starts[1:], words.size)
        for word, start, end in zip(distinct.tolist(), starts.tolist(), ends.tolist(), strict=True):
            self.chunk_rows[word].append(rows[start:end])
            self.chunk_tfs[word].append(tfs[start:end])
            self._scores.pop(word, None)
        self._todo = None

    def switch(self, rows: Sequence[int], step: int) -> None:
        """Count ``rows`` in (``step`` 1) or out (-1) of the statistics."""
        if not len(rows):
            return
        np.add.at(self.df, np.concatenate([self.row_ids[r] for r in rows]), step)
        self.total += step * int(self.length[np.asarray(rows, dtype=np.int64)].sum())
        self._scores.clear()
        self._todo = None

    def words(self, row: int, names: list[str]) -> list[str]:
        """The row's words again (as a bag: BM25 does not depend on their order)."""
        return [names[w] for w, tf in zip(self.row_ids[row].tolist(), self.row_tfs[row].tolist(), strict=True)
                for _ in range(tf)]  # fmt: skip

    def scores(self, query: Sequence[str], active: BoolArray, n_active: int, size: int) -> FloatArray | None:
        """BM25 of every row (0 for inactive rows), as ``bm25s`` scores its index; ``None`` without a query word."""
        ids = [i for i in (self.vocab.get(w) for w in query) if i is not None and self.df[i] > 0]
        if not ids:
            return None
        total = np.zeros(size, dtype=np.float32)
        for word in ids:
            rows, values = self._word(word, active, n_active)
            total[rows] += values  # rows are distinct: the same additions as bm25s' np.add.at, in query order
        return np.asarray(total, dtype=np.float64)

    def warm(self, active: BoolArray, n_active: int, budget: int) -> int:
        """Score up to ``budget`` words not scored since the last change (most postings first); returns how many
        were left unscored."""
        if n_active == 0:
            return 0
        if self._todo is None:  # after a change: every word, most postings first
            words = np.flatnonzero(self.df[: len(self.vocab)] > 0)
            self._todo = words[np.argsort(-self.df[words], kind="stable")].tolist()[::-1]
        for _ in range(min(budget, len(self._todo))):
            word = self._todo.pop()
            if word not in self._scores:
                self._word(word, active, n_active)
        return len(self._todo)

    def _word(self, word: int, active: BoolArray, n_active: int) -> tuple[IntArray, F32Array]:
        cached = self._scores.get(word)
        if cached is not None:
            return cached
        if len(self.chunk_rows[word]) > 1:  # merge the chunks once
            self.chunk_rows[word] = [np.concatenate(self.chunk_rows[word])]
            self.chunk_tfs[word] = [np.concatenate(self.chunk_tfs[word])]
        rows, tf = self.chunk_rows[word][0], self.chunk_tfs[word][0]
        keep = active[rows]
        rows, tf = rows[keep], tf[keep]
        lengths = self.length[rows]
        df = int(self.df[word])
        # bm25s: idf_array (float32) from math.log; tfc = tf / (k1 * ((1 - b) + b * l_d / l_avg) + tf) with
        # l_avg = np.mean of the lengths (float64); score = idf * tfc stored as float32.
        idf = np.float32(math.log(1 + (n_active - df + 0.5) / (df + 0.5)))
        mean = np.float64(self.total) / n_active
        tfc = tf / (_K1 * ((1 - _B) + _B * lengths / mean) + tf)
        values = (idf * tfc).astype(np.float32)
        self._scores[word] = (rows, values)
        return rows, values

    # Pickled as a few flat arrays (hundreds of thousands of small arrays load slowly).
    _LISTS = ("row_ids", "row_tfs")
    _CHUNKS = ("chunk_rows", "chunk_tfs")

    def __getstate__(self) -> dict[str, Any]:
        skip = ("_scores", "_todo", *self._LISTS, *self._CHUNKS)
        state = {k: v for k, v in self.__dict__.items() if k not in skip}
        for name in self._LISTS:
            state[name] = _pack(getattr(self, name))
        for name in self._CHUNKS:
            state[name] = _pack([np.concatenate(c) if c else np.empty(0, dtype=np.int64) for c in getattr(self, name)])
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name in self._LISTS:
            state[name] = _unpack(*state[name])
        for name in self._CHUNKS:
            state[name] = [[a] for a in _unpack(*state[name])]
        self.__dict__.update(state)
        self._scores, self._todo = {}, None


def _pack(arrays: list[Any]) -> tuple[Any, IntArray]:
    ends = np.cumsum([a.size for a in arrays], dtype=np.int64)
    return (np.concatenate(arrays) if arrays else np.empty(0)), ends


def _unpack(flat: Any, ends: IntArray) -> list[Any]:
    starts = np.concatenate(([0], ends[:-1])).tolist() if ends.size else []
    return [flat[a:b] for a, b in zip(starts, ends.tolist(), strict=True)]


F32Array = np.ndarray[Any, np.dtype[np.float32]]
