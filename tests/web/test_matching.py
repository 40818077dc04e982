"""政策找人 from the console: a synthetic run in the background, its lists paged and downloadable,
one match turned into a case of the region; another region's caseworker sees nothing of it, a
claimant is refused, a bad registry is reported row by row, a restart fails what it cut short."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.api_world import PASSWORD, Service
from tests.web_world import Browser, browser_of

from jiuye.service.api import create_app
from jiuye.service.auth import create_user
from jiuye.service.background import INTERRUPTED
from jiuye.service.db import transaction
from jiuye.service.models import Application, AuditEvent, BackgroundJob, User

_ROW_FORM = re.compile(r'name="row" value="(\d+)"')


def _wait(browser: Browser, run_id: int, seconds: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = browser.get(f"/staff/matching/{run_id}/progress")
        assert answer.status_code == 200, answer.text[:300]
        job: dict[str, Any] = answer.json()
        if job["finished"]:
            return job
        time.sleep(0.3)
    pytest.fail(f"政策找人 {run_id} 未在 {seconds} 秒内完成")


def _start(browser: Browser, persons: int = 300, region: str = "450103") -> int:
    browser.get("/staff/matching")
    answer = browser.post(
        "/staff/matching/synthetic", {"persons": str(persons), "as_of": "2025-12-01", "region": region},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303, answer.text[:800]
    return int(answer.headers["location"].rsplit("/", 1)[1])


@pytest.fixture(scope="module")
def run(service: Service) -> int:
    clerk = browser_of(service, "caseworker")
    run_id = _start(clerk)
    job = _wait(clerk, run_id)
    assert job["state"] == "done", job
    return run_id


@pytest.fixture(scope="module")
def outsider(service: Service) -> Browser:
    with transaction(service.app.state.sessions) as session:
        create_user(session, username="clerk102", password=PASSWORD, role="caseworker", region="450102",
                    display_name="兴宁区经办")  # fmt: skip
    return browser_of(service, username="clerk102")


def test_a_synthetic_run_finishes_in_the_background_with_its_budget_and_lists(service: Service, run: int) -> None:
    clerk = browser_of(service, "caseworker")
    page = clerk.get(f"/staff/matching/{run}")
    assert page.status_code == 200
    assert "已完成" in page.text and "应发资金合计" in page.text and "元" in page.text
    assert "data-progress-url" not in page.text  # finished: no bar
    listed = clerk.get(f"/staff/matching/{run}?tab=eligible&per_page=5")
    total = int(re.search(r"共 (\d+) 条", listed.text).group(1))  # type: ignore[union-attr]
    assert total > 5 and "第 1–5 条" in listed.text and 'rel="next"' in listed.text
    second = clerk.get(f"/staff/matching/{run}?tab=eligible&per_page=5&page=2")
    assert "第 6–10 条" in second.text
    one = clerk.get(f"/staff/matching/{run}?tab=eligible&measure=gx.startup.loan&per_page=200")
    shown = int(re.search(r"共 (\d+) 条", one.text).group(1))  # type: ignore[union-attr]
    assert 0 < shown < total and one.text.count('<td data-label="政策">创业担保贷款<br>') == shown
    assert "measure=gx.startup.loan" in one.text  # the download keeps the filter
    for tab, words in (("budget", "预算汇总"), ("near", "差一点名单")):
        answer = clerk.get(f"/staff/matching/{run}?tab={tab}")
        assert answer.status_code == 200 and words in answer.text
    for tab in ("budget", "eligible", "near"):
        answer = clerk.get(f"/staff/matching/{run}/{tab}.xlsx")
        assert answer.status_code == 200 and answer.content[:2] == b"PK"
    with service.app.state.sessions() as session:
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == str(run))).all()
        assert "matching.start" in actions and actions.count("matching.export") >= 3
    # personal data masked: no 18-digit ID number on the page
    assert not re.search(r"\b\d{17}[\dX]\b", listed.text)


def test_one_match_becomes_a_case_of_the_region(service: Service, run: int) -> None:
    clerk = browser_of(service, "caseworker")
    page = clerk.get(f"/staff/matching/{run}?tab=eligible&per_page=200")
    candidates = _ROW_FORM.findall(page.text)
    assert candidates, "名单中应有可转为案件的对象"
    created: list[int] = []
    for row in candidates:
        answer = clerk.post(f"/staff/matching/{run}/import", {"row": row})
        assert answer.status_code == 200, answer.text[:500]
        created = [int(n) for n in re.findall(r'href="/staff/cases/(\d+)"', answer.text)]
        if created:
            assert "新建主动服务案件 1 件" in answer.text
            break
        assert "跳过" in answer.text
    assert len(created) == 1
    with service.app.state.sessions() as session:
        case = session.get(Application, created[0])
        assert case is not None and case.source == "proactive" and case.region.startswith("4501")
    again = clerk.post(f"/staff/matching/{run}/import", {"row": row})
    assert "新建主动服务案件 0 件" in again.text and "不重复建案" in again.text
    for bad in ({"row": "99999999"}, {"row": "-1"}, {}, {"measures": "no.such.measure"}):
        refused = clerk.post(f"/staff/matching/{run}/import", bad)
        assert refused.status_code == 422, bad


def test_a_whole_measure_becomes_cases(service: Service, run: int) -> None:
    clerk = browser_of(service, "caseworker")
    page = clerk.get(f"/staff/matching/{run}")
    measures = re.findall(r'name="measures" value="([^"]+)"', page.text)
    assert measures, "应有可转为案件的政策"
    answer = clerk.post(f"/staff/matching/{run}/import", {"measures": measures[-1]})
    assert answer.status_code == 200 and re.search(r"新建主动服务案件 \d+ 件，跳过 \d+ 件", answer.text)


def test_another_regions_caseworker_sees_neither_the_run_nor_its_results(
    service: Service, run: int, outsider: Browser
) -> None:
    assert f'/staff/matching/{run}"' not in outsider.get("/staff/matching").text
    for path in (f"/staff/matching/{run}", f"/staff/matching/{run}/progress", f"/staff/matching/{run}/eligible.xlsx"):
        assert outsider.get(path).status_code == 404, path
    outsider.get("/staff/matching")
    answer = outsider.post(f"/staff/matching/{run}/import", {"measures": "gx.expansion"})
    assert answer.status_code == 404
    refused = outsider.post("/staff/matching/synthetic", {"persons": "300", "as_of": "2025-12-01", "region": "450103"})
    assert refused.status_code == 422 and "不在您的辖区" in refused.text and 'value="300"' in refused.text


def test_a_run_whose_files_were_removed_says_so(service: Service) -> None:
    clerk = browser_of(service, "caseworker")
    run_id = _start(clerk, persons=100)
    assert _wait(clerk, run_id)["state"] == "done"
    folder = service.app.state.settings.data_dir / "matching" / str(run_id) / "out"
    (folder / "summary.json").unlink()
    page = clerk.get(f"/staff/matching/{run_id}")
    assert page.status_code == 200 and "结果文件已不在数据目录中" in page.text
    assert clerk.get(f"/staff/matching/{run_id}/eligible.xlsx").status_code == 422
    (folder / "decisions.parquet").unlink()
    refused = clerk.post(f"/staff/matching/{run_id}/import", {"row": "0"})
    assert refused.status_code == 422 and "结果文件已不存在" in refused.text


def test_other_staff_of_the_region_see_the_same_progress(service: Service, run: int) -> None:
    job = browser_of(service, "reviewer").get(f"/staff/matching/{run}/progress").json()
    assert job == {"done": job["total"], "total": job["total"], "message": job["message"], "state": "done",
                   "finished": True}  # fmt: skip
    assert job["total"] > 2 and job["message"].startswith("已完成")


def test_a_claimant_is_refused(service: Service, run: int) -> None:
    firm = browser_of(service, "enterprise")
    for path in ("/staff/matching", f"/staff/matching/{run}", f"/staff/matching/{run}/progress"):
        answer = firm.get(path)
        assert answer.status_code == 403, path
        assert "无权" in answer.text or "仅供工作人员" in answer.text


def test_a_malformed_upload_is_refused_row_by_row_in_chinese(service: Service) -> None:
    clerk = browser_of(service, "caseworker")
    clerk.get("/staff/matching")
    bad = "人员编号,身份证号,是否高校毕业生\nP1,110105194912310021,否\nP2,11010519491231002X,也许\n".encode()
    with service.app.state.sessions() as session:
        before = session.scalar(select(BackgroundJob.id).order_by(BackgroundJob.id.desc()).limit(1))
    answer = clerk.post(
        "/staff/matching/upload", {"as_of": "2025-12-01", "region": "450103"},
        files=[("files", ("人员.csv", bad, "text/csv"))],
    )  # fmt: skip
    assert answer.status_code == 422
    assert "台账数据有误" in answer.text and "人员.csv" in answer.text
    assert re.search(r'data-label="行号">2<', answer.text) and re.search(r'data-label="行号">3<', answer.text)
    assert "校验码" in answer.text and 'value="2025-12-01"' in answer.text
    with service.app.state.sessions() as session:
        after = session.scalar(select(BackgroundJob.id).order_by(BackgroundJob.id.desc()).limit(1))
    assert after == before, "有误的台账不发起任务"
    wrong_type = clerk.post(
        "/staff/matching/upload", {"as_of": "2025-12-01", "region": "450103"},
        files=[("files", ("persons.txt", b"x", "text/plain"))],
    )  # fmt: skip
    assert wrong_type.status_code == 422 and "只能上传" in wrong_type.text
    for name in ("persons.parquet", "人员.xlsx", "foo.csv"):
        damaged = clerk.post(
            "/staff/matching/upload", {"as_of": "2025-12-01", "region": "450103"},
            files=[("files", (name, b"\x00garbage\xff", "application/octet-stream"))],
        )  # fmt: skip
        assert damaged.status_code == 422 and "台账数据有误" in damaged.text and name in damaged.text, name


def test_a_valid_upload_runs(service: Service) -> None:
    clerk = browser_of(service, "caseworker")
    clerk.get("/staff/matching")
    good = "人员编号,身份证号,是否高校毕业生\nP1,11010519491231002X,否\n".encode()
    answer = clerk.post(
        "/staff/matching/upload", {"as_of": "2025-12-01", "region": "450103"},
        files=[("files", ("人员.csv", good, "text/csv"))], follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303, answer.text[:800]
    run_id = int(answer.headers["location"].rsplit("/", 1)[1])
    assert _wait(clerk, run_id)["state"] == "done"
    assert "上传台账" in clerk.get(f"/staff/matching/{run_id}").text
    folder = service.app.state.settings.data_dir / "matching"
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")], "上传的临时文件已清理"
    assert sorted(p.name for p in (folder / str(run_id) / "registry").iterdir()) == ["persons.parquet"]


def test_a_restart_marks_unfinished_runs_failed(service: Service, run: int) -> None:
    with transaction(service.app.state.sessions) as session:
        clerk = session.scalar(select(User).where(User.username == "clerk"))
        assert clerk is not None
        job = BackgroundJob(kind="matching", state="running", done=3, total=10, message="已评估", region="450103",
                            created_by=clerk.id, params=json.dumps({"as_of": "2025-12-01", "source": "synthetic",
                                                                    "persons": 300}))  # fmt: skip
        session.add(job)
        session.flush()
        cut = job.id
    restarted = create_app(service.app.state.settings)
    with TestClient(restarted):  # start-up runs, then shut down
        pass
    restarted.state.engine.dispose()
    with service.app.state.sessions() as session:
        found = session.get(BackgroundJob, cut)
        assert found is not None and found.state == "failed" and found.error == INTERRUPTED
        assert session.get(BackgroundJob, run).state == "done"  # type: ignore[union-attr]
    page = browser_of(service, "caseworker").get(f"/staff/matching/{cut}")
    assert "服务重启时该任务尚未完成" in page.text


def test_a_form_out_of_bounds_is_answered_beside_the_field(service: Service) -> None:
    clerk = browser_of(service, "caseworker")
    clerk.get("/staff/matching")
    answer = clerk.post("/staff/matching/synthetic", {"persons": "999999", "as_of": "2025-13-01", "region": "45010"})
    assert answer.status_code == 422
    assert 'id="e-persons"' in answer.text and 'id="e-as_of"' in answer.text and 'id="e-region"' in answer.text
    assert 'value="999999"' in answer.text and 'value="45010"' in answer.text


def test_a_job_that_fails_says_why_with_personal_data_masked(service: Service) -> None:
    from jiuye.errors import JiuyeError
    from jiuye.service.auth import Caller
    from jiuye.service.background import Background, Progress, new_job

    def broken(progress: Progress) -> str:
        progress.step(1, 4, "开始")
        msg = "台账中 450103200305011236 的记录无法处理"
        raise JiuyeError(msg)

    background = Background(service.app.state.sessions)
    with transaction(service.app.state.sessions) as session:
        clerk = session.scalar(select(User).where(User.username == "clerk"))
        assert clerk is not None
        caller = Caller(clerk.id, clerk.username, clerk.role, clerk.region, None)
        job = new_job(session, caller, kind="matching", region="450103", params={"source": "synthetic"})
        background.submit_after_commit(session, job.id, broken)
        failed = job.id
    background.shutdown_and_wait()
    with service.app.state.sessions() as session:
        found = session.get(BackgroundJob, failed)
        assert found is not None and found.state == "failed" and found.done == 1
        assert found.error == "台账中 4501**********1236 的记录无法处理"


def test_a_job_queued_inside_a_savepoint_starts_only_when_the_request_commits(service: Service) -> None:
    """Releasing a savepoint fires the session's "after_commit" too: the worker must not look for the
    job's row before the outer transaction has committed it (it would find nothing and never run it)."""
    from jiuye.service.auth import Caller
    from jiuye.service.background import Background, Progress, new_job

    seen: list[str] = []

    def work(progress: Progress) -> str:
        seen.append("ran")
        return ""

    background = Background(service.app.state.sessions)
    with transaction(service.app.state.sessions) as session:
        clerk = session.scalar(select(User).where(User.username == "clerk"))
        assert clerk is not None
        caller = Caller(clerk.id, clerk.username, clerk.role, clerk.region, None)
        with session.begin_nested():
            job = new_job(session, caller, kind="matching", region="450103", params={"source": "synthetic"})
            background.submit_after_commit(session, job.id, work)
        time.sleep(0.5)  # a worker started at the savepoint would have run (and missed the row) by now
        assert seen == []
        queued = job.id
    background.shutdown_and_wait()
    with service.app.state.sessions() as session:
        found = session.get(BackgroundJob, queued)
        assert found is not None and found.state == "done" and seen == ["ran"]
