"""A job seeker's profile (:class:`~jiuye.jobs.model.Seeker`) from a form or from pasted resume text.

A **form** is a mapping with Chinese or English keys (求职意向 / titles, 期望城市 / regions, 期望薪资,
最高学历, 工作经验, 技能, 是否应届, 困难类别 or one key per hardship such as 低保家庭: 是 …). Each value is
parsed with the posting parsers (:mod:`jiuye.jobs.parsing`), so a seeker and a posting are compared in
the same units: region codes, whole yuan per month, education levels, years.

A **resume** is free text. Values written after a label (``期望薪资：6-8K``, ``【求职意向】会计``) are read
as form values; what has no label is looked for in the whole text: years of experience (``3年会计工作经验``),
the highest education word, 应届, hardship words, and every skill of the skills lexicon (:func:`skills_in`).

>>> s = seeker_from_form({"求职意向": "会计、出纳", "期望城市": "南宁", "期望薪资": "6-8K", "最高学历": "本科",
...                       "工作经验": "应届", "技能": "Excel，C1驾照"}, classify_title=lambda t: None)
>>> s.titles, s.regions, s.salary_min, s.education.label, s.fresh_graduate, s.skills
(('会计', '出纳'), ('450100',), 6000, '本科', True, ('Excel', 'C1驾驶证'))

Values that cannot be read are reported in Chinese naming the field: a form raises
:class:`SeekerInputError` listing all of them (``strict``, the default for forms); a resume keeps what it
could read and lists the rest in :attr:`SeekerReading.notes`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from jiuye.errors import JiuyeError
from jiuye.jobs.intake import default_title_classifier
from jiuye.jobs.model import HARDSHIP_FLAGS, Seeker
from jiuye.jobs.parsing import EducationLevel, FieldParseError, parse_education, parse_experience, parse_location
from jiuye.jobs.parsing import parse_salary as _parse_salary
from jiuye.jobs.parsing.text import small_int
from jiuye.jobs.skills import canonical_skill, skills_in

__all__ = [
    "FORM_ALIASES",
    "HARDSHIP_WORDS",
    "SeekerInputError",
    "SeekerReading",
    "read_resume",
    "read_seeker_form",
    "seeker_from_form",
    "seeker_from_resume",
    "skills_in",
]

#: Form keys (and resume labels) for each profile field; English field names are accepted as well.
FORM_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "seeker_id", "编号", "求职者编号", "登记编号"),
    "titles": (
        "titles",
        "desired_titles",
        "job_intention",
        "expected_position",
        "求职意向",
        "期望职位",
        "期望岗位",
        "意向岗位",
        "意向职位",
        "求职岗位",
        "应聘岗位",
        "应聘职位",
        "目标岗位",
        "期望从事职业",
        "期望工种",
    ),
    "regions": (
        "regions",
        "cities",
        "expected_city",
        "expected_cities",
        "期望城市",
        "意向城市",
        "期望工作地点",
        "期望工作城市",
        "期望地点",
        "期望地区",
        "意向工作地点",
        "意向地区",
        "工作地点",
        "求职地点",
    ),
    "salary": (
        "salary",
        "salary_min",
        "expected_salary",
        "期望薪资",
        "期望月薪",
        "期望工资",
        "期望待遇",
        "薪资要求",
        "期望薪酬",
    ),
    "education": ("education", "degree", "highest_education", "最高学历", "学历", "文化程度"),
    "experience": (
        "experience",
        "experience_years",
        "years_of_experience",
        "work_years",
        "工作经验",
        "工作年限",
        "从业年限",
        "工龄",
        "经验",
    ),
    "skills": (
        "skills",
        "certificates",
        "技能",
        "专业技能",
        "技能特长",
        "特长",
        "证书",
        "资格证书",
        "职业资格",
        "技能证书",
    ),
    "fresh_graduate": ("fresh_graduate", "graduate", "应届毕业生", "是否应届", "是否应届生", "应届生", "应届"),
    "hardship": ("hardship", "困难类别", "困难类型", "困难情况", "家庭困难情况", "困难人员类别", "人员类别"),
    "text": (
        "text",
        "resume",
        "summary",
        "self_description",
        "自我评价",
        "自我介绍",
        "个人简介",
        "个人优势",
        "简历",
        "工作经历",
        "项目经历",
        "专业",
        "所学专业",
        "毕业院校",
        "教育经历",
    ),
    # Personal data a form may carry: not part of the matching profile, left out without remark.
    "personal": (
        "name",
        "phone",
        "mobile",
        "email",
        "gender",
        "age",
        "birthday",
        "id_number",
        "姓名",
        "性别",
        "年龄",
        "出生日期",
        "出生年月",
        "手机",
        "手机号",
        "手机号码",
        "电话",
        "联系电话",
        "邮箱",
        "电子邮箱",
        "身份证号",
        "身份证号码",
        "民族",
        "政治面貌",
        "籍贯",
        "户籍",
        "户口所在地",
        "现居住地",
        "婚姻状况",
        "身高",
        "毕业时间",
    ),
}

#: Hardship words → the person fact (:data:`jiuye.jobs.model.HARDSHIP_FLAGS`) of 桂人社发〔2025〕38号（十七）.
HARDSHIP_WORDS: dict[str, tuple[str, ...]] = {
    "low_income_family": ("低保", "最低生活保障", "low_income_family"),
    "zero_employment_family": ("零就业", "zero_employment_family"),
    "poverty_monitoring": ("防止返贫监测", "防返贫监测", "返贫监测", "监测对象", "poverty_monitoring"),
    "disabled": ("残疾", "disabled"),
}
_NO_HARDSHIP = {"无", "否", "没有", "不是", "非", "none", "no", "无困难", "不属于"}
_NEGATION = re.compile(r"(?:非|无|不是|不属于|没有)$")
_TRUE = {"是", "true", "yes", "y", "1", "√", "对", "有"}
_FALSE = {"否", "false", "no", "n", "0", "×", "x", "不是", "无", "没有"}
_ANYWHERE = {"不限", "全国", "均可", "任意", "不限地区", "都可以", "无要求", "anywhere"}
_LIST_SPLIT = re.compile(r"[、,，;；/|｜\n]+|\s+")
_SKILL_SPLIT = re.compile(r"[、,，;；|｜\n]+")
_GRADUATE = re.compile(r"(?<![非不])应届|(?P<year>20\d\d)届")
_NUM = r"\d+|[一二两三四五六七八九十]+"
# A number starts only where no digit precedes it, and is short: over a long run of digits an
# unanchored ``\d+`` is tried from every position (quadratic; seconds for a 20 000-character resume).
_YEARS = re.compile(
    r"(?<![\d一二两三四五六七八九十])(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,4})"
    r"\s*(?:年|余年)(?:以上|多|半)?(?:的)?[\u4e00-\u9fffA-Za-z]{0,8}?(?:经验|经历|工龄)"
)
_WORKED = re.compile(rf"(?:工作|从业|从事[\u4e00-\u9fff]{{0,6}}?)(?P<n>{_NUM})\s*年")
#: Education words in resume text, highest first; the first found is the highest level the text names.
_DEGREE_WORDS: tuple[tuple[str, EducationLevel], ...] = (
    ("博士", EducationLevel.DOCTOR),
    ("硕士", EducationLevel.MASTER),
    ("研究生", EducationLevel.MASTER),
    ("mba", EducationLevel.MASTER),
    ("本科", EducationLevel.BACHELOR),
    ("学士", EducationLevel.BACHELOR),
    ("大专", EducationLevel.ASSOCIATE),
    ("专科", EducationLevel.ASSOCIATE),
    ("高职", EducationLevel.ASSOCIATE),
    ("中专", EducationLevel.SENIOR_SECONDARY),
    ("中职", EducationLevel.SENIOR_SECONDARY),
    ("中技", EducationLevel.SENIOR_SECONDARY),
    ("技校", EducationLevel.SENIOR_SECONDARY),
    ("职高", EducationLevel.SENIOR_SECONDARY),
    ("高中", EducationLevel.SENIOR_SECONDARY),
    ("初中", EducationLevel.JUNIOR_MIDDLE_OR_BELOW),
)
#: Assumption: no one states more years of work than a working life (16 to 65); a larger number next to
#: 年 in a resume is a calendar year (2019年工作经历), not a duration.
MAX_WORKING_YEARS = 50

TitleClassifier = Callable[[str], str | None]


class SeekerInputError(JiuyeError, ValueError):
    """A form (or, in strict mode, a resume) has values that cannot be read; lists every one."""

    code = "SEEKER_INVALID"

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("求职信息有误：\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True, slots=True)
class SeekerReading:
    """A profile and what was noticed while reading it (Chinese): values kept as written, values not
    understood (when not strict), fields not found in a resume, keys left out."""

    seeker: Seeker
    notes: tuple[str, ...] = ()


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().strip("*").lower().replace(" ", "")


def _index() -> dict[str, str]:
    index = {_key(alias): name for name, aliases in FORM_ALIASES.items() for alias in aliases}
    for flag, words in HARDSHIP_WORDS.items():
        for word in words:
            index.setdefault(_key(word), "flag:" + flag)
    for word in ("低保家庭", "低保户", "零就业家庭", "防止返贫监测对象", "残疾人", "持证残疾人"):
        flag = next(f for f, ws in HARDSHIP_WORDS.items() if any(w in word for w in ws))
        index.setdefault(_key(word), "flag:" + flag)
    return index


_INDEX = _index()


@dataclass(slots=True)
class _Reader:
    strict: bool
    classify_title: TitleClassifier | None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def bad(self, label: str, message: str) -> None:
        (self.problems if self.strict else self.notes).append(f"{label}：{message}")


def _texts(value: object, split: re.Pattern[str]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return [t for v in value for t in _texts(v, split)]
    return [t for t in (s.strip() for s in split.split(str(value))) if t]


def _scalar(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value) or None
    text = str(value).strip()
    return text or None


def _boolean(value: object) -> bool | None:
    """是/否, true/false, 1/0 → bool; ``None`` for text of neither kind."""
    if isinstance(value, bool):
        return value
    text = _key(str(value))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def _titles(reader: _Reader, label: str, value: object) -> list[str]:
    titles = _texts(value, _LIST_SPLIT)
    if not titles:
        reader.bad(label, "为空；提示：写想做的工作，如 会计、出纳")
    return titles


def _regions(reader: _Reader, label: str, value: object) -> list[str]:
    codes: list[str] = []
    for place in _texts(value, _LIST_SPLIT):
        if _key(place) in _ANYWHERE:
            reader.notes.append(f"{label}：“{place}”表示不限地区")
            continue
        try:
            location = parse_location(place)
        except FieldParseError as exc:
            reader.bad(label, str(exc))
            continue
        if location is None or location.code is None:
            reader.bad(label, f"“{place}”不是具体地点；提示：写城市或区县，如 南宁、南宁市青秀区")
            continue
        if location.note:
            reader.notes.append(f"{label}：{location.note}")
        codes.append(location.code)
    return codes


def _salary(reader: _Reader, label: str, value: object) -> int | None:
    text = _scalar(value)
    if text is None:
        return None
    text = re.sub(r"\+$", "以上", text.strip())
    try:
        salary = _parse_salary(text)
    except FieldParseError as exc:
        reader.bad(label, str(exc))
        return None
    if salary is None or salary.negotiable:
        return None
    if salary.monthly_low is None:
        reader.notes.append(f"{label}：“{text}”没有写最低可接受的月薪，未设薪资下限")
    return salary.monthly_low


def _education(reader: _Reader, label: str, value: object) -> EducationLevel | None:
    text = _scalar(value)
    if text is None:
        return None
    cleaned = re.sub(r"(?:在读|毕业|肄业|应届)$", "", text.strip())
    try:
        education = parse_education(cleaned)
    except FieldParseError as exc:
        reader.bad(label, str(exc))
        return None
    if text.strip().endswith("在读"):
        reader.notes.append(f"{label}：“{text}”尚未毕业，按{education.level.label if education else ''}记")
    return education.level if education else None


def _experience(reader: _Reader, label: str, value: object) -> tuple[int | None, bool]:
    """(years, says fresh graduate)."""
    if isinstance(value, bool):
        reader.bad(label, f"“{value}”应为年数；提示：写 3、3年 或 应届")
        return None, False
    if isinstance(value, (int, float)):
        years = int(value)
    else:
        text = _scalar(value)
        if text is None:
            return None, False
        number = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:年|years?)?", text.strip().lower())
        if number:
            years = int(float(number.group(1)))
        else:
            try:
                experience = parse_experience(text)
            except FieldParseError as exc:
                reader.bad(label, str(exc))
                return None, False
            if experience is None:
                return None, False
            return experience.min_years, experience.for_fresh_graduates
    if years < 0:
        reader.bad(label, f"年数 {years} 不应为负")
        return None, False
    return years, False


def _skills(reader: _Reader, label: str, value: object) -> list[str]:
    found: list[str] = []
    for item in _texts(value, _SKILL_SPLIT):
        known = canonical_skill(item)
        inside = [known] if known else list(skills_in(item))
        if inside:
            found.extend(inside)
        else:
            found.append(item)
            reader.notes.append(f"{label}：“{item}”不在技能词表中，按原文保留")
    return found


def _hardship(reader: _Reader, label: str, value: object) -> set[str]:
    flags: set[str] = set()
    for item in _texts(value, _LIST_SPLIT):
        if _key(item) in _NO_HARDSHIP:
            continue
        hits = {flag for flag, words in HARDSHIP_WORDS.items() if any(w in item.lower() for w in words)}
        if hits and not re.match(r"^(?:非|无|不是|不属于)", item):
            flags |= hits
        elif not hits:
            known = "低保家庭、零就业家庭、防止返贫监测对象、残疾"
            reader.bad(label, f"“{item}”无法识别；提示：可填 {known}，没有则填 无")
    return flags


def _digest(parts: Iterable[str]) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).hexdigest()


def _classify(reader: _Reader, titles: list[str]) -> tuple[str, ...]:
    classify = reader.classify_title or default_title_classifier
    codes = (classify(t) for t in titles)
    return tuple(dict.fromkeys(c for c in codes if c))


def _build(reader: _Reader, form: Mapping[str, object], seeker_id: str | None, text: str) -> Seeker:
    titles: list[str] = []
    regions: list[str] = []
    skills: list[str] = []
    texts: list[str] = []
    salary_min: int | None = None
    education: EducationLevel | None = None
    years: int | None = None
    fresh: bool | None = None
    says_fresh = False
    hardship: set[str] = set()
    form_id: str | None = None
    for raw_key, value in form.items():
        label = str(raw_key).strip()
        name = _INDEX.get(_key(label))
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        match name:
            case "id":
                form_id = _scalar(value)
            case "titles":
                titles += _titles(reader, label, value)
            case "regions":
                regions += _regions(reader, label, value)
            case "salary":
                salary_min = _salary(reader, label, value)
            case "education":
                education = _education(reader, label, value)
            case "experience":
                years, graduate = _experience(reader, label, value)
                says_fresh = says_fresh or graduate
            case "skills":
                skills += _skills(reader, label, value)
            case "fresh_graduate":
                fresh = _boolean(value)
                if fresh is None:
                    reader.bad(label, f"“{value}”应为 是 或 否")
            case "hardship":
                hardship |= _hardship(reader, label, value)
            case "text":
                texts.append(str(_scalar(value)))
            case "personal":
                continue
            case str() if name.startswith("flag:"):
                stated = _boolean(value)
                if stated is None:
                    reader.bad(label, f"“{value}”应为 是 或 否")
                elif stated:
                    hardship.add(name.removeprefix("flag:"))
            case _:
                reader.notes.append(f"“{label}”不是可识别的求职信息字段，未使用")
    unique_titles = tuple(dict.fromkeys(titles))
    profile_text = text or "\n".join(texts)
    ident = seeker_id or form_id
    if not ident:
        content = [f"{k}={_scalar(v) or ''}" for k, v in sorted(form.items(), key=lambda kv: str(kv[0]))]
        ident = "seeker#" + _digest([*content, profile_text])
    return Seeker(
        id=ident,
        skills=tuple(dict.fromkeys(skills)),
        titles=unique_titles,
        occupation_codes=_classify(reader, list(unique_titles)) if unique_titles else (),
        regions=tuple(dict.fromkeys(regions)),
        salary_min=salary_min,
        education=education if education is not None else EducationLevel.ANY,
        experience_years=years or 0,
        fresh_graduate=fresh if fresh is not None else says_fresh,
        hardship=frozenset(f for f in hardship if f in HARDSHIP_FLAGS),
        text=profile_text,
    )


def read_seeker_form(
    form: Mapping[str, object],
    *,
    seeker_id: str | None = None,
    strict: bool = True,
    classify_title: TitleClassifier | None = None,
) -> SeekerReading:
    """Read a form (Chinese or English keys). ``strict``: values that cannot be read raise
    :class:`SeekerInputError` listing all of them; otherwise they are left out and noted.
    ``seeker_id`` (else the form's 编号/id, else a content hash ``seeker#…``) names the profile."""
    reader = _Reader(strict, classify_title)
    seeker = _build(reader, form, seeker_id, "")
    if reader.problems:
        raise SeekerInputError(reader.problems)
    return SeekerReading(seeker, tuple(reader.notes))


def seeker_from_form(
    form: Mapping[str, object],
    *,
    seeker_id: str | None = None,
    strict: bool = True,
    classify_title: TitleClassifier | None = None,
) -> Seeker:
    """:func:`read_seeker_form` without the notes."""
    return read_seeker_form(form, seeker_id=seeker_id, strict=strict, classify_title=classify_title).seeker


# --- resumes --------------------------------------------------------------------------------------------


def _label_pattern() -> re.Pattern[str]:
    labels = sorted(
        {a for name, aliases in FORM_ALIASES.items() for a in aliases if not a.isascii() or name != "id"},
        key=len,
        reverse=True,
    )
    alternatives = "|".join(re.escape(a) for a in labels)
    # A label is followed by a colon, sits in 【】/[], or (for numbers: 期望薪资6-8K, 工作经验3年) is directly
    # followed by a digit; it starts a line or follows a separator. At a line's start or after a tab (a
    # table copied from a document: 姓名<TAB>张三<TAB>性别<TAB>男) a space may stand for the colon.
    return re.compile(
        rf"(?:^|(?<=[\t|｜\u3000]))(?P<spaced>{alternatives})[ \t\u3000]+(?=[^\s:：])"
        rf"|(?:^|(?<=[\s|｜,，;；。、]))[【\[]?(?P<label>{alternatives})(?:[】\]]\s*[:：]?|\s*[:：]|(?=\s*\d))",
        re.IGNORECASE | re.MULTILINE,
    )


_LABEL = _label_pattern()
_VALUE_END = re.compile(r"[\n|｜\t]")


def _labelled(text: str) -> dict[str, str]:
    """``label：value`` pairs (the first of each label); a value ends at the line's end, a ``|``, a tab
    or the next label."""
    found: dict[str, str] = {}
    matches = list(_LABEL.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end() : end]
        stop = _VALUE_END.search(value)
        value = (value[: stop.start()] if stop else value).strip(" \t，,；;。、")
        if value:
            found.setdefault(m.group("spaced") or m.group("label"), value)
    return found


def _resume_years(text: str) -> int | None:
    """The most years of experience the text states (``5年销售经验``, ``从事会计工作3年``)."""
    years: list[int] = []
    for pattern in (_YEARS, _WORKED):
        for m in pattern.finditer(text):
            try:
                n = small_int(m.group("n"))
            except ValueError:
                continue
            if n <= MAX_WORKING_YEARS:  # not a calendar year (2019年工作经历)
                years.append(n)
    return max(years) if years else None


def _resume_education(text: str) -> str | None:
    lowered = text.lower()
    for word, _level in _DEGREE_WORDS:
        if word in lowered:
            return word
    return None


def _resume_hardship(text: str) -> list[str]:
    """Hardship words the text states (not negated: 非低保家庭, 无残疾)."""
    words: list[str] = []
    for keys in HARDSHIP_WORDS.values():
        stated = (
            m.group()
            for key in keys
            for m in re.finditer(re.escape(key), text)
            if not _NEGATION.search(text[max(0, m.start() - 3) : m.start()])
        )
        if (word := next(stated, None)) is not None:
            words.append(word)
    return words


def read_resume(
    text: str,
    *,
    seeker_id: str | None = None,
    strict: bool = False,
    classify_title: TitleClassifier | None = None,
    reference: dt.date | None = None,
) -> SeekerReading:
    """Read pasted resume text. Labelled values are read as a form; experience, education, 应届,
    hardship and skills are also looked for in the whole text; notes say what was not found.
    ``reference`` (today by default) decides whether ``2025届`` is this year's graduating class."""
    today = reference or dt.date.today()
    reader = _Reader(strict, classify_title)
    form: dict[str, object] = dict(_labelled(text))
    names = {_INDEX.get(_key(label)) for label in form}
    if "experience" not in names and (years := _resume_years(text)) is not None:
        form["工作经验"] = years
    if "education" not in names and (degree := _resume_education(text)) is not None:
        form["最高学历"] = degree
    graduate = next(
        (m for m in _GRADUATE.finditer(text) if not m.group("year") or int(m.group("year")) == today.year), None
    )
    if "fresh_graduate" not in names and graduate is not None:
        form["是否应届"] = "是"
    hardship = _resume_hardship(text)
    if "hardship" not in names and hardship:
        form["困难类别"] = "、".join(hardship)
    seeker = _build(reader, form, seeker_id, text)
    found = skills_in(text)
    seeker = _with_skills(seeker, found)
    for name, label in (("titles", "求职意向"), ("regions", "期望城市"), ("salary", "期望薪资")):
        if name not in names:
            reader.notes.append(f"简历中没有找到{label}（可写“{label}：…”）")
    if reader.problems:
        raise SeekerInputError(reader.problems)
    return SeekerReading(seeker, tuple(reader.notes))


def _with_skills(seeker: Seeker, more: Iterable[str]) -> Seeker:
    return dataclasses.replace(seeker, skills=tuple(dict.fromkeys([*seeker.skills, *more])))


def seeker_from_resume(
    text: str,
    *,
    seeker_id: str | None = None,
    classify_title: TitleClassifier | None = None,
    reference: dt.date | None = None,
) -> Seeker:
    """:func:`read_resume` without the notes."""
    return read_resume(text, seeker_id=seeker_id, classify_title=classify_title, reference=reference).seeker
