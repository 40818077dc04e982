"""The evaluation units: which facts table each unit's rows come from and what it joins.

A unit table (:mod:`jiuye.facts.tables`) is one row per unit (a person, a hire, an internship...),
its own columns ``<prefix>_<field>`` followed by those of each joined entity (the hired person,
the employer...), so a measure's rules read one flat row.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from jiuye.engine.measure import Unit
from jiuye.facts import model as m

__all__ = ["MODELS_BY_PREFIX", "UNITS", "UnitSpec"]


@dataclass(frozen=True)
class UnitSpec:
    source: str  # attribute of Facts
    model: type[BaseModel]
    prefix: str
    joins: tuple[tuple[str, str, str], ...] = ()  # (fk field, Facts attribute, prefix)
    location: tuple[str, ...] = ()  # region columns, first known wins
    key_date: str | None = None  # the event that dates a row (hire, internship start...)


_PERSON = ("person", "persons", "person")
_EMPLOYER = ("employer", "employers", "employer")

UNITS: dict[Unit, UnitSpec] = {
    Unit.person: UnitSpec("persons", m.Person, "person", (), ("person_region",)),
    Unit.employer: UnitSpec("employers", m.Employer, "employer", (), ("employer_region",)),
    Unit.employment: UnitSpec(
        "employments",
        m.Employment,
        "employment",
        (_PERSON, _EMPLOYER),
        ("employer_region",),
        key_date="employment_hire_date",
    ),
    Unit.internship: UnitSpec(
        "internships",
        m.Internship,
        "internship",
        (_PERSON, _EMPLOYER),
        ("employer_region",),
        key_date="internship_start_date",
    ),
    Unit.business: UnitSpec(
        "businesses",
        m.Business,
        "business",
        (("founder", "persons", "person"),),
        ("business_region", "person_region"),
        key_date="business_registered_on",
    ),
    Unit.certificate: UnitSpec(
        "certificates",
        m.Certificate,
        "certificate",
        (_PERSON, _EMPLOYER),
        ("employer_region", "person_region"),
        key_date="certificate_issued_on",
    ),
    Unit.apprenticeship: UnitSpec(
        "apprenticeships",
        m.Apprenticeship,
        "apprenticeship",
        (_PERSON, _EMPLOYER),
        ("employer_region",),
        key_date="apprenticeship_start_date",
    ),
    Unit.placement: UnitSpec(
        "placements",
        m.Placement,
        "placement",
        (("agency", "employers", "agency"), _PERSON, _EMPLOYER),
        ("agency_region",),
        key_date="placement_placed_on",
    ),
    Unit.training: UnitSpec(
        "trainings", m.Training, "training", (_PERSON,), ("person_region",), key_date="training_start_date"
    ),
    Unit.district: UnitSpec("districts", m.DistrictIndicators, "district", (), ("district_region",)),
}

#: The model behind each column prefix (an agency is an employer).
MODELS_BY_PREFIX: dict[str, type[BaseModel]] = {
    "person": m.Person,
    "employer": m.Employer,
    "agency": m.Employer,
    **{spec.prefix: spec.model for spec in UNITS.values()},
}
