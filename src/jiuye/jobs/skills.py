"""The skills lexicon (``skills.yaml``): canonical skill names with aliases, and finding skills in text.

Posting descriptions, skill tags, resume text and form entries name the same skill many ways
(``C1驾照``/``C1``/``小车驾照``; ``ps``/``Photoshop``). :func:`skills_in` finds every known skill in a text
and returns canonical names; :func:`canonical_skill` maps one tag as written.

>>> skills_in("熟练使用Excel、PS，持C1驾照，有电工证者优先")
('Excel', 'Photoshop', 'C1驾驶证', '电工证')
>>> skills_in("精通 JavaScript")   # "java" is not found inside "javascript"
('JavaScript',)
>>> canonical_skill("小车驾照")
'C1驾驶证'
>>> canonical_skill("吃苦耐劳") is None
True
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import yaml

from jiuye.errors import JiuyeError

__all__ = ["Skill", "SkillLexiconError", "canonical_skill", "normalise_skill_text", "skill_lexicon", "skills_in"]

_SPACE = re.compile(r"\s+")


class SkillLexiconError(JiuyeError, ValueError):
    """skills.yaml is malformed (the message names the entry)."""

    code = "SKILL_LEXICON_INVALID"


@dataclass(frozen=True, slots=True)
class Skill:
    """One skill: its canonical ``name``, ``category`` key and label, and every alias (normalised)."""

    name: str
    category: str
    category_label: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    skills: dict[str, Skill]  # name → skill
    by_alias: dict[str, str]  # normalised alias → name
    pattern: re.Pattern[str]


def normalise_skill_text(text: str) -> str:
    """NFKC, lower case, runs of whitespace as one space: how aliases and texts are compared."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def _latin_or_digit(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _bounded(text: str, start: int, end: int) -> bool:
    """A Latin alias does not continue a Latin word: ``java`` is not in ``javascript``, ``ps`` not in
    ``gps``, ``b2`` not in ``b2b``; a letter may be followed by a version digit (``java8``, ``vue3``)."""
    first, last = text[start], text[end - 1]
    if start > 0 and _latin_or_digit(first):
        before = text[start - 1]
        if before.isascii() and (before.isalpha() or (first.isdigit() and before.isdigit())):
            return False
    if end < len(text) and _latin_or_digit(last):
        after = text[end]
        if after.isascii() and (after.isalpha() or (last.isdigit() and after.isdigit())):
            return False
    return True


@functools.cache
def _lexicon() -> _Lexicon:
    text = importlib.resources.files("jiuye.jobs").joinpath("skills.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("skills"), list):
        raise SkillLexiconError("skills.yaml 应为含 categories 与 skills 的映射")
    categories = data.get("categories") or {}
    skills: dict[str, Skill] = {}
    by_alias: dict[str, str] = {}
    for i, entry in enumerate(data["skills"], start=1):
        if not isinstance(entry, dict) or not entry.get("name"):
            raise SkillLexiconError(f"skills.yaml 第 {i} 个技能缺少 name")
        name = str(entry["name"])
        category = str(entry.get("category") or "")
        if category not in categories:
            raise SkillLexiconError(f"skills.yaml 技能“{name}”的类别 {category!r} 不在 categories 中")
        if name in skills:
            raise SkillLexiconError(f"skills.yaml 技能“{name}”重复出现（第 {i} 个）")
        aliases = tuple(dict.fromkeys(normalise_skill_text(a) for a in [name, *(entry.get("aliases") or [])]))
        for alias in aliases:
            if not alias:
                raise SkillLexiconError(f"skills.yaml 技能“{name}”有空别名")
            if alias in by_alias:
                raise SkillLexiconError(f"skills.yaml 别名“{alias}”同时属于“{by_alias[alias]}”与“{name}”")
            by_alias[alias] = name
        skills[name] = Skill(name, category, str(categories[category]), aliases)
    # Longest alias first: at any position the regex takes the longest alias that matches there.
    ordered = sorted(by_alias, key=lambda a: (-len(a), a))
    # Plain literals (no lookarounds, which make the regex ten times slower); word edges are checked after.
    pattern = re.compile("|".join(re.escape(a) for a in ordered))
    return _Lexicon(skills, by_alias, pattern)


def skill_lexicon() -> Mapping[str, Skill]:
    """Every skill of ``skills.yaml`` by canonical name (loaded and checked once)."""
    return _lexicon().skills


def canonical_skill(text: str) -> str | None:
    """The canonical name of a skill written as ``text`` (a whole tag or form entry), else ``None``."""
    return _lexicon().by_alias.get(normalise_skill_text(text))


def skills_in(text: str | None) -> tuple[str, ...]:
    """Canonical names of every known skill mentioned in ``text``, in order of first mention.

    Aliases are matched leftmost, longest first, without overlap (``低压电工证`` is one skill, not also
    ``电工证``). Negations are not read: ``无需驾照`` still mentions a driving licence.
    """
    if not text:
        return ()
    lexicon = _lexicon()
    text = normalise_skill_text(text)
    found: dict[str, None] = {}
    position = 0
    while (m := lexicon.pattern.search(text, position)) is not None:
        if _bounded(text, m.start(), m.end()):
            found.setdefault(lexicon.by_alias[m.group()], None)
            position = m.end()
        else:
            position = m.start() + 1
    return tuple(found)
