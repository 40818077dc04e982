"""The reviewed lexicon of job-board words → 职业分类大典 (2022) codes (``board_titles.yaml``).

The 大典's own names are formal (营销员, 中式烹调师); job boards write 销售, 业务员, 厨师, 普工. The
lexicon bridges the two for the trade words every board uses. It was written by hand from knowledge
of the 大典 and of Chinese job boards, not mined from any evaluation file. Each entry lists the codes
a word usually means, best first; a word matched at the end of a title (the head noun) counts more
than one in front of it.
"""

from __future__ import annotations

import functools
import importlib.resources
from dataclasses import dataclass

import yaml

from jiuye.jobs.occupations.taxonomy import load_taxonomy

__all__ = ["SENIOR_WORDS", "BoardWord", "LexiconError", "board_lexicon", "board_words"]

#: Words that mark a managerial or engineering post; the 大典 puts these in 第二大类 (专业技术人员).
SENIOR_WORDS = ("经理", "主管", "总监", "主任", "部长", "工程师", "负责人")


@dataclass(frozen=True, slots=True)
class BoardWord:
    """One job-board word and the occupations it usually names (best first)."""

    word: str
    codes: tuple[str, ...]
    #: Codes used first when a seniority word (:data:`SENIOR_WORDS`) follows the word in the title.
    senior: tuple[str, ...]
    #: The lexicon entry's note, shown in explanations ('招聘平台常用词').
    note: str


class LexiconError(ValueError):
    """board_titles.yaml is malformed (the message names the entry)."""


@functools.cache
def _data() -> dict[str, object]:
    text = importlib.resources.files("jiuye.jobs.occupations").joinpath("board_titles.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise LexiconError("board_titles.yaml 应为含 entries 列表的映射")
    return data


def _read() -> list[dict[str, object]]:
    entries = _data().get("entries")
    if not isinstance(entries, list):
        raise LexiconError("board_titles.yaml 缺少 entries 列表")
    return entries


@functools.cache
def board_lexicon() -> dict[str, BoardWord]:
    """Word → :class:`BoardWord`; checks that every code exists in the 大典 (cached)."""
    taxonomy = load_taxonomy()
    lexicon: dict[str, BoardWord] = {}
    for i, entry in enumerate(_read(), start=1):
        codes = entry.get("codes")
        words = entry.get("words")
        note = str(entry.get("note") or "")
        if not isinstance(codes, list) or not codes or not isinstance(words, list) or not words:
            raise LexiconError(f"board_titles.yaml 第 {i} 个条目缺少 codes 或 words")
        senior = entry.get("senior") or []
        if not isinstance(senior, list):
            raise LexiconError(f"board_titles.yaml 第 {i} 个条目（{words[0]}）的 senior 应为编码列表")
        for code in [*codes, *senior]:
            if str(code) not in taxonomy or not taxonomy.get(str(code)).leaf:
                raise LexiconError(
                    f"board_titles.yaml 第 {i} 个条目（{words[0]}）的编码 {code} 不是职业分类大典中的细类"
                )
        for word in words:
            key = str(word).lower()
            if key in lexicon:
                raise LexiconError(f"board_titles.yaml 中“{key}”重复出现（第 {i} 个条目）")
            lexicon[key] = BoardWord(key, tuple(str(c) for c in codes), tuple(str(c) for c in senior), note)
    return lexicon


def board_words() -> list[str]:
    """All words of the lexicon (lower-case)."""
    return list(board_lexicon())
