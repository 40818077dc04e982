"""Facts model: what the engine needs to know about persons, employers and their relations.

The pydantic model is imported on first use of these names: ``jiuye.facts.enums`` (which the
parameters, the engine and the catalog read) does not pay for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jiuye.facts.load import facts_from_data, load_facts
    from jiuye.facts.model import Facts

__all__ = ["Facts", "facts_from_data", "load_facts"]


def __getattr__(name: str) -> Any:
    if name == "Facts":
        from jiuye.facts.model import Facts

        return Facts
    if name in ("facts_from_data", "load_facts"):
        from jiuye.facts import load

        return getattr(load, name)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
