"""51job-style attribute lists (``['北京-海淀区', '5-7年经验', '本科', '招8人']``) → which text is which field.

Boards drop an attribute that a posting leaves open, so position says nothing; each item is sorted by its
form (keywords only, no parsing: a value of the wrong shape then fails in its own field's parser, visibly).
The first item is the location unless it has the form of another field.

>>> a = split_attributes(["深圳", "本科", "招1人"])
>>> a.location, a.experience, a.education, a.headcount
('深圳', None, '本科', '招1人')
>>> split_attributes(["上海-浦东新区", "英语熟练", "3-4年经验"]).other
('英语熟练',)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["AttributeTexts", "split_attributes"]

_HEADCOUNT = re.compile(r"^(?:招聘|招)?(?:\d+|若干)(?:人|名)?$|^招.*人$")
_EXPERIENCE = re.compile(r"经验|应届|在校|年")
#: Language requirements (英语熟练, 普通话良好, 英语一般&普通话精通) sit in the same list on 51job.
_LANGUAGE = re.compile(r"语|普通话")


@dataclass(frozen=True, slots=True)
class AttributeTexts:
    """The raw text of each field found in an attribute list (``None`` = not in the list)."""

    location: str | None = None
    experience: str | None = None
    education: str | None = None
    headcount: str | None = None
    #: Items of no field parsed here (language requirements), and repeats of a field already seen.
    other: tuple[str, ...] = ()


def split_attributes(items: Sequence[str | None], *, location_first: bool = True) -> AttributeTexts:
    """Sort the items of one attribute list into fields by their form (``location_first``: the list
    starts with the location, as 51job's does)."""
    found: dict[str, str] = {}
    other: list[str] = []
    for index, item in enumerate(items):
        text = (item or "").strip()
        if not text:
            continue
        if _HEADCOUNT.match(text):
            field = "headcount"
        elif _EXPERIENCE.search(text):
            field = "experience"
        elif _LANGUAGE.search(text):
            field = "other"
        elif location_first and index == 0:
            field = "location"
        else:
            field = "education"
        if field == "other" or field in found:
            other.append(text)
        else:
            found[field] = text
    return AttributeTexts(
        location=found.get("location"),
        experience=found.get("experience"),
        education=found.get("education"),
        headcount=found.get("headcount"),
        other=tuple(other),
    )
