"""Facts model: what the engine needs to know about persons, employers and their relations."""

from jiuye.facts.load import facts_from_data, load_facts
from jiuye.facts.model import Facts

__all__ = ["Facts", "facts_from_data", "load_facts"]
