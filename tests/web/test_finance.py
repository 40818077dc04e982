"""Finance, ledger and job pages over HTTP: a batch of approved claims created, its bank file
downloaded, the bank's return reconciled (what was paid, what failed and why); who may do what on
whose data (another region sees nothing, a caseworker cannot pay); bad files and forms answered in
Chinese with nothing half-written; the fund position; the 1131 ledger; job postings and their import."""

from __future__ import annotations

import io
import re
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from tests.api_world import PASSWORD, Service
from tests.finance_world import application_state, approved_claims, bank_return, bearer, new_person
from tests.web_world import Browser, browser_of

from jiuye.service.db import transaction
from jiuye.service.models import AuditEvent, BackgroundJob

OTHER_REGION = "450202"  # 柳州市城中区: another bureau on the same deployment


@pytest.fixture(scope="module")
def api(service: Service) -> TestClient:
    return TestClient(service.app)


@pytest.fixture(scope="module")
def staff(service: Service, api: TestClient) -> dict[str, str]:
    """More staff through the administrator's API: a second finance user here, finance and a
    caseworker of another region."""
    made = {
        "finance2": ("finance", "450103"),
        "finance_lz": ("finance", OTHER_REGION),
        "clerk_lz": ("caseworker", OTHER_REGION),
    }
    for name, (role, region) in made.items():
        body = {"username": name, "password": PASSWORD, "role": role, "region": region, "display_name": name}
        assert api.post("/users", json=body, headers=service.headers("admin")).status_code == 201
    return {name: name for name in made}


def _batch_of(answer: Any) -> str:
    assert answer.status_code == 303, answer.text[:800]
    location: str = answer.headers["location"]
    assert re.fullmatch(r"/staff/batches/\d+\?created=1", location)
    return location.split("?")[0]


def _paid_batch(api: TestClient, finance: Browser, count: int = 1) -> tuple[list[int], str]:
    claims = approved_claims(api, PASSWORD, count, firm="firm")
    finance.get("/staff/batches")
    return claims, _batch_of(finance.post("/staff/batches", {"pay_date": "2025-12-16"}, follow_redirects=False))


def test_finance_pays_a_batch_and_sees_what_failed_and_why(service: Service, api: TestClient) -> None:
    finance = browser_of(service, "finance")
    (paid, failed), batch = _paid_batch(api, finance, 2)
    page = finance.get(batch)
    assert page.status_code == 200 and "3,000.00 元" in page.text and "待导出" in page.text
    assert "6217***********0001" in page.text and "6217000000000000001" not in page.text, "账号脱敏"
    bank_file = finance.post(batch + "/file", {"format": "text", "encoding": "utf-8-sig"})
    assert bank_file.status_code == 200 and "attachment" in bank_file.headers["content-disposition"]
    assert bank_file.content.decode("utf-8-sig").count("\r\n") == 3
    # The batch's lines are in application order: the first fails, the second is paid.
    result = finance.post(
        batch + "/return", files={"file": ("回盘.txt", bank_return(bank_file.content, failed=slice(1)))}
    )
    assert result.status_code == 200
    assert "成功 1 笔，失败 1 笔" in result.text and "户名与账号不符" in result.text
    firm = bearer(api, "firm", PASSWORD)
    assert application_state(api, firm, failed) == "已发放"  # the second line (see above) was paid
    assert application_state(api, firm, paid) == "已核准", "失败的一笔仍待下一批次发放"
    listed = finance.get("/staff/batches?status=reconciled")
    assert batch.rsplit("/", 1)[1] in listed.text and "已对账" in listed.text
    sheet = load_workbook(io.BytesIO(finance.get("/staff/batches/export.xlsx").content)).active
    assert sheet is not None and sheet.cell(1, 1).value == "批次号" and sheet.max_row >= 2
    payments = load_workbook(io.BytesIO(finance.get(batch + "/payments.xlsx").content)).active
    assert payments is not None and "户名与账号不符" in {c.value for c in payments[2]} | {c.value for c in payments[3]}


def test_another_region_sees_no_batch_and_cannot_download_its_file(
    service: Service, api: TestClient, staff: dict[str, str]
) -> None:
    finance = browser_of(service, "finance")
    _, batch = _paid_batch(api, finance)
    number = re.search(r"发放批次 (JY\w+)", finance.get(batch).text)
    assert number
    other = browser_of(service, username=staff["finance_lz"])
    assert number.group(1) not in other.get("/staff/batches").text
    assert other.get(batch).status_code == 404
    assert other.post(batch + "/file", {"format": "text"}).status_code == 404
    assert other.post(batch + "/return", files={"file": ("r.txt", b"x")}).status_code == 404
    assert other.post(batch + "/void", {"reason": "不是本辖区的批次"}).status_code == 404
    sheet = load_workbook(io.BytesIO(other.get("/staff/batches/export.xlsx").content)).active
    assert sheet is not None and sheet.max_row == 1, "导出也只含本辖区的批次"


def test_a_caseworker_cannot_create_or_see_batches(service: Service) -> None:
    clerk = browser_of(service, "caseworker")
    clerk.get("/staff/ledger")
    refused = clerk.post("/staff/batches", {"pay_date": "2025-12-16"})
    assert refused.status_code == 403 and "财务" in refused.text
    assert clerk.get("/staff/batches").status_code == 403
    assert browser_of(service, "enterprise").get("/staff/batches").status_code == 403


def test_a_wrong_pay_date_is_shown_beside_the_field_and_kept(service: Service) -> None:
    finance = browser_of(service, "finance")
    finance.get("/staff/batches")
    answer = finance.post("/staff/batches", {"pay_date": "2025-13-40"})
    assert answer.status_code == 422 and 'id="e-pay_date"' in answer.text and 'value="2025-13-40"' in answer.text
    early = finance.post("/staff/batches", {"pay_date": "2025-01-01"})
    assert early.status_code == 422 and "不能早于今天" in early.text


def test_bad_return_files_change_nothing(service: Service, api: TestClient) -> None:
    finance = browser_of(service, "finance")
    _, batch = _paid_batch(api, finance)
    bank_file = finance.post(batch + "/file", {"format": "text"}).content
    _, other_batch = _paid_batch(api, finance)
    other_file = finance.post(other_batch + "/file", {"format": "text"}).content
    for name, data in (
        ("空.txt", b""),
        ("乱码.txt", b"\xff\xfe\x00\x81garbage"),
        ("别的批次.txt", bank_return(other_file)),
    ):
        answer = finance.post(batch + "/return", files={"file": (name, data)})
        assert answer.status_code == 422, (name, answer.status_code)
        assert "text/html" in answer.headers["content-type"] and re.search(r"[回盘批次]", answer.text)
    missing = finance.post(batch + "/return", data={})
    assert missing.status_code == 422 and "请选择银行回盘文件" in missing.text
    page = finance.get(batch).text
    assert "已导出" in page and "已付款" not in page, "有问题的回盘不改动任何一笔"
    assert finance.post(batch + "/return", files={"file": ("回盘.txt", bank_return(bank_file))}).status_code == 200


def test_a_void_needs_a_second_finance_user_and_a_reason(
    service: Service, api: TestClient, staff: dict[str, str]
) -> None:
    finance = browser_of(service, "finance")
    _, batch = _paid_batch(api, finance)
    page = finance.get(batch).text
    void_link = re.search(r'href="(/staff/batches/\d+/payments/\d+/void)"', page)
    assert void_link
    own = finance.post(void_link.group(1), {"reason": "收款账户错误，待更正"})
    assert own.status_code == 403 and "另一名财务人员" in own.text and "收款账户错误，待更正" in own.text
    second = browser_of(service, username=staff["finance2"])
    second.get(void_link.group(1))
    short = second.post(void_link.group(1), {"reason": "错"})
    assert short.status_code == 422 and 'id="e-reason"' in short.text
    done = second.post(void_link.group(1), {"reason": "收款账户错误，待更正"}, follow_redirects=False)
    assert done.status_code == 303
    assert "已作废" in second.get(batch).text and "收款账户错误，待更正" in second.get(batch).text
    # A whole batch whose file went out: voided only with the statement that the bank did not execute it.
    claims, exported = _paid_batch(api, finance)
    finance.post(exported + "/file", {"format": "xlsx"})
    second.get(exported)
    reason = {"reason": "代发文件未提交银行，重新生成"}
    unstated = second.post(exported + "/void", reason)
    assert unstated.status_code == 422 and "银行未执行" in unstated.text and "代发文件未提交银行" in unstated.text
    stated = second.post(exported + "/void", {**reason, "bank_not_executed": "on"}, follow_redirects=False)
    assert stated.status_code == 303
    assert "已作废" in second.get(exported).text
    again = _batch_of(finance.post("/staff/batches", {"pay_date": "2025-12-16"}, follow_redirects=False))
    assert "第 2 次付款" in finance.get(again).text, "作废的补贴以新的幂等键重新发放"
    assert application_state(api, bearer(api, "firm", PASSWORD), claims[0]) == "已核准"


def test_fund_position_and_allocations(service: Service, staff: dict[str, str]) -> None:
    finance = browser_of(service, "finance")
    page = finance.get("/staff/funds?year=2025")
    assert page.status_code == 200 and "就业补助资金" in page.text and "未登记，不控制" in page.text
    bad = finance.post(
        "/staff/funds/allocations",
        {"fund": "employment_fund", "region": "450103", "year": "2025", "amount": "一百万", "note": "x"},
    )
    assert bad.status_code == 422 and 'id="e-amount"' in bad.text and 'value="一百万"' in bad.text
    body = {
        "fund": "employment_fund",
        "region": "450103",
        "year": "2025",
        "amount": "1,000,000.00",
        "note": "桂财社〔2025〕1号",
    }
    assert finance.post("/staff/funds/allocations", body, follow_redirects=False).status_code == 303
    page = finance.get("/staff/funds?year=2025").text
    assert "1,000,000.00 元" in page and "桂财社〔2025〕1号" in page and "已登记下达" in page
    outside = finance.post("/staff/funds/allocations", {**body, "region": OTHER_REGION})
    assert outside.status_code == 403 and "不在您的辖区" in outside.text
    clerk = browser_of(service, "caseworker")
    seen = clerk.get("/staff/funds?year=2025")
    assert seen.status_code == 200 and "1,000,000.00 元" in seen.text and "登记资金下达" not in seen.text
    assert clerk.post("/staff/funds/allocations", body).status_code == 403
    other = browser_of(service, username=staff["finance_lz"]).get("/staff/funds?year=2025").text
    assert "桂财社〔2025〕1号" not in other


def _register(clerk: Browser, number: str, **extra: str) -> Any:
    clerk.get("/staff/ledger/register")
    form = {
        "id_number": number,
        "name": extra.pop("name", "李同学"),
        "region": "450103",
        "graduated_on": "2025-06-30",
        "school": "广西大学",
        **extra,
    }
    return clerk.post("/staff/ledger/register", form, follow_redirects=False)


def test_the_ledger_registers_a_graduate_and_records_a_service(
    service: Service, api: TestClient, staff: dict[str, str]
) -> None:
    clerk = browser_of(service, "caseworker")
    number = new_person()
    done = _register(clerk, number, hardship="low_income_family")
    assert done.status_code == 303, done.text[:800]
    graduate = done.headers["location"].split("?")[0]
    page = clerk.get(graduate).text
    assert "李同学" in page and number not in page and "政策宣介" in page and "桂人社发〔2025〕38号（十七）" in page
    again = _register(clerk, number)
    assert again.status_code == 409 and "已在实名帮扶台账中" in again.text and 'value="广西大学"' in again.text
    short = clerk.post(
        graduate + "/services", {"kind": "policy_briefing", "on": "2025-12-01", "channel": "电话", "evidence": "打"}
    )
    assert short.status_code == 422 and 'id="e-evidence"' in short.text
    ok = clerk.post(
        graduate + "/services",
        {"kind": "policy_briefing", "on": "2025-12-01", "channel": "电话", "evidence": "电话告知一次性扩岗补助政策"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert "电话告知一次性扩岗补助政策" in clerk.get(graduate).text
    ledger = clerk.get("/staff/ledger")
    assert ledger.status_code == 200 and "李同学" in ledger.text and "职业指导 1 次" in ledger.text
    sheet = load_workbook(io.BytesIO(clerk.get("/staff/ledger/export.xlsx").content)).active
    assert sheet is not None and number not in str([c.value for row in sheet.iter_rows() for c in row])
    # Overdue: sixty days later the rest of the plan is late (deadlines.yaml, a local setting).
    admin = service.headers("admin")
    api.post("/demo/today", json={"today": "2026-03-01"}, headers=admin)
    try:
        late = clerk.get("/staff/ledger?overdue=1").text
        assert "李同学" in late and "起逾期" in late
    finally:
        api.post("/demo/today", json={"today": "2025-12-01"}, headers=admin)
    # Employed: nothing more of the plan is owed (the status change states why).
    short = clerk.post(graduate + "/status", {"status": "employed", "on": "2025-12-01", "reason": "就业"})
    assert short.status_code == 422 and 'id="e-status-reason"' in short.text
    hired = {"status": "employed", "on": "2025-12-01", "reason": "已与南宁某公司签订劳动合同"}
    assert clerk.post(graduate + "/status", hired, follow_redirects=False).status_code == 303
    page = clerk.get(graduate).text
    assert "已就业" in page and "已结束帮扶" in page
    other = browser_of(service, username=staff["clerk_lz"])
    assert "李同学" not in other.get("/staff/ledger").text
    assert other.get(graduate).status_code == 404
    assert (
        other.post(
            graduate + "/services", {"kind": "contact", "on": "2025-12-01", "channel": "电话", "evidence": "跨辖区记录"}
        ).status_code
        == 404
    )
    assert clerk.get("/staff/ledger?region=45").status_code == 422
    assert clerk.get(f"/staff/ledger?region={OTHER_REGION}").status_code == 403


HEADER = "岗位名称,单位名称,工作地点,薪资,学历,经验,招聘人数,发布日期,截止日期,技能\n"
ROWS = [
    "会计,南宁甲财务有限公司,南宁-青秀区,4-6千/月,本科,无需经验,招2人,2025-10-01,2026-06-30,Excel",
    "出纳,南宁乙商贸有限公司,南宁-青秀区,3.5-5千/月,大专,应届生,招1人,2025-10-01,2026-06-30,Excel",
    "行政文员,南宁丙科技有限公司,南宁-青秀区,3-4.5千/月,大专,无需经验,招1人,2025-10-01,2026-06-30,Office",
    "会计助理,南宁丁会计师事务所,南宁-青秀区,3.5-5千/月,本科,应届生,招3人,2025-10-01,2026-06-30,财务软件",
    "税务专员,南宁戊税务师事务所,南宁-青秀区,4-6千/月,本科,无需经验,招1人,2025-10-01,2026-06-30,税务申报",
]


def _start_import(browser: Browser, text: str, *, name: str = "岗位.csv", strict: bool = False) -> str:
    """Post a posting file; the page answers at once with the import's page (its progress)."""
    data = {"channel": "单位自报", **({"strict": "on"} if strict else {})}
    answer = browser.post(
        "/staff/jobs/import", data, files={"file": (name, text.encode("utf-8"))}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text[:800]
    location: str = answer.headers["location"]
    assert re.fullmatch(r"/staff/jobs/imports/\d+", location)
    return location


def _finished(browser: Browser, location: str, seconds: float = 30) -> dict[str, Any]:
    """Poll the progress JSON (as the page's script does) until the job has finished."""
    deadline, job = time.monotonic() + seconds, dict[str, Any]()
    while time.monotonic() < deadline:
        answer = browser.get(f"{location}/progress")
        assert answer.status_code == 200, answer.text[:300]
        job = answer.json()
        assert {"done", "total", "message", "finished"} <= set(job)
        if job["finished"]:
            return job
        time.sleep(0.2)
    pytest.fail(f"岗位导入 {location} 未在 {seconds} 秒内完成：{job}")


def _jobs(service: Service) -> int:
    with transaction(service.app.state.sessions) as session:
        return session.query(BackgroundJob).filter(BackgroundJob.kind == "postings_import").count()


def test_job_postings_import_reports_each_row_and_a_push_advances(
    service: Service, api: TestClient, staff: dict[str, str]
) -> None:
    clerk = browser_of(service, "caseworker")
    clerk.get("/staff/jobs")
    bad_row = "会计,南宁己公司,南宁-青秀区,面议,本科,无需经验,招1人,2025-13-45,2026-06-30,Excel"
    text = HEADER + "\n".join([*ROWS, ROWS[0], bad_row]) + "\n"
    location = _start_import(clerk, text)
    job = _finished(clerk, location)
    assert job["state"] == "done" and job["done"] == job["total"] >= 1, job
    report = clerk.get(location)
    assert report.status_code == 200, report.text[:800]
    assert "导入 5 条" in report.text and "重复跳过 1 行" in report.text and "有误 1 行" in report.text
    assert "第8行 “发布日期”" in report.text and "第7行 “整行”：与 岗位.csv 第2行相同" in report.text
    assert "data-progress-url" not in report.text, "完成后不再显示进度条"
    job_id = int(location.rsplit("/", 1)[1])
    with transaction(service.app.state.sessions) as session:
        started = session.query(AuditEvent).filter(AuditEvent.action == "jobs.import.start").all()
        assert any(e.entity_id == str(job_id) for e in started), "发起导入记入审计日志"
    listed = clerk.get("/staff/jobs")
    assert "南宁甲财务有限公司" in listed.text and "2026年6月30日" in listed.text
    assert f'href="{location}"' in listed.text and "已完成" in listed.text, "最近的导入列在岗位页"
    history = clerk.get("/staff/jobs/imports")
    assert history.status_code == 200 and f'href="{location}"' in history.text
    book = load_workbook(io.BytesIO(clerk.get("/staff/jobs/imports.xlsx").content))
    assert any(row[0] == job_id and row[6] == "已完成" for row in book.active.iter_rows(values_only=True))
    # directions are named in simplified characters (the national document's copy is traditional)
    assert "岗位开发方向" in listed.text and "就業" not in listed.text and "民營" not in listed.text
    other = browser_of(service, username=staff["clerk_lz"])
    other_jobs = other.get("/staff/jobs").text
    assert "南宁甲财务有限公司" not in other_jobs and f'href="{location}"' not in other_jobs
    finance = browser_of(service, "finance")
    finance.get("/staff/funds")
    assert finance.post("/staff/jobs/import", {"channel": "x"}, files={"file": ("a.csv", b"a")}).status_code == 403
    # A hardship graduate with a resume gets 3–5 targeted jobs from their page, and a push moves on.
    resume = "求职意向：会计\n期望城市：南宁\n学历：本科\n应届毕业生\n"
    entered = _register(clerk, new_person(), hardship="low_income_family", resume=resume, name="王同学")
    assert entered.status_code == 303, entered.text[:800]
    graduate = int(entered.headers["location"].split("?")[0].rsplit("/", 1)[1])
    pushed = clerk.post(f"/staff/ledger/graduates/{graduate}/push-jobs", {"channel": "短信"}, follow_redirects=False)
    assert pushed.status_code == 303
    as_clerk = service.headers("caseworker")
    (row,) = [r for r in api.get("/ledger", headers=as_clerk).json() if r["graduate_id"] == graduate]
    assert 3 <= row["pushes"]["已推送"] <= 5
    page = clerk.get(f"/staff/ledger/graduates/{graduate}")
    push = int(re.findall(r'name="push_id" value="(\d+)"', page.text)[0])
    other_push = clerk.post(
        f"/staff/ledger/graduates/{graduate - 1}/pushes", {"push_id": push, "stage": "applied", "on": "2025-12-01"}
    )
    assert other_push.status_code == 404, "另一帮扶对象页面不能移动本推送"
    page = clerk.get(f"/staff/ledger/graduates/{graduate}")
    assert "已推送" in page.text
    moved = clerk.post(
        f"/staff/ledger/graduates/{graduate}/pushes",
        {"push_id": push, "stage": "applied", "on": "2025-12-01"},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    assert "已投递" in clerk.get(f"/staff/ledger/graduates/{graduate}").text
    back = clerk.post(
        f"/staff/ledger/graduates/{graduate}/pushes", {"push_id": push, "stage": "viewed", "on": "2025-12-01"}
    )
    assert back.status_code in (409, 422) and "notice error" in back.text


def test_another_regions_caseworker_sees_no_import(service: Service, staff: dict[str, str]) -> None:
    clerk = browser_of(service, "caseworker")
    clerk.get("/staff/jobs")
    location = _start_import(clerk, HEADER + ROWS[1] + "\n")
    _finished(clerk, location)
    other = browser_of(service, username=staff["clerk_lz"])
    other.get("/staff/jobs")
    assert other.get(location).status_code == 404
    assert other.get(f"{location}/progress").status_code == 404
    assert f'href="{location}"' not in other.get("/staff/jobs/imports").text
    assert clerk.get("/staff/jobs/imports/999999").status_code == 404


def test_a_failed_import_ends_failed_with_a_chinese_message(service: Service) -> None:
    """Strict mode refuses the whole file inside the job: it ends failed, saying why, nothing stored."""
    clerk = browser_of(service, "caseworker")
    clerk.get("/staff/jobs")
    bad = "出纳,南宁严格失败有限公司,南宁-青秀区,面议,本科,无需经验,招1人,2025-13-45,2026-06-30,Excel"
    location = _start_import(clerk, HEADER + ROWS[2] + "\n" + bad + "\n", strict=True)
    job = _finished(clerk, location)
    assert job["state"] == "failed", job
    page = clerk.get(location)
    assert page.status_code == 200 and "岗位导入未能完成" in page.text and "招聘信息有误" in page.text
    assert "第3行" in page.text and "未导入任何数据" in page.text
    assert "南宁严格失败有限公司" not in clerk.get("/staff/jobs?show=all").text
    assert "失败" in clerk.get("/staff/jobs").text


@pytest.mark.parametrize(
    ("data", "file", "expected"),
    [
        ({"channel": "单位自报"}, ("岗位.exe", b"MZ"), "类型不支持"),
        ({"channel": "单位自报"}, ("岗位.csv", b""), "是空的"),
        ({"channel": "单位自报"}, None, "请选择岗位文件"),
        ({"channel": "有 空格"}, ("岗位.csv", HEADER.encode("utf-8")), "渠道名称"),
        ({"channel": ""}, ("岗位.csv", HEADER.encode("utf-8")), "岗位文件"),
    ],
)
def test_a_bad_upload_is_refused_at_once_and_starts_no_job(
    service: Service, data: dict[str, str], file: tuple[str, bytes] | None, expected: str
) -> None:
    clerk = browser_of(service, "caseworker")
    clerk.get("/staff/jobs")
    before = _jobs(service)
    files = {"file": file} if file else {"file": ("", b"")}
    answer = clerk.post("/staff/jobs/import", data, files=files, follow_redirects=False)
    assert answer.status_code == 422, answer.text[:500]
    assert expected in answer.text and f'value="{data["channel"]}"' in answer.text
    assert _jobs(service) == before, "被拒的上传不建任务"
