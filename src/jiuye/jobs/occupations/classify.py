"""Job title → 职业分类大典 (2022) occupation code, zero-shot (no training data).

Pipeline for one title:

1. Normalisation (:mod:`.titles`): strip recruitment noise, salary, headcount, places, employer prefixes,
   bracketed remarks; keep the part that names the job.
2. Tokenisation with rjieba (jieba-rs), whose dictionary is extended at start-up with every 大典 name
   and alias and every lexicon word (no download), in search mode so that long names also yield
   their sub-words. rjieba rather than jieba: it is typed (``py.typed``), loads its dictionary in about
   0.1 s instead of about 1 s, and ``add_word`` works on a private ``Jieba()`` instance instead of
   jieba's process-wide state.
3. BM25 (bm25s) over each leaf occupation's fields — name, aliases, definition, tasks, and the names
   of its groups — combined with field weights. Words the index does not know back off to character
   bigrams matched against names and aliases.
4. Phrase evidence: the longest lexicon words (``board_titles.yaml``) and 大典 names/aliases found in
   the title add a bonus; a lexicon word overrides an alias spelled the same, and an alias of a group
   (小类/中类) gives the bonus to all its leaves. The head noun — the phrase that ends the title, where
   Chinese job titles put the occupation (奶茶店店员 → 店员 … 调饮师), rank words such as 主管/专员
   after it not counting — gets a larger bonus; other phrases count by how much of the title they
   cover. A lexicon word followed by 经理/主管/工程师 … switches to the codes the lexicon gives for
   managers and engineers (销售 → 营销员, 销售部经理 → 市场营销专业人员).

Only leaf occupations (细类, and the few 小类 without 细类) are returned. For accuracy a leaf is never
worse than its 小类: a label ``4-03-02-00`` accepts any ``4-03-02-xx``, while a label ``4-03-02-10``
rejects the prediction ``4-03-02-00``. Callers that prefer to show a 小类 when unsure can use
:attr:`Candidate.group` and :attr:`Candidate.score`. A title that names no occupation at all gets
8-00-00-00 (不便分类的其他从业人员) as its last candidate.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

import bm25s  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt
import rjieba

from jiuye.jobs.occupations.lexicon import SENIOR_WORDS, BoardWord, board_lexicon
from jiuye.jobs.occupations.taxonomy import Occupation, Taxonomy, load_taxonomy
from jiuye.jobs.occupations.titles import HEAD_CHARACTERS, NormalisedTitle, normalise_title

__all__ = [
    "UNCLASSIFIED",
    "Candidate",
    "ClassifierOptions",
    "OccupationClassifier",
    "classify",
    "classify_many",
    "default_classifier",
]

FloatArray = npt.NDArray[np.float64]
_T = TypeVar("_T")

# --- Parameters: assumptions set by hand, then checked against the aggregate dev accuracy (never per row);
# --- the benchmark shows that results move little when they change by ±50 %.
#: BM25 weight of each field: the name and the board aliases say what the job is called; the definition,
#: duties and group names describe it in formal words a title rarely uses.
FIELD_WEIGHTS = {"name": 3.0, "aliases": 2.0, "definition": 1.0, "tasks": 0.5, "group": 0.5}
#: Weight of the character-bigram backoff field, relative to the word fields.
NGRAM_WEIGHT = 1.0
#: Bonus for a 大典 name or alias found in the title (BM25 contributes at most 1).
ALIAS_BONUS = 1.5
#: Bonus for a lexicon word found in the title (first code; each later code gets LEXICON_DECAY times less).
LEXICON_BONUS = 1.2
LEXICON_DECAY = 0.6
#: Weight of a phrase that ends the title (the head noun): HEAD_FACTOR × (1 + its share of the title) / 2,
#: so a short head after long modifiers still counts; a phrase elsewhere weighs its share of the title.
HEAD_FACTOR = 1.5
#: Rank words that say nothing about the trade; left out of the BM25 query when the title has other words.
GENERIC_WORDS = frozenset({"高级", "资深", "初级", "中级"})
#: 不便分类的其他从业人员: offered when a title names no occupation at all.
UNCLASSIFIED = "8-00-00-00"
#: At most this many candidates from one 小类, so that the list also offers neighbouring groups.
MAX_PER_GROUP = 3

_ALIAS_SPLIT_RE = re.compile(r"[/、]")
#: Alternatives that name a rank, not an occupation ('产品专员/助理' must not make '助理' an alias).
_RANK_WORDS = frozenset(
    {"助理", "专员", "经理", "主管", "总监", "技术员", "技师", "工程师", "负责人", "主任", "专家", "学徒", "文员"}
)
#: Rank words that may follow the occupation, with the department word before them ('物流部主管').
_RANK_SUFFIX_RE = re.compile(
    r"(?:(?:部|处|科)?(?:专员|助理|经理|主管|总监|主任|组长|负责人|专家|总|实习生|储备|技师|师傅|学徒|大工|中工|小工))+$"
)
_WORD_RE = re.compile(r"[\u4e00-\u9fff]|[a-z0-9+#.]+")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
_EXPLAINED_FIELDS = {"name": "名称", "aliases": "别名", "definition": "定义", "tasks": "职责"}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One suggested occupation for a title."""

    code: str
    name: str
    score: float
    #: Why, in Chinese: which words, alias, lexicon entry or rule matched.
    explanation: str
    #: The 小类 code the occupation belongs to (for callers that prefer a coarser code when unsure).
    group: str


@dataclass(frozen=True, slots=True)
class ClassifierOptions:
    """Switches for the pipeline's components (all on by default; the benchmark turns them off one by one)."""

    normalise: bool = True
    lexicon: bool = True
    head_noun: bool = True
    ngrams: bool = True
    aliases: bool = True
    fields: dict[str, float] = field(default_factory=lambda: dict(FIELD_WEIGHTS))


@dataclass(slots=True)
class _Evidence:
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def _bigrams(text: str) -> list[str]:
    han = "".join(_HAN_RE.findall(text))
    return ["#" + han[i : i + 2] for i in range(len(han) - 1)]


def _maximal(text: str, known: dict[str, _T]) -> list[tuple[str, int, int]]:
    """Known phrases inside ``text`` not contained in a longer known one: (phrase, start, end)."""
    found = []
    for start in range(len(text)):
        for end in range(len(text), start + 1, -1):
            if text[start:end] in known:
                found.append((text[start:end], start, end))
                break
    return [
        (p, s, e) for p, s, e in found if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for _, s2, e2 in found)
    ]


class OccupationClassifier:
    """A BM25 index over the 大典's leaf occupations plus phrase and lexicon evidence."""

    def __init__(self, taxonomy: Taxonomy | None = None, options: ClassifierOptions | None = None) -> None:
        started = time.perf_counter()
        self.taxonomy = taxonomy or load_taxonomy()
        self.options = options or ClassifierOptions()
        self._leaves: list[Occupation] = self.taxonomy.leaves()
        self._position = {o.code: i for i, o in enumerate(self._leaves)}
        self._lexicon: dict[str, BoardWord] = board_lexicon() if self.options.lexicon else {}
        phrases = self._collect_phrases()
        self._phrases = phrases if self.options.aliases else {}
        # The tokenizer's user dictionary: every 大典 name and alias and every lexicon word.
        self._jieba = rjieba.Jieba()
        for word in sorted({*phrases, *self._lexicon}):
            if len(word) >= 2 and _HAN_RE.search(word):
                self._jieba.add_word(word, None, None)
        texts = {
            "name": [o.name for o in self._leaves],
            "aliases": [" ".join(o.aliases) for o in self._leaves],
            "definition": [o.definition for o in self._leaves],
            "tasks": [" ".join(o.tasks) for o in self._leaves],
            "group": [self._group_text(o) for o in self._leaves],
        }
        self._fields: dict[str, bm25s.BM25] = {}
        self._vocabulary: set[str] = set()
        #: Token sets per explained field, for explanations.
        self._field_tokens: dict[str, list[frozenset[str]]] = {}
        for name, weight in self.options.fields.items():
            corpus = [self._tokens(t) for t in texts[name]]
            if name in _EXPLAINED_FIELDS:
                self._field_tokens[name] = [frozenset(doc) for doc in corpus]
            if weight > 0:
                self._vocabulary.update(t for doc in corpus for t in doc)
                self._fields[name] = self._index(corpus)
        if self.options.ngrams:
            self._fields["ngram"] = self._index([_bigrams(o.name + " " + " ".join(o.aliases)) for o in self._leaves])
        #: Seconds spent building the index (reported by the benchmark).
        self.build_seconds = time.perf_counter() - started

    # --- index construction -------------------------------------------------------------------------

    def _collect_phrases(self) -> dict[str, set[str]]:
        """大典 names and aliases (lower-case) → the codes they name (leaves, or groups to spread over)."""
        phrases: dict[str, set[str]] = {}
        for o in self.taxonomy:
            for phrase in (o.name, *o.aliases):
                key = phrase.lower()
                # Board aliases list alternatives: '普工/操作工'. Titles are split at '/' too, so an
                # alternative that ends like an occupation word (工, 员, 师 …) is a phrase of its own;
                # fragments ('汽车/摩托车工程师' → '汽车') and bare ranks ('专员/助理') are not.
                split = _ALIAS_SPLIT_RE.split(key)
                parts = [key, *(p for p in split if p[-1:] in HEAD_CHARACTERS and p not in _RANK_WORDS)]
                for part in dict.fromkeys(parts):
                    if len(part) >= 2:
                        phrases.setdefault(part, set()).add(o.code)
        return phrases

    def _group_text(self, o: Occupation) -> str:
        """Names and aliases of the groups an occupation belongs to (中类, 小类)."""
        groups = [self.taxonomy.get(p) for p in o.parents[1:]]
        return " ".join(t for g in groups for t in (g.name, *g.aliases))

    @staticmethod
    def _index(corpus: list[list[str]]) -> bm25s.BM25:
        index = bm25s.BM25()
        index.index(corpus, show_progress=False)
        return index

    def _tokens(self, text: str) -> list[str]:
        """Search-mode tokens: words, and for long dictionary words also their sub-words."""
        return [t for t in (t.strip() for t in self._jieba.cut_for_search(text.lower(), True)) if _WORD_RE.search(t)]

    # --- classification -----------------------------------------------------------------------------

    def _bm25(self, text: str, tokens: list[str]) -> FloatArray:
        """Weighted BM25 over the fields, scaled so that the best leaf scores 1 (zeros if nothing matches)."""
        query = [t for t in tokens if t not in GENERIC_WORDS] or tokens
        total = np.zeros(len(self._leaves))
        for name, weight in self.options.fields.items():
            if name in self._fields and query:
                total += weight * np.asarray(self._fields[name].get_scores(query), dtype=np.float64)
        if "ngram" in self._fields:
            grams = [g for t in tokens if t not in self._vocabulary for g in _bigrams(t)]
            if not total.any():
                grams = _bigrams(text)  # nothing known at all: fall back to the whole title's bigrams
            if grams:
                total += NGRAM_WEIGHT * np.asarray(self._fields["ngram"].get_scores(grams), dtype=np.float64)
        best = float(total.max())
        return total / best if best > 0 else total

    def _phrase_evidence(self, text: str) -> tuple[dict[int, _Evidence], bool]:
        """Bonuses from lexicon words and 大典 names/aliases found in ``text``; and whether any was found."""
        evidence: dict[int, _Evidence] = {}

        def add(code: str, amount: float, reason: str) -> None:
            leaves = [code] if code in self._position else [o.code for o in self.taxonomy.within(code) if o.leaf]
            for leaf in leaves:
                e = evidence.setdefault(self._position[leaf], _Evidence())
                e.score += amount
                if reason not in e.reasons:
                    e.reasons.append(reason)

        # Rank words after the occupation ('电商美工主管', '招商运营专员') do not move the head noun.
        core_end = len(_RANK_SUFFIX_RE.sub("", text)) or len(text)

        def weight(start: int, end: int) -> tuple[float, str]:
            if end >= core_end and self.options.head_noun:
                return HEAD_FACTOR * (1 + (end - start) / len(text)) / 2, "（位于标题末尾，为中心词）"
            return (end - start) / len(text), ""

        lexicon_matches = _maximal(text, self._lexicon)
        # The reviewed lexicon overrides the package's aliases for the same phrase.
        alias_matches = [m for m in _maximal(text, self._phrases) if m[0] not in self._lexicon]
        for phrase, start, end in lexicon_matches:
            entry = self._lexicon[phrase]
            w, where = weight(start, end)
            codes, rule = list(entry.codes), ""
            senior = next((s for s in SENIOR_WORDS if s in text[end:]), None)
            if entry.senior and senior:
                codes = [*entry.senior, *(c for c in codes if c not in entry.senior)]
                rule = f"，后接“{senior}”按管理/专业技术岗归类"
            for rank, code in enumerate(codes):
                add(
                    code,
                    LEXICON_BONUS * w * LEXICON_DECAY**rank,
                    f"招聘常用词“{phrase}”通常指{entry.note}{where}{rule}",
                )
        for phrase, start, end in alias_matches:
            w, where = weight(start, end)
            for code in sorted(self._phrases[phrase]):
                o = self.taxonomy.get(code)
                kind = "名称" if o.name.lower() == phrase else "别名"
                group = "" if o.leaf else f"（{o.name}类）"
                add(code, ALIAS_BONUS * w, f"标题含大典{kind}“{phrase}”{group}{where}")
        return evidence, bool(lexicon_matches or alias_matches)

    def classify(self, title: str, k: int = 5) -> list[Candidate]:
        """The ``k`` most likely occupations for a job title, best first.

        An empty list only for ``k <= 0``; a title with no occupation word gets 不便分类的其他从业人员.
        """
        if k <= 0:
            return []
        norm = normalise_title(title) if self.options.normalise else NormalisedTitle(title, title.lower(), (), ())
        text = norm.text.strip()
        if not text:
            reason = _Evidence(0.0, ["标题去掉招聘用语后没有剩下职业名称，归不便分类的其他从业人员"])
            return [self._candidate(self._position[UNCLASSIFIED], reason, norm, [], "")]
        tokens = self._tokens(text)
        evidence, found = self._phrase_evidence(text)
        bm25 = self._bm25(text, tokens)
        for hit in np.flatnonzero(bm25 > 0):
            evidence.setdefault(int(hit), _Evidence()).score += float(bm25[hit])
        chosen = self._top(evidence, k)
        if not found:
            # No occupation word at all ('兼职', '坐班无任务'): 不便分类的其他从业人员 is a fair last guess.
            other = self._position[UNCLASSIFIED]
            chosen = [(j, e) for j, e in chosen if j != other][: k - 1]
            score = min((e.score for _, e in chosen), default=0.0)
            chosen.append((other, _Evidence(score, ["标题中没有可识别的职业词，可能属不便分类的其他从业人员"])))
        head = self._head(text) if self.options.head_noun else ""
        return [self._candidate(i, e, norm, tokens, head) for i, e in chosen]

    def _top(self, evidence: dict[int, _Evidence], k: int) -> list[tuple[int, _Evidence]]:
        ranked = sorted(evidence.items(), key=lambda kv: (-kv[1].score, self._leaves[kv[0]].code))
        chosen: list[tuple[int, _Evidence]] = []
        per_group: dict[str, int] = {}
        for i, e in ranked:
            group = self._leaves[i].group
            if per_group.get(group, 0) < MAX_PER_GROUP:
                chosen.append((i, e))
                per_group[group] = per_group.get(group, 0) + 1
                if len(chosen) == k:
                    break
        return chosen

    def _head(self, text: str) -> str:
        """The head noun: the longest known phrase ending the title, else its last word."""
        for start in range(len(text) - 1):
            if text[start:] in self._phrases or text[start:] in self._lexicon:
                return text[start:]
        words = [t for t in self._jieba.cut(text, True) if _WORD_RE.search(t)]
        return words[-1] if words else ""

    def _candidate(self, i: int, e: _Evidence, norm: NormalisedTitle, tokens: list[str], head: str) -> Candidate:
        o = self._leaves[i]
        hits = []
        for name, label in _EXPLAINED_FIELDS.items():
            own = self._field_tokens.get(name)
            common = [t for t in dict.fromkeys(tokens) if own is not None and t in own[i]]
            if common:
                hits.append(f"{label}（{'、'.join(common)}）")
        parts = []
        if norm.text != norm.raw.strip().lower():
            parts.append(f"标题规范化为“{norm.text}”" if norm.text else "标题只有招聘用语")
        parts.extend(e.reasons)
        if hits:
            parts.append("词语匹配：" + "；".join(hits))
        if head and (hits or e.reasons):
            parts.append(f"中心词“{head}”")
        if not hits and not e.reasons:
            parts.append("仅字词片段相近")
        return Candidate(
            code=o.code, name=o.name, score=round(e.score, 4), explanation="；".join(parts) + "。", group=o.group
        )

    def classify_many(self, titles: Iterable[str], k: int = 5) -> list[list[Candidate]]:
        """:meth:`classify` for many titles (the index is built once)."""
        return [self.classify(t, k) for t in titles]


@functools.cache
def default_classifier() -> OccupationClassifier:
    """The classifier over the installed 大典 data, built once per process."""
    return OccupationClassifier()


def classify(title: str, k: int = 5) -> list[Candidate]:
    """The ``k`` most likely 大典 (2022) occupations for a job title, best first, each with a Chinese explanation."""
    return default_classifier().classify(title, k)


def classify_many(titles: Iterable[str], k: int = 5) -> list[list[Candidate]]:
    """:func:`classify` for many titles."""
    return default_classifier().classify_many(titles, k)
