"""De-duplication of postings across channels: who merges, who stays apart, what the canonical keeps."""

from __future__ import annotations

import datetime as dt

from stdnum.cn import uscc as stdnum_uscc

from jiuye.jobs.dedup import deduplicate, employer_key, same_vacancy, title_key
from jiuye.jobs.model import Posting
from jiuye.jobs.parsing import parse_education, parse_salary


def _uscc(body: str) -> str:
    return body + stdnum_uscc.calc_check_digit(body)


def posting(
    id: str,
    title: str = "会计",
    employer: str = "广西某某科技有限公司",
    *,
    channel: str | None = None,
    region: str | None = "450103",
    salary: str | None = "4-6千/月",
    **fields: object,
) -> Posting:
    channel = channel or id.split(":")[0]
    return Posting(
        id=id,
        title=title,
        employer=employer,
        channel=channel,
        channel_id=id.split(":")[-1],
        region=region,
        salary=parse_salary(salary),
        **fields,  # type: ignore[arg-type]
    )


def test_same_job_on_two_channels_merges() -> None:
    board = posting(
        "51job:1",
        "会计（急聘）",
        "广西某某科技（南宁）有限公司",
        region="450103",
        salary="4-6千/月",
        open_on=dt.date(2025, 3, 5),
        skills=("Excel",),
    )
    staff = posting(
        "staff:A7",
        "会计",
        "广西某某科技有限责任公司",
        region="450100",  # the city: contains 青秀区
        salary="5000-7000",
        open_on=dt.date(2025, 3, 1),
        close_on=dt.date(2025, 4, 30),
        description="负责全盘账务",
        education=parse_education("大专"),
        skills=("用友", "Excel"),
    )
    (cluster,) = deduplicate([board, staff])
    assert same_vacancy(board, staff)
    assert cluster.sources == (("staff", "A7"), ("51job", "1"))  # the more complete one first
    assert cluster.channels == {"51job", "staff"}
    canonical = cluster.canonical
    assert canonical.id == "staff:A7"
    assert canonical.region == "450103" and canonical.place == ""  # the more specific region
    assert canonical.open_on == dt.date(2025, 3, 1)
    assert canonical.close_on == dt.date(2025, 4, 30)
    assert canonical.skills == ("用友", "Excel")
    assert canonical.description == "负责全盘账务"


def test_canonical_fills_blanks_from_other_members() -> None:
    rich = posting("a:1", description="负责全盘账务", education=parse_education("本科"), close_on=dt.date(2025, 4, 1))
    poor = posting("b:1", salary=None, close_on=dt.date(2025, 5, 1), employer_uscc=_uscc("91450100MA5K00001"))
    (cluster,) = deduplicate([poor, rich])
    canonical = cluster.canonical
    assert canonical.id == "a:1"
    assert canonical.employer_uscc == poor.employer_uscc
    assert canonical.close_on == dt.date(2025, 5, 1)  # the latest stated close date
    assert canonical.salary == rich.salary


def test_same_title_at_two_employers_does_not_merge() -> None:
    clusters = deduplicate([posting("a:1"), posting("b:1", employer="南宁另一家科技有限公司")])
    assert len(clusters) == 2


def test_different_districts_do_not_merge_and_matching_does_not_chain() -> None:
    qingxiu = posting("a:1", region="450103")
    jiangnan = posting("b:1", region="450105")
    city = posting("c:1", region="450100")
    assert not same_vacancy(qingxiu, jiangnan)
    assert same_vacancy(qingxiu, city) and same_vacancy(jiangnan, city)
    clusters = deduplicate([qingxiu, jiangnan, city])
    assert sorted(len(c) for c in clusters) == [1, 2]  # the city posting joins one district, not both


def test_pay_must_overlap_and_unknown_pay_matches() -> None:
    assert not same_vacancy(posting("a:1", salary="4-6千/月"), posting("b:1", salary="8-10千/月"))
    assert same_vacancy(posting("a:1", salary="4-6千/月"), posting("b:1", salary="6000以上"))
    assert same_vacancy(posting("a:1"), posting("b:1", salary="面议"))
    assert same_vacancy(posting("a:1"), posting("b:1", salary=None))
    assert same_vacancy(posting("a:1", salary="200元/天"), posting("b:1", salary="4-6千/月"))  # 200 × 21.75 = 4350


def test_regions_unknown_only_match_unknown() -> None:
    assert not same_vacancy(posting("a:1", region=None), posting("b:1"))
    assert same_vacancy(posting("a:1", region=None), posting("b:1", region=None))
    assert same_vacancy(posting("a:1", region="450000"), posting("b:1", region="450103"))  # the province


def test_credit_codes_decide_when_both_have_one() -> None:
    code_a, code_b = _uscc("91450100MA5K00001"), _uscc("91450200MA5K00002")
    branch_a = posting("a:1", "会计", "某某物流（南宁）有限公司", employer_uscc=code_a)
    branch_b = posting("b:1", "会计", "某某物流（柳州）有限公司", employer_uscc=code_b)
    assert employer_key(branch_a.employer) == employer_key(branch_b.employer)
    assert not same_vacancy(branch_a, branch_b)  # two codes: two employers under one name
    renamed = posting("c:1", "会计", "南宁某某物流股份有限公司", employer_uscc=code_a)
    assert len(deduplicate([branch_a, renamed])) == 1  # one code: one employer under two names


def test_within_channel_switch() -> None:
    twice = [posting("51job:1"), posting("51job:2"), posting("staff:1")]
    assert [len(c) for c in deduplicate(twice)] == [3]
    assert sorted(len(c) for c in deduplicate(twice, within_channel=False)) == [1, 2]


def test_titles_and_names_normalised() -> None:
    assert title_key("【南宁】会计 5-6K") == title_key("会计（双休）") == title_key("会计")
    assert title_key("策略专员-账号") != title_key("策略专员-内容")
    assert title_key("会计") != title_key("出纳")
    assert employer_key("腾讯科技（北京）有限公司") == employer_key("腾讯科技 有限责任公司") == "腾讯科技"


def test_every_posting_in_exactly_one_cluster_in_input_order() -> None:
    items = [
        posting(f"c{i % 3}:{i}", title=["会计", "出纳", "焊工"][i % 4 % 3], region=f"45010{i % 2 + 3}")
        for i in range(30)
    ]
    clusters = deduplicate(items)
    members = [p.id for c in clusters for p in c.members]
    assert sorted(members) == sorted(p.id for p in items)
    firsts = [min(items.index(p) for p in c.members) for c in clusters]
    assert firsts == sorted(firsts)
