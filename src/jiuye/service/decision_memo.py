"""A bounded memo of the engine's decisions on claims, keyed by everything that determines one.

A decision on a claim is a function of: the facts document, the measure, the claimant named in
the facts, the region, the evaluation date, the parameter set, the measure's rule module and the
engine version (what :mod:`jiuye.engine.provenance` records of it), and the protector's keys that
turn identities into ledger items. The key below holds each of them, so a hit returns exactly
what evaluating again would (the case page, a retry after a conflict, a second look the same
day). The parameters enter as a digest of the whole set, taken once when the engine is given a
set (:class:`ParameterState`): an upload of local parameter files gives the engine a new set,
whose new digest misses every entry made under the old one (and the engine drops the old memo).

The protector is fixed for an engine's life (one memo per engine), and the facts' own parameter
settings are part of the facts document, hence of its hash.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jiuye.engine.provenance import ENGINE_VERSION, digest, rule_provenance
from jiuye.params import ParameterSet

if TYPE_CHECKING:
    from jiuye.service.claims import Assessment

__all__ = ["DEFAULT_SIZE", "MAX_ITEMS", "DecisionKey", "DecisionMemo", "ParameterState", "parameters_digest"]

#: Entries kept (named assumption: a day's cases of a district office). Least recently used go first.
DEFAULT_SIZE = 4096
#: Larger assessments are not kept (named assumption): an item is a few hundred bytes, so the memo
#: stays within ~100 MB, and a claim of hundreds of persons costs far more to evaluate than to look up.
MAX_ITEMS = 64


def parameters_digest(params: ParameterSet) -> str:
    """The digest of every parameter with every dated entry (value, dates, citation, note)."""
    return digest(params.params)


@dataclass(frozen=True)
class ParameterState:
    """A parameter set with its memo (and its digest, taken at the first decision: an engine built
    and never asked pays nothing): replaced together, in one assignment, so that a request that
    read the old set never stores into (or reads from) the new set's memo."""

    params: ParameterSet
    memo: DecisionMemo

    @classmethod
    def of(cls, params: ParameterSet, size: int = DEFAULT_SIZE) -> ParameterState:
        return cls(params, DecisionMemo(size))

    @functools.cached_property
    def digest(self) -> str:
        return parameters_digest(self.params)  # computed twice at worst, by two first requests: the same


@dataclass(frozen=True)
class DecisionKey:
    measure_id: str
    claimant_ref: str
    region: str
    as_of: dt.date
    facts_hash: str  # the canonical facts document (its own parameter settings included)
    parameters: str  # parameters_digest of the set evaluated with
    rules: str  # the measure's rule module (its bytes) and the engine version

    @classmethod
    def of(
        cls, measure_id: str, claimant_ref: str, region: str, as_of: dt.date, facts_hash: str, parameters: str
    ) -> DecisionKey:
        return cls(measure_id, claimant_ref, region, as_of, facts_hash, parameters, _rules(measure_id))


@functools.cache
def _rules(measure_id: str) -> str:
    """Fixed for the process (code is not reloaded while it runs): kept in the key so that the
    key names everything the provenance records."""
    return f"{ENGINE_VERSION}:{rule_provenance(measure_id, ()).source_hash}"


def _copy(assessment: Assessment) -> Assessment:
    """A copy the caller may change without changing the memo's entry."""
    return dataclasses.replace(
        assessment,
        reasons=list(assessment.reasons),
        items=list(assessment.items),  # the items themselves are frozen
        provenance=copy.deepcopy(assessment.provenance),
    )


class DecisionMemo:
    """Least-recently-used assessments by :class:`DecisionKey`; safe to share between threads."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[DecisionKey, Assessment] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: DecisionKey) -> Assessment | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
        return _copy(found)

    def put(self, key: DecisionKey, assessment: Assessment) -> None:
        if self.size <= 0 or len(assessment.items) > MAX_ITEMS:
            return
        kept = _copy(assessment)
        with self._lock:
            self._entries[key] = kept
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
