"""Weighted picks of employers near a person's home (hires, internship bases, HR agencies)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jiuye.registry.synthetic.draws import Bools, Ints

__all__ = ["Pool"]


@dataclass(frozen=True)
class Pool:
    """Employers of one sort, grouped by prefecture, each with a weight (larger ones hire more)."""

    members: Ints  # employer row numbers, sorted by prefecture
    cumulative: npt.NDArray[np.float64]
    bounds: Ints  # start of each prefecture in ``members`` (length P + 1)

    @classmethod
    def of(cls, prefecture: Ints, weight: npt.NDArray[np.float64], chosen: Bools, prefectures: int) -> Pool:
        rows = np.flatnonzero(chosen)
        rows = rows[np.argsort(prefecture[rows], kind="stable")]
        bounds = np.searchsorted(prefecture[rows], np.arange(prefectures + 1))
        return cls(rows.astype(np.int64), np.cumsum(weight[rows]), bounds.astype(np.int64))

    def __len__(self) -> int:
        return len(self.members)

    def pick(self, rng: np.random.Generator, prefecture: Ints, local_share: float) -> Ints:
        """An employer row for each person: in the person's prefecture with probability
        ``local_share`` (when it has any), anywhere otherwise. -1 when the pool is empty."""
        n = len(prefecture)
        if len(self.members) == 0:
            return np.full(n, -1, dtype=np.int64)
        start, end = self.bounds[prefecture], self.bounds[prefecture + 1]
        local = (rng.random(n) < local_share) & (end > start)
        cum = self.cumulative
        low = np.where(local & (start > 0), cum[np.maximum(start - 1, 0)], 0.0)
        high = np.where(local, cum[np.maximum(end - 1, 0)], cum[-1])
        target = low + rng.random(n) * (high - low)
        position = np.minimum(np.searchsorted(cum, target, side="right"), len(cum) - 1)
        return np.asarray(self.members[position], dtype=np.int64)
