"""The facts model: typed, validated inputs for the entities the four documents talk about.

Every field is optional unless the entity cannot exist without it: a fact left out is
*unknown*, and the engine answers "needs facts" naming it, rather than guessing "no".
One module per entity; this one gathers them (``from jiuye.facts.model import Person``).
"""

from __future__ import annotations

from jiuye.facts.base import COUNT_MAX, Count, Money, Ratio, Wan
from jiuye.facts.business import Business
from jiuye.facts.district import DistrictIndicators
from jiuye.facts.document import REFERENCES, Facts, dangling_references
from jiuye.facts.employer import Employer
from jiuye.facts.employment import Apprenticeship, Employment, Internship, Placement
from jiuye.facts.grants import PriorGrant
from jiuye.facts.person import KEY_GROUP_LISTS, Person
from jiuye.facts.skills import Certificate, Training

__all__ = [
    "COUNT_MAX",
    "KEY_GROUP_LISTS",
    "REFERENCES",
    "Apprenticeship",
    "Business",
    "Certificate",
    "Count",
    "DistrictIndicators",
    "Employer",
    "Employment",
    "Facts",
    "Internship",
    "Money",
    "Person",
    "Placement",
    "PriorGrant",
    "Ratio",
    "Training",
    "Wan",
    "dangling_references",
]
