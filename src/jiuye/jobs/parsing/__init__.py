"""Field parsers for job postings: each turns board or staff text into a typed, frozen value.

Every ``parse_*`` returns ``None`` for blank text ("not stated") and raises :class:`FieldParseError`
(a ``ValueError``, Chinese message naming the field) for text it does not understand.
"""

from jiuye.jobs.parsing.attributes import AttributeTexts, split_attributes
from jiuye.jobs.parsing.dates import parse_posting_date
from jiuye.jobs.parsing.education import Education, EducationLevel, format_education, parse_education
from jiuye.jobs.parsing.errors import FieldParseError
from jiuye.jobs.parsing.experience import Experience, format_experience, parse_experience
from jiuye.jobs.parsing.headcount import Headcount, format_headcount, parse_headcount
from jiuye.jobs.parsing.location import (
    Location,
    Region,
    RegionLevel,
    RegionTableMissingError,
    format_location,
    locate,
    parse_location,
    region_code,
)
from jiuye.jobs.parsing.salary import PayPeriod, Salary, format_salary, parse_salary

__all__ = [
    "AttributeTexts",
    "Education",
    "EducationLevel",
    "Experience",
    "FieldParseError",
    "Headcount",
    "Location",
    "PayPeriod",
    "Region",
    "RegionLevel",
    "RegionTableMissingError",
    "Salary",
    "format_education",
    "format_experience",
    "format_headcount",
    "format_location",
    "format_salary",
    "locate",
    "parse_education",
    "parse_experience",
    "parse_headcount",
    "parse_location",
    "parse_posting_date",
    "parse_salary",
    "region_code",
    "split_attributes",
]
