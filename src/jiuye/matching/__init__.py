"""Proactive matching (政策找人 / 免申即享): every measure over whole registries, with the budget."""

from jiuye.matching.run import MatchResult, match_registry

__all__ = ["MatchResult", "match_registry"]
