"""One registry, generated chunk by chunk: employers and districts once, persons in chunks.

Each chunk of persons brings its own jobs, internships, businesses, certificates... and is
drawn from its own seeded stream, so memory stays bounded whatever the registry's size and
the same seed always gives the same rows.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from jiuye.registry.synthetic import draws as d
from jiuye.registry.synthetic.businesses import make_businesses
from jiuye.registry.synthetic.districts import make_districts
from jiuye.registry.synthetic.employers import PERSONS_PER_EMPLOYER, make_employers
from jiuye.registry.synthetic.geography import guangxi
from jiuye.registry.synthetic.grants import employer_grants, person_grants
from jiuye.registry.synthetic.identifiers import IdSequences
from jiuye.registry.synthetic.internships import make_internships
from jiuye.registry.synthetic.jobs import make_jobs
from jiuye.registry.synthetic.people import make_people
from jiuye.registry.synthetic.persons import make_persons
from jiuye.registry.synthetic.placements import make_placements
from jiuye.registry.synthetic.skills import make_apprenticeships, make_certificates, make_trainings

__all__ = ["RegistryGenerator"]

# Independent random streams (with the seed and, for persons, the chunk number).
_EMPLOYERS, _DISTRICTS, _EMPLOYER_GRANTS, _PERSONS = 1, 2, 3, 4


class RegistryGenerator:
    """Draws a registry of ``persons`` persons on ``as_of``; call :meth:`fixed` once and
    :meth:`chunk` for each chunk in order."""

    def __init__(self, *, persons: int, seed: int, as_of: dt.date) -> None:
        self.persons = persons
        self.seed = seed
        self.as_of = as_of
        self.geography = guangxi()
        count = max(1, round(persons / PERSONS_PER_EMPLOYER))
        self.employers = make_employers(d.rng_for(seed, _EMPLOYERS), self.geography, count, as_of=d.day_number(as_of))
        self._sequences = IdSequences(self.geography.size)
        self._businesses = 0

    def fixed(self) -> dict[str, pl.DataFrame]:
        """The tables that do not grow with persons' chunks."""
        return {
            "employers": self.employers.frame,
            "districts": make_districts(d.rng_for(self.seed, _DISTRICTS), self.geography, as_of=self.as_of),
            "prior_grants": employer_grants(d.rng_for(self.seed, _EMPLOYER_GRANTS), self.employers, as_of=self.as_of),
        }

    def chunk(self, index: int, start: int, size: int) -> dict[str, pl.DataFrame]:
        """Persons ``start + 1 … start + size`` and everything that belongs to them."""
        rng = d.rng_for(self.seed, _PERSONS, index)
        as_of, employers = self.as_of, self.employers
        people = make_people(rng, self.geography, size, start=start, total=self.persons, as_of=as_of)
        interns = make_internships(rng, people, employers, as_of=as_of)
        jobs = make_jobs(rng, people, employers, interns, as_of=as_of)
        businesses = make_businesses(rng, people, self.geography, start=self._businesses, as_of=as_of)
        self._businesses += businesses.frame.height
        persons, hardship = make_persons(rng, people, self.geography, jobs, businesses, self._sequences, as_of=as_of)
        placements = make_placements(rng, people, employers, jobs, as_of=as_of)
        return {
            "persons": persons,
            "employments": jobs.frame,
            "internships": interns.frame,
            "businesses": businesses.frame,
            "certificates": make_certificates(rng, people, employers, jobs, as_of=as_of),
            "apprenticeships": make_apprenticeships(rng, employers, jobs, people, as_of=as_of),
            "placements": placements,
            "trainings": make_trainings(rng, people, as_of=as_of),
            "prior_grants": person_grants(rng, people, employers, jobs, placements, hardship, as_of=as_of),
        }
