"""Plausible names and phone numbers (synthetic: any resemblance to a real person is chance).

Surnames are weighted towards those most common in Guangxi, where 黄, 李, 陈 and the Zhuang
surnames 韦, 覃, 莫, 蒙, 陆, 农 rank high.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from jiuye.registry.synthetic.draws import Labels, choose

__all__ = ["business_names", "employer_names", "person_names", "phone_numbers"]

_SURNAMES = {
    "黄": 9, "李": 7, "陈": 6, "梁": 5, "韦": 5, "刘": 4, "覃": 3, "莫": 3, "蒙": 2, "罗": 3,
    "张": 3, "林": 3, "王": 3, "杨": 3, "周": 2, "陆": 2, "吴": 2, "谢": 2, "何": 2, "农": 1,
    "廖": 2, "邓": 2, "卢": 2, "蓝": 1, "苏": 1, "潘": 1, "唐": 2, "钟": 1, "冯": 1, "赵": 1,
}  # fmt: skip
_GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰海燕红建文辉力成晓丹宁思嘉欣怡浩宇俊豪佳琪子涵雨轩")
_FIRMS = list("恒达鑫源盛华泰宏利通捷邦瑞丰锦壮桂南宁博佳荣兴创新")
_FIRM_LINES = {
    "C": "制造", "F": "商贸", "H": "餐饮", "E": "建设工程", "M": "科技", "L": "人力资源服务",
    "G": "物流", "I": "信息技术", "K": "置业", "O": "家政服务", "A": "农业", "J": "投资",
}  # fmt: skip
_SHOPS = ["小吃店", "便利店", "五金店", "米粉店", "服装店", "水果店", "维修部", "理发店", "农资店", "茶叶店"]
_MOBILE_PREFIXES = [
    130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 155, 156, 157, 158, 159,
    166, 173, 175, 176, 177, 180, 181, 182, 183, 185, 186, 187, 188, 189, 191, 193, 198, 199,
]  # fmt: skip


def _pick(rng: np.random.Generator, items: list[str], n: int) -> pl.Series:
    return pl.Series(items, dtype=pl.String).gather(rng.integers(0, len(items), n))


def person_names(rng: np.random.Generator, n: int) -> pl.Series:
    surname = choose(rng, _SURNAMES, n).series("surname")
    first = _pick(rng, _GIVEN, n)
    second = _pick(rng, _GIVEN, n).zip_with(pl.Series(rng.random(n) < 0.7), pl.Series([""] * n))
    return (surname + first + second).alias("name")


def phone_numbers(rng: np.random.Generator, n: int) -> pl.Series:
    prefix = np.array(_MOBILE_PREFIXES, dtype=np.int64)[rng.integers(0, len(_MOBILE_PREFIXES), n)]
    return pl.Series("phone", prefix * 10**8 + rng.integers(0, 10**8, n)).cast(pl.String)


def employer_names(rng: np.random.Generator, city: pl.Series, section: Labels, kind: Labels) -> pl.Series:
    """南宁恒达制造有限公司; 个体工商户 such as 黄记米粉店; 协会 and 中心 for the others."""
    n = len(city)
    brand = _pick(rng, _FIRMS, n) + _pick(rng, _FIRMS, n)
    line = section.relabel({s: _FIRM_LINES.get(s, "商务服务") for s in section.names}).series("line")
    town = city.str.replace("市$", "")
    company = town + brand + line + "有限公司"
    shop = choose(rng, _SURNAMES, n).series("surname") + "记" + _pick(rng, _SHOPS, n)
    frame = pl.DataFrame({"kind": kind.series("kind"), "company": company, "shop": shop, "town": town, "brand": brand})
    return frame.select(
        pl.when(pl.col("kind") == "individual_business")
        .then(pl.col("shop"))
        .when(pl.col("kind") == "social_organisation")
        .then(pl.col("town") + pl.col("brand") + "行业协会")
        .when(pl.col("kind") == "public_institution")
        .then(pl.col("town") + pl.col("brand") + "服务中心")
        .when(pl.col("kind") == "government")
        .then(pl.col("town") + "某局")
        .otherwise(pl.col("company"))
        .alias("name")
    ).to_series()


def business_names(rng: np.random.Generator, county: pl.Series, individual: pl.Series) -> pl.Series:
    n = len(county)
    shop = county + choose(rng, _SURNAMES, n).series("surname") + "记" + _pick(rng, _SHOPS, n)
    firm = county.str.replace("(市|县|区)$", "") + _pick(rng, _FIRMS, n) + _pick(rng, _FIRMS, n) + "商贸有限公司"
    return shop.zip_with(individual, firm).alias("name")
