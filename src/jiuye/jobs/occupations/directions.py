"""Tag a job posting with the job-development directions of 國就勞發〔2025〕2號 二 (一)–(七).

國就勞發〔2025〕2號 二、推進實施崗位開發計劃的重點方向：
“(一)挖掘先進製造等新質生産力就業潛力。……(二)推動消費新熱點轉化為就業新渠道。……(三)放大重大工程
項目建設就業增量。……(四)圍繞保障重點民生服務促進就業。……(五)拓寬勞動者城鄉基層服務空間。……(六)提高
民營企業和中小微企業就業吸引力。……(七)穩定機關事業單位和國有企業招聘規模。……”

The clauses name fields, not occupations. ``directions.yaml`` maps each direction to 大典 code prefixes,
the 大典's green marker and title keywords, quoting the words of its clause; (六) and (七) come from the
employer. The employer-level tagging of the policy engine is ``jiuye.policies.cn.directions``.

>>> [t.direction.clause for t in tag_directions("4-10-01-05")]
['二(四)']
"""

from __future__ import annotations

import functools
import importlib.resources
from dataclasses import dataclass

import yaml

from jiuye.jobs.occupations.taxonomy import load_taxonomy

__all__ = ["Direction", "DirectionTag", "directions", "tag_directions"]

DOCUMENT = "gjlf2"


@dataclass(frozen=True, slots=True)
class Direction:
    """One of the seven directions, with the clause and the words the mapping rests on."""

    number: int
    name: str
    clause: str
    quote: str
    prefixes: tuple[str, ...]
    green: bool
    keywords: tuple[str, ...]
    #: 'private_or_sme', 'public_or_state_owned' or '' (not employer-based).
    employer: str
    assumption: str

    @property
    def document(self) -> str:
        """The short id of the source document (see ``jiuye/policies/documents.yaml``)."""
        return DOCUMENT


@dataclass(frozen=True, slots=True)
class DirectionTag:
    """A direction that applies to a posting, and why (in Chinese)."""

    direction: Direction
    reason: str


@functools.cache
def directions() -> tuple[Direction, ...]:
    """The seven directions from ``directions.yaml`` (checked against the 大典; cached)."""
    text = importlib.resources.files("jiuye.jobs.occupations").joinpath("directions.yaml").read_text("utf-8")
    taxonomy = load_taxonomy()
    out = []
    for raw in yaml.safe_load(text)["directions"]:
        prefixes = tuple(str(p) for p in raw.get("prefixes") or [])
        for p in prefixes:
            if not any(_under(o.code, p) for o in taxonomy):
                raise ValueError(f"directions.yaml 方向{raw['number']}的编码前缀 {p} 不在职业分类大典中")
        out.append(
            Direction(
                number=int(raw["number"]),
                name=str(raw["name"]),
                clause=str(raw["clause"]),
                quote=str(raw["quote"]),
                prefixes=prefixes,
                green=bool(raw.get("green", False)),
                keywords=tuple(str(k) for k in raw.get("keywords") or []),
                employer=str(raw.get("employer") or ""),
                assumption=str(raw["assumption"]),
            )
        )
    return tuple(out)


def _under(code: str, prefix: str) -> bool:
    return code == prefix or code.startswith(prefix + "-")


def tag_directions(
    code: str | None,
    title: str = "",
    *,
    private_or_sme: bool | None = None,
    public_or_state_owned: bool | None = None,
) -> list[DirectionTag]:
    """The directions a posting falls under: by its 大典 code, its title's keywords and its employer.

    ``private_or_sme``: the employer is a private enterprise or an SME (二(六)); ``public_or_state_owned``:
    an organ, public institution or state-owned enterprise (二(七)). ``None`` means unknown: not tagged.
    """
    taxonomy = load_taxonomy()
    occupation = taxonomy.get(code) if code and code in taxonomy else None
    employer_facts = {"private_or_sme": private_or_sme, "public_or_state_owned": public_or_state_owned}
    tags = []
    for d in directions():
        reasons = []
        if occupation is not None:
            prefix = next((p for p in d.prefixes if _under(occupation.code, p)), None)
            if prefix:
                group = prefix + "-00" * (3 - prefix.count("-"))
                within = f"属于“{taxonomy.get(group).name}”" if group in taxonomy and group != occupation.code else ""
                reasons.append(f"职业{occupation.code} {occupation.name}{within}")
            if d.green and occupation.green:
                reasons.append(f"{occupation.name}是大典标注的绿色职业")
        words = [k for k in d.keywords if k in title]
        if words:
            reasons.append("标题含“" + "、".join(words) + "”")
        if d.employer and employer_facts.get(d.employer):
            reasons.append(
                "用人单位为民营或中小微企业" if d.employer == "private_or_sme" else "用人单位为机关事业单位或国有企业"
            )
        if reasons:
            tags.append(DirectionTag(d, f"{d.name}（國就勞發〔2025〕2號{d.clause}）：" + "；".join(reasons)))
    return tags
