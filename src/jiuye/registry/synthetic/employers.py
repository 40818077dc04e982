"""The employers table: enterprises, individual businesses, social organisations, public bodies.

About one employer per 25 persons. Distributions (rough, for a Guangxi-like economy):

* kind: 74% enterprises, 18% individual businesses insured as units, 4% social organisations,
  3% public institutions, 1% government bodies;
* industry (GB/T 4754-2017 divisions): enterprises mostly manufacturing (C: sugar and food,
  wood, building materials, non-ferrous metals, Liuzhou's cars, electronics), wholesale and
  retail (F), construction (E), business services (L), accommodation and catering (H) and
  research and technical services (M);
* staff: log-uniform within bands, 60% micro (1–9), 25% 10–49, 11% 50–299, 3% 300–999, 1%
  1000 and more; revenue per head by industry; insured staff 55–100% of staff;
* money follows from insured staff × a contribution base (median about 5,000 yuan a month) ×
  the contribution rates below, in integer fen;
* difficulty: about 18% of enterprises are in difficulty in a given year (losses, wages in
  arrears, idle staff, planned layoffs...), spread evenly over counties; half of the
  "related enterprises" hit by the trade shock; another 10% report a temporary hard patch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from jiuye.facts.model import Employer
from jiuye.facts.tables import registry_schema
from jiuye.registry.synthetic import draws as d
from jiuye.registry.synthetic.geography import Geography
from jiuye.registry.synthetic.identifiers import uscc_codes
from jiuye.registry.synthetic.names import employer_names
from jiuye.registry.synthetic.pools import Pool
from jiuye.sizing import with_size

__all__ = ["EMPLOYER_RATES", "PERSONS_PER_EMPLOYER", "WORKER_RATES", "Employers", "make_employers"]

PERSONS_PER_EMPLOYER = 25
#: Contribution rates (parts per million of the contribution base) used to derive amounts:
#: approximate Guangxi rates in 2025 (pension 16% + 8%, medical, unemployment 0.5% + 0.5%,
#: work injury after the 50% cut, maternity). Synthetic data only: no measure reads them.
EMPLOYER_RATES = {"pension": 160_000, "medical": 65_000, "ui": 5_000, "injury": 4_000, "maternity": 5_000}
WORKER_RATES = {"pension": 80_000, "medical": 20_000, "ui": 5_000}
BASE_MEDIAN_FEN = 500_000
BASE_MIN_FEN, BASE_MAX_FEN = 410_000, 2_050_000  # about 60% and 300% of the average wage

_KINDS = {
    "enterprise": 74,
    "individual_business": 18,
    "social_organisation": 4,
    "public_institution": 3,
    "government": 1,
}
_ENTERPRISE_SECTIONS = {
    "C": 22, "F": 22, "E": 10, "L": 10, "H": 8, "M": 7, "G": 5, "I": 4, "K": 3, "O": 3, "A": 3,
    "J": 1, "N": 1, "R": 1,
}  # fmt: skip
_DIVISIONS: dict[str, dict[str, float]] = {
    "C": {"13": 14, "14": 5, "15": 4, "17": 3, "18": 4, "20": 12, "21": 4, "22": 4, "26": 5, "27": 3,
          "29": 4, "30": 8, "31": 2, "32": 4, "33": 5, "34": 3, "36": 6, "38": 3, "39": 6, "41": 1},
    "F": {"51": 35, "52": 65},
    "E": {"47": 60, "48": 25, "50": 15},
    "L": {"71": 15, "72": 85},
    "H": {"61": 20, "62": 80},
    "M": {"73": 30, "74": 45, "75": 25},
    "G": {"54": 70, "59": 30},
    "I": {"63": 20, "64": 30, "65": 50},
    "K": {"70": 100},
    "O": {"80": 70, "81": 30},
    "A": {"01": 50, "02": 20, "03": 20, "05": 10},
    "J": {"66": 30, "69": 70},
    "N": {"77": 50, "78": 50},
    "R": {"88": 50, "89": 20, "90": 30},
}  # fmt: skip
_OTHER_INDUSTRIES = {
    "individual_business": {"F52": 45, "H62": 30, "O80": 15, "C14": 5, "E50": 5},
    "social_organisation": {"S95": 60, "P83": 25, "Q84": 15},
    "public_institution": {"P83": 45, "Q84": 35, "M73": 10, "R87": 10},
    "government": {"S92": 100},
}
#: Revenue per head, 万元 a year, by section (median; lognormal spread).
_REVENUE_PER_HEAD = {"C": 60, "F": 120, "E": 40, "L": 25, "H": 12, "M": 30, "G": 35, "I": 40, "K": 150,
                     "O": 10, "A": 15, "J": 200, "N": 20, "R": 15}  # fmt: skip
_PAY_LEVEL = {"I": 1.5, "J": 1.6, "M": 1.3, "H": 0.85, "O": 0.85}  # relative contribution base
_STAFF_BANDS = ((1, 9, 60), (10, 49, 25), (50, 299, 11), (300, 999, 3), (1000, 20000, 1))
_OTHER_STAFF = {
    "individual_business": (1, 8),
    "social_organisation": (3, 50),
    "public_institution": (20, 800),
    "government": (20, 300),
}
_DEPARTMENT = {
    "enterprise": "91",
    "individual_business": "92",
    "social_organisation": "52",
    "public_institution": "12",
    "government": "11",
}
_UNKNOWN = 0.03  # share of blanks in optional facts


@dataclass(frozen=True)
class Employers:
    frame: pl.DataFrame  # the registry table
    county: d.Ints
    prefecture: d.Ints
    kind: d.Labels
    section: d.Labels
    staff: d.Ints
    base_fen: d.Ints  # average monthly contribution base
    workplaces: Pool  # any employer, by staff
    enterprises: Pool
    internship_bases: Pool
    agencies: Pool  # commercial HR service agencies

    @property
    def ids(self) -> pl.Series:
        return self.frame.get_column("id")


def _industries(rng: np.random.Generator, kind: d.Labels) -> d.Labels:
    """GB/T 4754 division codes (``C13``): enterprises by section then division; others by kind."""
    n = len(kind)
    section = d.choose(rng, _ENTERPRISE_SECTIONS, n)
    parts = [
        (section.is_(letter), d.choose(rng, divisions, n).relabel({k: letter + k for k in divisions}))
        for letter, divisions in _DIVISIONS.items()
    ]
    others = [(kind.is_(other), d.choose(rng, industries, n)) for other, industries in _OTHER_INDUSTRIES.items()]
    return d.combine([*others, *parts], n)


def _staff(rng: np.random.Generator, kind: d.Labels) -> d.Ints:
    n = len(kind)
    band = rng.choice(len(_STAFF_BANDS), size=n, p=np.array([b[2] for b in _STAFF_BANDS]) / 100)
    low = np.array([b[0] for b in _STAFF_BANDS])[band]
    high = np.array([b[1] for b in _STAFF_BANDS])[band]
    staff = np.floor(np.exp(np.log(low) + rng.random(n) * (np.log(high + 1) - np.log(low)))).astype(np.int64)
    for other, (lo, hi) in _OTHER_STAFF.items():
        drawn = np.floor(np.exp(rng.uniform(np.log(lo), np.log(hi + 1), n))).astype(np.int64)
        staff = np.where(kind.is_(other), drawn, staff)
    return np.asarray(np.maximum(staff, 1), dtype=np.int64)


def _declared_size(industry: d.Labels, staff: d.Ints, revenue: d.Ints, assets: d.Ints, declared: d.Bools) -> pl.Series:
    """Where an enterprise declares its size, the size the national SME rule gives (the engine's own
    sizing, so declared and derived sizes agree); null elsewhere."""
    rows = np.flatnonzero(declared)
    engine = pl.DataFrame(
        {
            "employer_industry": industry.series("i").gather(rows),
            "employer_staff": staff[rows],
            "employer_revenue": revenue[rows] * 100,
            "employer_assets": assets[rows] * 100,
        }
    )
    sizes = with_size(engine.lazy()).collect().get_column("employer_derived_size")
    return pl.repeat(None, len(staff), dtype=pl.String, eager=True).scatter(rows, sizes).alias("size")


def make_employers(rng: np.random.Generator, geography: Geography, count: int, *, as_of: int) -> Employers:
    """``count`` employers; ``as_of`` (a day number) bounds every date."""
    n = count
    county = rng.choice(geography.size, size=n, p=geography.employers)
    prefecture = geography.prefecture[county]
    kind = d.choose(rng, _KINDS, n)
    enterprise = kind.is_("enterprise")
    industry = _industries(rng, kind)
    staff = _staff(rng, kind)

    # Commercial HR service agencies (business services, L72) and internship bases are few:
    # a few thousand each among a million enterprises in Guangxi; small registries get some.
    agency = d.systematic(rng, enterprise * d.enriched(0.004, int(enterprise.sum()), 30), np.zeros(n, np.int64))
    industry = industry.assign(agency, "L72")
    section = industry.relabel({code: code[:1] for code in industry.names})
    hosts = (enterprise | kind.is_("public_institution")) & (staff >= 10)
    base = d.systematic(rng, hosts * d.enriched(0.01, int(hosts.sum()), 60), county)

    per_head = section.map(_REVENUE_PER_HEAD, 20).astype(np.float64)
    revenue = np.round(staff * per_head * 10_000 * rng.lognormal(0.0, 0.6, n)).astype(np.int64)  # yuan
    assets = np.round(revenue * rng.lognormal(0.0, 0.5, n)).astype(np.int64)
    has_accounts = enterprise | kind.is_("individual_business")
    size = _declared_size(industry, staff, revenue, assets, enterprise & (rng.random(n) < 0.15))

    insured_share = np.where(enterprise, rng.uniform(0.55, 1.0, n), rng.uniform(0.9, 1.0, n))
    insured_share = np.where(kind.is_("individual_business"), rng.uniform(0.0, 1.0, n), insured_share)
    insured = np.round(staff * insured_share).astype(np.int64)
    pay = section.map(_PAY_LEVEL, 1.0).astype(np.float64)
    base_fen = np.clip(np.round(BASE_MEDIAN_FEN * pay * rng.lognormal(0.0, 0.3, n)), BASE_MIN_FEN, BASE_MAX_FEN).astype(
        np.int64
    )
    year_base = insured * base_fen * 12
    ui_total = EMPLOYER_RATES["ui"] + WORKER_RATES["ui"]
    si_total = sum(EMPLOYER_RATES.values()) + sum(WORKER_RATES.values())

    # Difficulty, evenly spread over counties; each sign of it drawn among those in difficulty.
    # "Related enterprises" (hit by the 2025 trade shock, mostly manufacturers and traders) are
    # in difficulty three times as often as others.
    related = enterprise & (rng.random(n) < np.where(section.isin(["C", "F"]), 0.08, 0.02))
    distressed = d.systematic(rng, enterprise * np.where(related, 0.5, 0.17), county)
    sub = {k: d.systematic(rng, distressed * p, county) for k, p in _DISTRESS_SIGNS.items()}
    sub["temporary"] |= enterprise & ~distressed & (rng.random(n) < 0.1)  # a hard patch, no more
    sub["layoffs"] |= enterprise & ~distressed & (rng.random(n) < 0.02)  # restructuring
    established = rng.random(n) < 0.85  # insured for a year or more
    ui_months = np.where(insured == 0, 0, np.where(established, rng.integers(12, 121, n), rng.integers(0, 12, n)))
    layoffs = np.where(
        (rng.random(n) < np.where(distressed, 0.45, 0.18)) & (insured > 0),
        np.ceil(insured * rng.uniform(0.005, 0.12, n)),
        0,
    ).astype(np.int64)
    vacancy_rate = np.where(rng.random(n) < 0.08, rng.uniform(0.11, 0.3, n), rng.uniform(0.0, 0.06, n))
    vacancies = np.where(enterprise | (rng.random(n) < 0.3), np.round(staff * vacancy_rate), 0).astype(np.int64)
    new_hires = np.where(enterprise & (rng.random(n) < 0.2), np.ceil(staff * rng.uniform(0.1, 0.6, n)), 0)

    # A new postdoctoral workstation is rare (dozens a year in Guangxi), mostly in larger firms.
    station = enterprise & (staff >= 50)
    new_station = d.systematic(rng, station * d.enriched(0.001, int(station.sum()), 6), np.zeros(n, np.int64))
    old_station = station & ~new_station & (rng.random(n) < 0.01)
    station_day = np.where(
        new_station,
        d.uniform_days(rng, as_of - 182, as_of, n),
        d.uniform_days(rng, d.day_number(dt.date(2012, 1, 1)), as_of - 183, n),
    )
    retention = np.round(rng.uniform(0.25, 0.85, n) * 100).astype(np.int64) * 10_000  # ppm, whole percent

    soe_p = np.where(staff >= 1000, 0.3, np.where(staff >= 300, 0.12, 0.02))
    tax = _tax_categories(rng, section, n)
    g = geography
    codes = g.codes[county]
    frame = d.to_schema(
        [
            d.serial_ids("E", 0, n, 8),
            employer_names(rng, d.Labels(g.city_names, county).series("city"), section, kind),
            uscc_codes("uscc", kind.relabel(_DEPARTMENT), codes, np.arange(n), rng.random(n) < 0.6),
            kind.series("kind"),
            pl.Series("region", codes).cast(pl.String),
            industry.series("industry", d.known(rng, 0.01, n)),
            d.ints("staff", staff),
            d.wan("revenue", revenue, has_accounts & d.known(rng, _UNKNOWN, n)),
            d.wan("assets", assets, has_accounts & d.known(rng, _UNKNOWN, n)),
            size,
            d.bools("soe", enterprise & (rng.random(n) < soe_p)),
            d.bools("related_enterprise", related, d.known(rng, _UNKNOWN, n)),
            d.bools("key_industry", section.isin(["C", "H"]) | (rng.random(n) < 0.1), rng.random(n) < 0.12),
            d.bools("hr_service_agency", agency),
            d.bools("internship_base", base),
            d.ratios("internship_retention_rate", retention, base & d.known(rng, 0.1, n)),
            tax.series("tax_category", enterprise & d.known(rng, 0.05, n)),
            d.ints("insured_staff", insured),
            d.ints("ui_paid_months", ui_months, d.known(rng, _UNKNOWN, n)),
            d.ints("layoffs_last_year", layoffs, d.known(rng, _UNKNOWN, n)),
            d.yuan("ui_contributions_last_year", _share(year_base, ui_total), d.known(rng, _UNKNOWN, n)),
            d.yuan("ui_employer_contributions_last_year", _share(year_base, EMPLOYER_RATES["ui"])),
            d.yuan("si_contributions_last_year", _share(year_base, si_total), d.known(rng, _UNKNOWN, n)),
            d.bools("genuine_difficulty", sub["genuine"], d.known(rng, _UNKNOWN, n)),
            d.bools("temporary_difficulty", sub["temporary"], d.known(rng, _UNKNOWN, n)),
            d.ints("months_unable_to_pay_min_wage", np.where(sub["unable"], rng.integers(3, 7, n), 0)),
            d.ints("months_not_operating", np.where(sub["idle_plant"], rng.integers(3, 10, n), 0)),
            d.bools("serious_losses", sub["losses"], d.known(rng, _UNKNOWN, n)),
            d.ints("months_wages_unpaid", np.where(sub["arrears"], rng.integers(1, 7, n), 0)),
            d.ints("idle_staff", np.where(sub["idle_staff"], np.ceil(staff * rng.uniform(0.2, 0.5, n)), 0)),
            d.ints("planned_layoffs", np.where(sub["layoffs"], np.ceil(staff * rng.uniform(0.1, 0.3, n)), 0)),
            d.ints("vacancies", vacancies, d.known(rng, 0.1, n)),
            d.dates("postdoc_station_established_on", station_day, new_station | old_station),
            d.ints("new_qualifying_hires", new_hires, enterprise & d.known(rng, 0.2, n)),
        ],
        registry_schema(Employer),
        n,
    )
    weight = np.sqrt(staff.astype(np.float64))
    p = len(g.prefectures)
    return Employers(
        frame=frame,
        county=county,
        prefecture=prefecture,
        kind=kind,
        section=section,
        staff=staff,
        base_fen=base_fen,
        workplaces=Pool.of(prefecture, weight, np.ones(n, dtype=np.bool_), p),
        enterprises=Pool.of(prefecture, weight, enterprise, p),
        internship_bases=Pool.of(prefecture, weight, base, p),
        agencies=Pool.of(prefecture, np.ones(n), agency, p),
    )


#: Among enterprises in difficulty: how many show each sign.
_DISTRESS_SIGNS = {
    "losses": 0.7,  # 较严重亏损
    "arrears": 0.35,  # wages not paid in full for 1–6 months
    "idle_staff": 0.3,  # 20–50% of staff idle
    "unable": 0.35,  # 3+ months unable to pay the minimum wage
    "idle_plant": 0.3,  # 3+ months not operating, paying living allowances only
    "temporary": 0.8,  # temporary difficulty, recovery expected
    "genuine": 0.6,  # genuine difficulty (as recognised for deferral)
    "layoffs": 0.45,  # a layoff plan
}


def _share(year_base: d.Ints, ppm: int) -> d.Ints:
    """Contributions for a year: base × rate, rounded half up to the fen."""
    return (year_base * ppm + 500_000) // 1_000_000


def _tax_categories(rng: np.random.Generator, section: d.Labels, n: int) -> d.Labels:
    """Tax-relief category (财税〔2023〕15号): trade, service, or processing enterprises."""
    draw = rng.random(n)
    making = section.is_("C")
    conditions = [
        section.is_("F") & (draw < 0.9),
        section.isin(["H", "L", "M", "O", "I", "G", "R", "N", "K", "J"]) & (draw < 0.8),
        making & (draw < 0.06),
        making & (draw < 0.08),
    ]
    names = ("other", "trade", "service", "labour_service_processing", "community_processing")
    return d.Labels(names, np.select(conditions, [1, 2, 3, 4], 0).astype(np.int64))
