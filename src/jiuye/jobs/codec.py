"""Postings and seekers to and from JSON-ready dicts (for the database), losslessly.

Amounts stay exact (Decimal as text), dates ISO, enums by value; a posting read back equals the
one written.

>>> from decimal import Decimal
>>> from jiuye.jobs.parsing import Salary
>>> p = Posting(id="x:1", title="会计", employer="某公司", salary=Salary(Decimal("6000"), Decimal("8000")))
>>> posting_from_dict(posting_to_dict(p)) == p
True
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from jiuye.jobs.model import Posting, Seeker
from jiuye.jobs.parsing import Education, EducationLevel, Experience, Headcount, PayPeriod, Salary

__all__ = ["posting_from_dict", "posting_to_dict", "seeker_from_dict", "seeker_to_dict"]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def posting_to_dict(p: Posting) -> dict[str, Any]:
    s, x, e, h = p.salary, p.experience, p.education, p.headcount
    return {
        "id": p.id, "title": p.title, "employer": p.employer, "channel": p.channel, "channel_id": p.channel_id,
        "employer_uscc": p.employer_uscc, "description": p.description, "skills": list(p.skills),
        "occupation_code": p.occupation_code, "directions": list(p.directions), "region": p.region,
        "place": p.place,
        "salary": None if s is None else {
            "low": None if s.low is None else str(s.low), "high": None if s.high is None else str(s.high),
            "period": s.period.value, "months_per_year": s.months_per_year, "negotiable": s.negotiable,
        },
        "experience": None if x is None else {
            "min_years": x.min_years, "max_years": x.max_years, "for_fresh_graduates": x.for_fresh_graduates,
        },
        "education": None if e is None else {
            "level": int(e.level), "term": e.term, "or_above": e.or_above, "full_time": e.full_time,
        },
        "headcount": None if h is None else {"count": h.count},
        "open_on": p.open_on.isoformat() if p.open_on else None,
        "close_on": p.close_on.isoformat() if p.close_on else None,
    }  # fmt: skip


def posting_from_dict(d: dict[str, Any]) -> Posting:
    s, x, e, h = d.get("salary"), d.get("experience"), d.get("education"), d.get("headcount")
    return Posting(
        id=d["id"], title=d["title"], employer=d["employer"], channel=d.get("channel", ""),
        channel_id=d.get("channel_id", ""), employer_uscc=d.get("employer_uscc"),
        description=d.get("description", ""), skills=tuple(d.get("skills", ())),
        occupation_code=d.get("occupation_code"), directions=tuple(d.get("directions", ())),
        region=d.get("region"), place=d.get("place", ""),
        salary=None if s is None else Salary(
            _decimal(s["low"]), _decimal(s["high"]), PayPeriod(s["period"]), s["months_per_year"], s["negotiable"]
        ),
        experience=None if x is None else Experience(x["min_years"], x["max_years"], x["for_fresh_graduates"]),
        education=None if e is None else Education(EducationLevel(e["level"]), e["term"], e["or_above"],
                                                    e["full_time"]),
        headcount=None if h is None else Headcount(h["count"]),
        open_on=_date(d.get("open_on")), close_on=_date(d.get("close_on")),
    )  # fmt: skip


def seeker_to_dict(s: Seeker) -> dict[str, Any]:
    return {
        "id": s.id, "skills": list(s.skills), "titles": list(s.titles), "occupation_codes": list(s.occupation_codes),
        "regions": list(s.regions), "salary_min": s.salary_min, "education": int(s.education),
        "experience_years": s.experience_years, "fresh_graduate": s.fresh_graduate, "hardship": sorted(s.hardship),
        "text": s.text,
    }  # fmt: skip


def seeker_from_dict(d: dict[str, Any]) -> Seeker:
    return Seeker(
        id=d["id"], skills=tuple(d.get("skills", ())), titles=tuple(d.get("titles", ())),
        occupation_codes=tuple(d.get("occupation_codes", ())), regions=tuple(d.get("regions", ())),
        salary_min=d.get("salary_min"), education=EducationLevel(d.get("education", 0)),
        experience_years=d.get("experience_years", 0), fresh_graduate=d.get("fresh_graduate", False),
        hardship=frozenset(d.get("hardship", ())), text=d.get("text", ""),
    )  # fmt: skip
