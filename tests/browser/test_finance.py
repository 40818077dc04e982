"""Finance, the 1131 ledger and job postings in a real browser: finance makes a batch of claims
approved through the live server's JSON API, downloads the bank file, uploads the bank's return
(made by the simulated bank) and sees what was paid and what failed; a caseworker registers a
graduate and records a service, and imports a posting file. Screenshots (desktop and phone) and the
accessibility check on each main page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from tests.browser.harness import PASSWORD, LiveServer, accessibility_problems, login, screenshot
from tests.finance_world import approved_claims, bank_return, bearer, new_person

POSTINGS = (
    "岗位名称,单位名称,工作地点,薪资,学历,经验,招聘人数,发布日期,截止日期,技能\n"
    "会计,南宁浏览器财务有限公司,南宁-青秀区,4-6千/月,本科,无需经验,招2人,2025-10-01,2026-06-30,Excel\n"
    "出纳,南宁浏览器商贸有限公司,南宁-青秀区,3.5-5千/月,大专,应届生,招1人,2025-10-01,2026-06-30,Excel\n"
    "会计,南宁浏览器财务有限公司,南宁-青秀区,4-6千/月,本科,无需经验,招2人,2025-10-01,2026-06-30,Excel\n"
    "文员,南宁浏览器科技有限公司,南宁-青秀区,面议,大专,无需经验,招1人,2025-13-45,2026-06-30,Office\n"
)

#: A file large enough to be seen running (each title is coded anew), refused whole in strict mode
#: by its last row: the progress bar shows, then the failure, and no posting is stored.
_TITLES = ("会计", "出纳", "行政文员", "销售代表", "软件工程师", "仓库管理员", "电工", "厨师", "客服专员", "护士")
LARGE_STRICT = (
    POSTINGS.splitlines()[0] + "\n"
    + "".join(f"{_TITLES[i % 10]}{i},南宁浏览器大批{i}有限公司,南宁-青秀区,4-6千/月,本科,无需经验,招2人,"
              "2025-10-01,2026-06-30,Excel\n" for i in range(4000))
    + "文员,南宁浏览器严格有限公司,南宁-青秀区,面议,大专,无需经验,招1人,2025-13-45,2026-06-30,Office\n"
)  # fmt: skip


@pytest.fixture
def api(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


def _checked(page: Any, name: str) -> None:
    screenshot(page, name)
    assert accessibility_problems(page) == [], name


def test_finance_pays_an_approved_claim_and_sees_what_failed(page: Any, server: LiveServer, api: httpx.Client) -> None:
    first, second = approved_claims(api, PASSWORD, 2, firm="qiye")
    login(page, server, "finance")
    page.goto(server.url("/staff/batches"))
    _checked(page, "finance-batches-desktop")
    page.get_by_role("button", name="生成批次").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text().startswith("批次已生成")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载代发文件").click()
    bank_file = Path(download.value.path()).read_bytes()
    assert bank_file.decode("utf-8-sig").splitlines()[0].startswith("JY")
    page.reload()
    assert page.get_by_text("已导出").count() >= 1
    _checked(page, "finance-batch-desktop")
    # The bank pays every line but the last (our newest claim): 户名与账号不符.
    lines = len(bank_file.decode("utf-8-sig").splitlines()) - 1
    returned = bank_return(bank_file, failed=slice(-1, None))
    page.set_input_files("#f-file", files=[{"name": "回盘.txt", "mimeType": "text/plain", "buffer": returned}])
    page.get_by_role("button", name="导入并对账").click()
    page.wait_for_load_state()
    summary = page.get_by_role("status").inner_text()
    assert f"成功 {lines - 1} 笔，失败 1 笔" in summary, summary
    failed = page.get_by_role("region", name="失败（可在下一批次重发）（1 笔）")
    assert failed.get_by_text("户名与账号不符").count() == 1
    _checked(page, "finance-reconciled-desktop")
    as_firm = bearer(api, "qiye", PASSWORD)
    assert api.get(f"/applications/{first}", headers=as_firm).json()["state_label"] == "已发放"
    assert api.get(f"/applications/{second}", headers=as_firm).json()["state_label"] == "已核准"
    page.goto(server.url("/staff/funds"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("资金台账")
    _checked(page, "finance-funds-desktop")


def test_a_caseworker_keeps_the_1131_ledger(page: Any, server: LiveServer) -> None:
    login(page, server, "clerk")
    page.goto(server.url("/staff/ledger/register"))
    page.get_by_label("公民身份号码").fill(new_person())
    page.get_by_label("姓名").fill("浏览器同学")
    page.get_by_label("毕业（离校）日期").fill("2025-06-30")
    page.get_by_label("毕业院校").fill("广西大学")
    page.get_by_label("低保家庭").check()
    page.get_by_role("button", name="登记入台账").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "帮扶对象：浏览器同学"
    page.get_by_label("服务类别").select_option("policy_briefing")
    page.get_by_label("服务方式").select_option("电话")
    page.get_by_label("服务内容或凭证").fill("电话告知一次性扩岗补助和求职创业补贴政策")
    page.get_by_role("button", name="记录服务").click()
    page.wait_for_load_state()
    assert page.get_by_text("电话告知一次性扩岗补助和求职创业补贴政策").count() == 1
    _checked(page, "ledger-graduate-desktop")
    page.goto(server.url("/staff/ledger"))
    row = page.get_by_role("row").filter(has_text="浏览器同学")
    assert row.count() >= 1 and "职业指导 1 次" in row.first.inner_text()
    _checked(page, "ledger-desktop")


def _import(page: Any, server: LiveServer, name: str, text: str, *, strict: bool = False) -> None:
    page.goto(server.url("/staff/jobs"))
    page.get_by_label("来源渠道").fill("浏览器测试")
    page.set_input_files("#f-file", files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}])
    if strict:
        page.get_by_label("严格模式").check()
    page.get_by_role("button", name="导入", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("岗位导入 ")


def test_a_caseworker_imports_job_postings(page: Any, server: LiveServer) -> None:
    login(page, server, "clerk")
    # A large file runs in the background: its page shows the progress bar, reloads itself when
    # the job ends and then says why the strict import refused the file.
    _import(page, server, "大批岗位.csv", LARGE_STRICT, strict=True)
    assert page.locator("progress").is_visible(), "导入进行中应显示进度条"
    _checked(page, "jobs-import-progress-desktop")
    page.get_by_role("alert").filter(has_text="岗位导入未能完成").wait_for(timeout=90_000)
    assert "招聘信息有误" in page.get_by_role("alert").inner_text() and page.locator("progress").count() == 0
    # A small file: the report once the job has finished (the page reloads itself if it was running).
    _import(page, server, "岗位.csv", POSTINGS)
    page.get_by_role("heading", name="导入结果").wait_for(timeout=60_000)
    summary = page.get_by_role("status").inner_text()
    assert "导入 2 条" in summary and "重复跳过 1 行" in summary and "有误 1 行" in summary, summary
    assert page.get_by_text("“发布日期”").count() == 1
    _checked(page, "jobs-import-desktop")
    report_url = page.url
    page.goto(server.url("/staff/jobs"))
    assert page.get_by_text("南宁浏览器财务有限公司").count() >= 1
    assert page.locator(f"a[href='{report_url.removeprefix(server.base_url)}']").count() == 1, "最近的导入"
    _checked(page, "jobs-desktop")
    page.goto(server.url("/staff/jobs/imports"))
    _checked(page, "jobs-imports-desktop")


@pytest.mark.parametrize(
    ("username", "path", "name", "follow"),
    [
        ("finance", "/staff/batches", "finance-batches-phone", None),
        ("finance", "/staff/batches", "finance-batch-phone", "td a[href^='/staff/batches/']"),
        ("finance", "/staff/funds", "finance-funds-phone", None),
        ("clerk", "/staff/ledger", "ledger-phone", None),
        ("clerk", "/staff/ledger", "ledger-graduate-phone", "td a[href^='/staff/ledger/graduates/']"),
        ("clerk", "/staff/jobs", "jobs-phone", None),
        ("clerk", "/staff/jobs", "jobs-import-phone", "td a[href^='/staff/jobs/imports/']"),
    ],
)
def test_finance_ledger_and_job_pages_on_a_phone(
    phone: Any, server: LiveServer, username: str, path: str, name: str, follow: str | None
) -> None:
    """The lists, and a record of each (made by the tests above), fold to one column on a phone."""
    login(phone, server, username)
    phone.goto(server.url(path))
    if follow:
        phone.locator(follow).first.click()
        phone.wait_for_load_state()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "手机宽度下不应横向滚动"
    _checked(phone, name)
