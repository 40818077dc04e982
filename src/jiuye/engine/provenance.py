"""Provenance of a decision: which engine, which rules and parameter values, which input.

Each decision can be reproduced and checked later from four things:

* the engine version (the package version);
* a **rule hash** per measure: SHA-256 over the canonical serialisation of its rule module's
  bytes (the declaration, with the clause quoted) and of every parameter value entry it used
  (value, dates, reference, assumption: any field an entry carries);
* the **parameter dates** that applied (name → the ``since`` of the entry used; None for a
  parameter not yet in force);
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
    parameter_dates: dict[str, str | None]  # name → since of the entry used (None: not in force)


def rule_provenance(measure_id: str, used: Mapping[str, ValueEntry], missing: Iterable[str] = ()) -> RuleProvenance:
    entries: dict[str, ValueEntry | None] = {**dict.fromkeys(missing), **used}
    source = _source_hash(measure_id)
    rule = digest({"measure": measure_id, "source": source, "parameters": entries})
    dates = {name: e.since.isoformat() if e else None for name, e in sorted(entries.items())}
    return RuleProvenance(measure_id, rule, source, dates)


def rules_for(measures: Iterable[Measure], params: ParameterSet, as_of: dt.date) -> list[RuleProvenance]:
    """Each measure's rule provenance without any data: the parameter values it reads at
    ``as_of`` do not depend on the rows (for a batch run elsewhere, such as Spark)."""
    import polars as pl

    from jiuye.engine.evaluate import run_measure  # evaluation needs Polars; hashing does not

    empty = pl.DataFrame({"row_id": []}, schema={"row_id": pl.UInt32})
    out = []
    for measure in measures:
        run = run_measure(measure, empty, params=params, as_of=as_of, default_region=None, location=(),
                          keep_trace=False)  # fmt: skip
        out.append(rule_provenance(measure.id, run.params_used, run.not_in_force))
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
