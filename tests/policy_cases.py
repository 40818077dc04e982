"""Load the readable YAML cases that sit beside each rule (``<measure>.cases.yaml``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

POLICIES = Path(__file__).resolve().parents[1] / "src" / "jiuye" / "policies"


@dataclass
class Case:
    file: Path
    measure: str
    name: str
    as_of: dt.date
    region: str | None
    facts: dict[str, Any]
    expect: list[dict[str, Any]]
    measures: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.measure}: {self.name}"


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(POLICIES.rglob("*.cases.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        for raw in data["cases"]:
            cases.append(
                Case(
                    file=path,
                    measure=data["measure"],
                    name=raw["name"],
                    as_of=raw["as_of"],
                    region=str(raw["region"]) if raw.get("region") else None,
                    facts=raw.get("facts") or {},
                    expect=raw["expect"],
                    measures=raw.get("measures") or [data["measure"]],
                )
            )
    return cases
