"""How each measure stands in time: new, or continuing an earlier basis (docs/time.md).

A continuing measure (延续实施, 加力落实, or restated 按规定) keeps its base from its earliest
basis; each restating document changes only what it names. ``lineage.yaml`` records, per
measure, the words that say so, the basis, the restating documents and the parameters each
restating document changed, so that tests can hold the engine to it. Each jurisdiction's
package keeps its own file (``gx/lineage.yaml``, ``xxq/lineage.yaml``, ``cn/lineage.yaml``).
"""

from __future__ import annotations

import functools
import importlib.resources
from dataclasses import dataclass, field
from typing import Any

import yaml

from jiuye.params.model import Reference

__all__ = ["KINDS", "Lineage", "lineages"]

KINDS = ("continuing", "new")


@dataclass(frozen=True)
class Lineage:
    measure: str
    kind: str  # continuing | new
    words: Reference  # the clause that continues, steps up or restates (or creates) it
    basis: str  # documents.yaml id of the earliest basis
    restated_by: tuple[str, ...] = ()
    # restating document → the parameters whose values it changed (the new increment)
    changes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    note: str = ""


_PACKAGES = ("gx", "xxq", "cn")


@functools.cache
def lineages() -> dict[str, Lineage]:
    raw: dict[str, dict[str, Any]] = {}
    for package in _PACKAGES:
        node = importlib.resources.files("jiuye.policies").joinpath(package, "lineage.yaml")
        if node.is_file():
            raw.update((yaml.safe_load(node.read_text("utf-8")) or {}).get("measures") or {})
    out = {}
    for measure, spec in raw.items():
        words = spec["words"]
        out[measure] = Lineage(
            measure,
            spec["kind"],
            Reference(str(words["document"]), str(words["clause"]), str(words.get("quote", ""))),
            spec["basis"],
            tuple(spec.get("restated_by") or ()),
            {doc: tuple(names) for doc, names in (spec.get("changes") or {}).items()},
            spec.get("note", ""),
        )
    return out
