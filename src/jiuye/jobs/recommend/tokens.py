"""Chinese tokenisation for job retrieval, with the occupation classifier's user dictionary.

rjieba (jieba-rs), as :mod:`jiuye.jobs.occupations.classify` uses, in search mode (long words also yield
their sub-words: 数据分析师 → 数据, 分析, 分析师, 数据分析师). The user dictionary is the one the classifier
builds — every 职业分类大典 (2022) name and alias and every word of the reviewed board lexicon — read
through the same public sources (:func:`~jiuye.jobs.occupations.taxonomy.load_taxonomy`,
:func:`~jiuye.jobs.occupations.lexicon.board_words`), so that a title is cut the same way in both places.

>>> tokens("Python数据分析师")
['python', '数据', '分析', '分析师', '数据分析师']
>>> normalise_skill(" ＳＱＬ ")
'sql'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import rjieba

from jiuye.jobs.occupations.lexicon import board_words
from jiuye.jobs.occupations.taxonomy import load_taxonomy

__all__ = ["SkillProfile", "clauses", "normalise_skill", "skill_atoms", "skill_profile", "tokenizer", "tokens"]

_WORD_RE = re.compile(r"[\u4e00-\u9fff]|[a-z0-9]")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
_SPACE_RE = re.compile(r"\s+")
#: Board aliases list alternatives (普工/操作工); each alternative is a dictionary word too.
_ALIAS_SPLIT_RE = re.compile(r"[/、]")
#: Where a clause of free text ends.
_CLAUSE_RE = re.compile(r"[，,。；;、：:！!？?\n\r\t()（）【】\[\]|]+")


@functools.cache
def tokenizer() -> rjieba.Jieba:
    """A private rjieba instance whose dictionary knows the 大典's names and aliases and the lexicon's words."""
    words: set[str] = set(board_words())
    for occupation in load_taxonomy():
        for phrase in (occupation.name, *occupation.aliases):
            key = phrase.lower()
            words.update((key, *_ALIAS_SPLIT_RE.split(key)))
    jieba = rjieba.Jieba()
    for word in sorted(words):
        if len(word) >= 2 and _HAN_RE.search(word):
            jieba.add_word(word, None, None)
    return jieba


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def tokens(text: str) -> list[str]:
    """Search-mode tokens of ``text`` (NFKC, lower case), punctuation and spaces dropped."""
    if not text.strip():
        return []
    return [t for t in (t.strip() for t in tokenizer().cut_for_search(_clean(text), True)) if _WORD_RE.search(t)]


def normalise_skill(skill: str) -> str:
    """A skill tag as compared: NFKC, lower case, single spaces (``Ｅｘｃｅｌ`` = ``excel``)."""
    return _SPACE_RE.sub(" ", _clean(skill)).strip()


@functools.lru_cache(maxsize=65536)
def skill_atoms(skill: str) -> frozenset[str]:
    """The smallest words of a skill tag (search-mode tokens that contain no other token of it).

    >>> sorted(skill_atoms("驾驶证C1")), sorted(skill_atoms("数据分析"))
    (['c1', '驾驶'], ['分析', '数据'])
    """
    found = tokens(skill)
    return frozenset(t for t in found if not any(o != t and o in t for o in found))


@dataclass(frozen=True, slots=True)
class SkillProfile:
    """What a person can be matched on: their skill tags, and the words of each clause they wrote.

    Tags are labels (boards and forms offer them from a list) and are compared whole: 数据运营 does not give
    运营. Free text is prose in which a skill appears embedded (熟悉税务申报), so there a skill counts when all
    its smallest words occur in one clause — one clause, so that 数据分析…，用户运营 does not make 数据运营.
    """

    #: Normalised skill tags (:func:`normalise_skill`).
    tags: frozenset[str]
    #: Search-mode tokens of each clause of the text.
    units: tuple[frozenset[str], ...]

    @property
    def words(self) -> frozenset[str]:
        """Every word of every unit."""
        return frozenset().union(*self.units)

    def has(self, skill: str) -> bool:
        """A posting's skill tag is matched when the person lists it (normalised), or when all its smallest words
        occur in one clause of what they wrote (``税务申报`` in ``熟悉税务申报``; ``驾驶证C1`` in ``持有C1驾驶证``)."""
        key = normalise_skill(skill)
        if key in self.tags:
            return True
        atoms = skill_atoms(key)
        return bool(atoms) and any(atoms <= unit for unit in self.units)


def clauses(text: str) -> list[str]:
    """The clauses of a text (split at punctuation, list marks and line breaks).

    >>> clauses("熟悉Excel、Word；持有C1驾驶证。")
    ['熟悉Excel', 'Word', '持有C1驾驶证']
    """
    return [c.strip() for c in _CLAUSE_RE.split(text) if c.strip()]


def skill_profile(skills: Iterable[str], text: str = "") -> SkillProfile:
    """The :class:`SkillProfile` of a person from their skill tags and their own words."""
    listed = [s for s in skills if s.strip()]
    tags = frozenset(normalise_skill(s) for s in listed) - {""}
    units = (frozenset(tokens(clause)) for clause in clauses(text))
    return SkillProfile(tags, tuple(u for u in units if u))
