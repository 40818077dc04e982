"""Provenance of a decision: which engine, which rules and parameter values, which input.

Each decision can be reproduced and checked later from four things:

* the engine version (the package version);
* a **rule hash** per measure: SHA-256 over the canonical serialisation of its rule module's
  bytes (the declaration, with the clause quoted) and of every parameter value entry it used
  (value, dates, reference, assumption: any field an entry carries);
* the **parameter dates** that applied (name → the ``since`` of each value used, one per epoch
  of the event axis; empty for a parameter not yet in force);
* an **input hash**: the canonical JSON of the facts document, or the bytes of the registry files.

Same inputs give the same hashes on any machine; a changed parameter, rule text or fact changes
them. Hashes are of whole documents, so they identify an input without revealing it.

>>> digest({"b": 1, "a": [1, "二"]}) == digest({"a": [1, "二"], "b": 1})
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import importlib.util
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jiuye import __version__
from jiuye.params.model import ParameterSet, ValueEntry

if TYPE_CHECKING:
    from jiuye.engine.evaluate import MeasureRun
    from jiuye.engine.measure import Measure

__all__ = [
    "ENGINE_VERSION",
    "Provenance",
    "RuleProvenance",
    "canonical",
    "digest",
    "facts_hash",
    "files_hash",
    "provenance_of",
    "rule_provenance",
    "rules_for",
    "run_provenance",
]

ENGINE_VERSION = __version__
_CHUNK = 1 << 20


def canonical(value: Any) -> Any:
    """A JSON-ready form that depends only on the value (dict keys sorted when dumped)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [canonical(v) for v in value]
        return sorted(items, key=json.dumps) if isinstance(value, set | frozenset) else items
    return str(value)


def digest(value: Any) -> str:
    text = json.dumps(canonical(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def _module_hash(module: str) -> str:
    spec = importlib.util.find_spec(module)
    origin = spec.origin if spec else None
    if not origin:
        return digest(module)  # no file (a measure built at run time): its name stands for it
    return hashlib.sha256(Path(origin).read_bytes()).hexdigest()


def _source_hash(measure_id: str) -> str:
    from jiuye.policies.registry import module_of  # the policies import the engine

    return _module_hash(module_of(measure_id) or measure_id)


@dataclass(frozen=True)
class RuleProvenance:
    """One measure's rules and the parameter values they used."""

    measure: str
    rule_hash: str
    source_hash: str  # the rule module's bytes
    # name → the ``since`` of each value used, one per epoch of the event axis in which it differs
    # (empty: the parameter has no value yet, the measure is not in force)
    parameter_dates: dict[str, list[str]]


def rule_provenance(
    measure_id: str, used: Iterable[Mapping[str, ValueEntry]], missing: Iterable[str] = (), jurisdiction: str = ""
) -> RuleProvenance:
    """``used``: the values read, per epoch (span of event dates under one set of values);
    ``jurisdiction``: the region code the measure applied in (read apart from the epochs)."""
    entries: dict[str, list[ValueEntry]] = {name: [] for name in missing}
    for epoch in used:
        for name, entry in epoch.items():
            listed = entries.setdefault(name, [])
            if entry not in listed:
                listed.append(entry)
    ordered = {name: sorted(found, key=lambda e: e.since) for name, found in sorted(entries.items())}
    source = _source_hash(measure_id)
    rule = digest({"measure": measure_id, "source": source, "parameters": ordered, "jurisdiction": jurisdiction})
    dates = {name: [e.since.isoformat() for e in found] for name, found in ordered.items()}
    return RuleProvenance(measure_id, rule, source, dates)


def run_provenance(run: MeasureRun) -> RuleProvenance:
    """The provenance of an evaluated measure: the values of every epoch of its event axis, as
    known on the evaluation date (whichever rows fell in them)."""
    missing = {name for epoch in run.epochs for name in epoch.params.missing}
    return rule_provenance(run.measure.id, [epoch.params.used for epoch in run.epochs], missing, run.jurisdiction)


def rules_for(measures: Iterable[Measure], params: ParameterSet, as_of: dt.date) -> list[RuleProvenance]:
    """Each measure's rule provenance without any data: its epochs and the values they read are
    fixed by the parameters and the evaluation date, not by the rows (for a batch run elsewhere,
    such as Spark)."""
    from jiuye.engine.applicability import jurisdiction_code  # these need Polars; hashing does not
    from jiuye.engine.epochs import epochs_of

    out = []
    for measure in measures:
        epochs = epochs_of(measure, params, as_of)
        missing = {name for epoch in epochs for name in epoch.params.missing}
        used = [epoch.params.used for epoch in epochs]
        out.append(rule_provenance(measure.id, used, missing, jurisdiction_code(params, measure, as_of)))
    return out


def facts_hash(facts: Any) -> str:
    """The canonical JSON of a facts document (a pydantic model, or plain data)."""
    data = facts.model_dump(mode="json") if hasattr(facts, "model_dump") else facts
    return digest(data)


def files_hash(paths: Iterable[Path], root: Path) -> str:
    """The bytes of input files, each named by its path under ``root`` (a registry directory)."""
    files = sorted(p for path in paths for p in ([path] if path.is_file() else path.rglob("*")) if p.is_file())
    outer = hashlib.sha256()
    for path in files:
        inner = hashlib.sha256()
        with path.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                inner.update(chunk)
        outer.update(f"{path.relative_to(root).as_posix()}\0{inner.hexdigest()}\n".encode())
    return outer.hexdigest()


@dataclass(frozen=True)
class Provenance:
    """A run's provenance: one engine, one input, the rules of each measure it evaluated."""

    engine_version: str
    input_kind: str  # facts | registry
    input_hash: str | None  # None: the caller did not say what the input was
    as_of: dt.date
    region: str | None
    rules: dict[str, RuleProvenance] = field(default_factory=dict)

    @property
    def rule_set_hash(self) -> str:
        return digest(sorted((m, r.rule_hash) for m, r in self.rules.items()))

    def decision(self, measure_id: str) -> dict[str, Any]:
        """What each decision of ``measure_id`` carries."""
        rule = self.rules.get(measure_id)
        return {
            "engine_version": self.engine_version,
            "rule_hash": rule.rule_hash if rule else None,
            "parameter_dates": dict(rule.parameter_dates) if rule else {},
            f"{self.input_kind}_hash": self.input_hash,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "engine_version": self.engine_version,
            "rule_set_hash": self.rule_set_hash,
            f"{self.input_kind}_hash": self.input_hash,
            "as_of": self.as_of.isoformat(),
            "region": self.region,
            "rules": {m: canonical(r) for m, r in sorted(self.rules.items())},
        }


def provenance_of(
    rules: Iterable[RuleProvenance],
    *,
    input_kind: str,
    input_hash: str | None,
    as_of: dt.date,
    region: str | None,
) -> Provenance:
    return Provenance(ENGINE_VERSION, input_kind, input_hash, as_of, region, {r.measure: r for r in rules})
