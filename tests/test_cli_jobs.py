"""``jiuye jobs`` end to end: postings from two channels (one vacancy on both), a graduate with a
resume, recommendations with reasons, targeted pushes never repeated, the trail in the ledger."""

from __future__ import annotations

import re
from pathlib import Path

from claims_world import id_number
from cli_world import run

GRADUATE = id_number("45010320030301123")
HEADER = "岗位名称,单位名称,工作地点,薪资,学历,经验,招聘人数,发布日期,截止日期,技能\n"
ROWS = [
    "会计,南宁甲财务有限公司,南宁-青秀区,4-6千/月,本科,无需经验,招2人,2025-10-01,2025-12-31,Excel",
    "出纳,南宁乙商贸有限公司,南宁-青秀区,3.5-5千/月,大专,应届生,招1人,2025-10-01,2025-12-31,Excel",
    "行政文员,南宁丙科技有限公司,南宁-青秀区,3-4.5千/月,大专,无需经验,招1人,2025-10-01,2025-12-31,Office",
    "会计助理,南宁丁会计师事务所,南宁-青秀区,3.5-5千/月,本科,应届生,招3人,2025-10-01,2025-12-31,财务软件",
    "税务专员,南宁戊税务师事务所,南宁-青秀区,4-6千/月,本科,无需经验,招1人,2025-10-01,2025-12-31,税务申报",
    "资深财务经理,南宁己集团有限公司,南宁-青秀区,1.5-2万/月,硕士,10年以上经验,招1人,2025-10-01,2025-12-31,Excel",
    "会计,柳州庚机械有限公司,柳州-城中区,4-6千/月,本科,无需经验,招1人,2025-10-01,2025-12-31,Excel",
    "会计,南宁辛贸易有限公司,南宁-青秀区,4-6千/月,本科,无需经验,招1人,2025-08-01,2025-09-30,Excel",
]
RESUME = "姓名：李同学\n求职意向：会计\n期望城市：南宁\n期望薪资：3000-5000元\n学历：本科\n应届毕业生\n"
RESUME += "技能：Excel、财务软件\n"


def test_postings_to_recommendations_to_pushes(data_dir: Path, tmp_path: Path) -> None:
    own = tmp_path / "单位自报.csv"
    own.write_text(HEADER + "\n".join(ROWS) + "\n", "gbk")
    board = tmp_path / "board.csv"
    board.write_text(HEADER + ROWS[0] + "\n", "utf-8")  # the same vacancy, published on a job board too
    code, output = run(data_dir, "jobs", "import", str(own), "--channel", "单位自报", "--reference", "2025-10-09")
    assert code == 0 and "新增 8" in output, output
    code, output = run(data_dir, "jobs", "import", str(board), "--channel", "51job", "--reference", "2025-10-09")
    assert code == 0 and "新增 0" in output, "同一岗位在另一渠道出现：并入已有岗位"

    code, output = run(data_dir, "ledger", "register", "--id-number", GRADUATE, "--name", "李同学", "--region",
                       "450103", "--graduated-on", "2025-06-30", "--hardship", "low_income_family",
                       "--today", "2025-10-01")  # fmt: skip
    assert code == 0, output
    resume = tmp_path / "简历.txt"
    resume.write_text(RESUME, "utf-8")
    code, output = run(data_dir, "ledger", "profile", "1", "--resume", str(resume))
    assert code == 0 and "会计" in output, output

    code, output = run(data_dir, "jobs", "match", "1", "--today", "2025-10-09")
    assert code == 0 and "硬性条件" in output, output
    titles = re.findall(r"^\d+\. (\S+)（", output, flags=re.MULTILINE)
    assert titles and titles[0].startswith("会计"), output
    assert "资深财务经理" not in output and "柳州" not in output and "辛贸易" not in output, "硬性条件不满足的不推荐"
    saved = data_dir / "cache" / "postings.index"
    assert saved.is_file(), "岗位索引保存在数据目录，下次直接使用"
    code, again = run(data_dir, "jobs", "match", "1", "--today", "2025-10-09")
    assert code == 0 and again == output

    code, output = run(data_dir, "jobs", "push", "1", "--today", "2025-10-09")
    assert code == 0, output
    first = set(re.findall(r"岗位 (\S+)", output))
    assert 3 <= len(first) <= 5, output
    code, output = run(data_dir, "jobs", "push", "1", "--today", "2025-10-09")
    second = set(re.findall(r"岗位 (\S+)", output))
    assert not first & second, "同一岗位不重复推送"

    code, output = run(data_dir, "ledger", "trail", "1", "--stage", "applied", "--on", "2025-10-12")
    assert code == 0, output
    code, output = run(data_dir, "ledger", "list", "--today", "2025-10-12")
    assert "已投递1" in output and "针对性岗位推送" not in output, output
