"""Where people live and employers sit: every Guangxi county (GB/T 2260, data/regions.yaml).

Population: each prefecture's resident population from the Seventh National Population Census
(2020, in 10,000s; Nanning, Yulin, Guilin, Guigang and Liuzhou are the largest), shared among
its counties, the two oldest urban districts of each city (the lowest codes, GB/T 2260 numbers
the historic centre first) counting half as much again as the others. This is a rough weighting
(county populations differ more than that), documented as such.

Employers concentrate in cities: a county's weight for employers is its population times 4 in
the two central districts, 2 in the other urban districts, 1 in counties and county-level
cities, and half as much again in the capital, Nanning.
"""

from __future__ import annotations

import functools
import importlib.resources
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import yaml

from jiuye.registry.synthetic.draws import Labels

__all__ = ["Geography", "guangxi"]

#: 第七次全国人口普查（2020年）各设区市常住人口，万人。
PREFECTURE_POPULATION: dict[str, float] = {
    "450100": 874.16,  # 南宁市
    "450200": 415.79,  # 柳州市
    "450300": 493.11,  # 桂林市
    "450400": 282.20,  # 梧州市
    "450500": 185.32,  # 北海市
    "450600": 104.61,  # 防城港市
    "450700": 330.20,  # 钦州市
    "450800": 431.66,  # 贵港市
    "450900": 579.68,  # 玉林市
    "451000": 357.15,  # 百色市
    "451100": 200.78,  # 贺州市
    "451200": 341.72,  # 河池市
    "451300": 207.46,  # 来宾市
    "451400": 208.87,  # 崇左市
}
CAPITAL = "450100"
_KINDS = ("central", "district", "county")
_CENTRAL_DISTRICTS = 2
_CENTRAL_POPULATION_FACTOR = 1.5
_EMPLOYER_FACTOR = {"central": 4.0, "district": 2.0, "county": 1.0}
_CAPITAL_EMPLOYER_FACTOR = 1.5

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Geography:
    codes: npt.NDArray[np.int64]  # county codes, e.g. 450103
    names: tuple[str, ...]  # county names (青秀区)
    city_names: tuple[str, ...]  # the prefecture's name for each county (南宁市)
    prefecture: npt.NDArray[np.int64]  # index into ``prefectures`` for each county
    prefectures: tuple[str, ...]
    kind: Labels  # central | district | county
    population: Floats  # share of residents (sums to 1)
    employers: Floats  # share of employers (sums to 1)

    @property
    def size(self) -> int:
        return len(self.codes)


def _regions() -> dict[str, dict[str, str]]:
    text = importlib.resources.files("jiuye.data").joinpath("regions.yaml").read_text("utf-8")
    data: dict[str, dict[str, str]] = yaml.safe_load(text)["regions"]
    return data


@functools.cache
def guangxi() -> Geography:
    regions = _regions()
    counties = sorted(c for c, e in regions.items() if c.startswith("45") and e["level"] == "county")
    prefectures = sorted(PREFECTURE_POPULATION)
    kind: list[str] = []
    for code in counties:
        siblings = [c for c in counties if c[:4] == code[:4] and regions[c]["name"].endswith("区")]
        if code in siblings[:_CENTRAL_DISTRICTS]:
            kind.append("central")
        else:
            kind.append("district" if code in siblings else "county")
    prefecture = np.array([prefectures.index(c[:4] + "00") for c in counties], dtype=np.int64)
    kinds = np.array(kind)
    share = np.where(kinds == "central", _CENTRAL_POPULATION_FACTOR, 1.0)
    population = np.zeros(len(counties))
    for i, pref in enumerate(prefectures):
        members = prefecture == i
        population[members] = PREFECTURE_POPULATION[pref] * share[members] / share[members].sum()
    factor = np.array([_EMPLOYER_FACTOR[k] for k in kind])
    factor *= np.where(np.array([c[:4] + "00" for c in counties]) == CAPITAL, _CAPITAL_EMPLOYER_FACTOR, 1.0)
    employers = population * factor
    return Geography(
        codes=np.array([int(c) for c in counties], dtype=np.int64),
        names=tuple(regions[c]["name"] for c in counties),
        city_names=tuple(regions[c[:4] + "00"]["name"] for c in counties),
        prefecture=prefecture,
        prefectures=tuple(prefectures),
        kind=Labels(_KINDS, np.array([_KINDS.index(k) for k in kind], dtype=np.int64)),
        population=population / population.sum(),
        employers=employers / employers.sum(),
    )
