"""The caseworker's console: queues by state with counts, filters, paging and export; the case page
with the engine's conditions and clauses; the actions through the same services as the API, whose
refusals (role, tier, separation of duties) are shown in Chinese; staff of another region see
nothing of this one."""

from __future__ import annotations

import io
import itertools
import re
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from tests.api_world import PASSWORD, Service
from tests.claims_world import facts, id_number
from tests.web_world import Browser, browser_of

from jiuye.service.auth import create_user
from jiuye.service.db import transaction
from jiuye.service.models import Application, Subject
from jiuye.service.safety import record_hit

_serial = itertools.count(1)


def _new_case(service: Service, submit: bool = True) -> int:
    """A claim of the demo firm for one new hire (a person of its own), filed and submitted through the API."""
    client = browser_of(service).client
    firm = service.headers("enterprise")
    subject_id = client.get("/auth/me", headers=firm).json()["subject_id"]
    person = id_number(f"45010320030501{next(_serial):03d}")  # born 2003: 21 when hired
    body = {"measure_id": "gx.expansion", "subject_id": subject_id, "claimant_ref": "E1", "facts": facts("E1", person)}
    created = client.post("/applications", json=body, headers=firm)
    assert created.status_code == 201, created.text
    case_id = int(created.json()["id"])
    if submit:
        submitted = client.post(f"/applications/{case_id}/submit", headers=firm)
        assert submitted.json()["state"] == "auto_checked", submitted.text
    return case_id


def _state(service: Service, case_id: int) -> str:
    with transaction(service.app.state.sessions) as session:
        return str(session.scalar(select(Application.state).where(Application.id == case_id)))


def _other_region_clerk(service: Service) -> Browser:
    """A caseworker of 江南区 (450105), a neighbour of the demo district 450103."""
    with transaction(service.app.state.sessions) as session:
        if session.scalar(select(Subject.id).limit(1)) is not None and not _has_user(session, "clerk105"):
            create_user(
                session, username="clerk105", password=PASSWORD, role="caseworker", region="450105",
                display_name="江南区经办员",
            )  # fmt: skip
    return browser_of(service, username="clerk105")


def _has_user(session: Any, name: str) -> bool:
    from jiuye.service.models import User

    return session.scalar(select(User.id).where(User.username == name)) is not None


def _ids_on(html: str) -> set[int]:
    return {int(x) for x in re.findall(r'href="/staff/cases/(\d+)"', html)}


def test_the_queues_count_and_list_the_regions_cases(service: Service) -> None:
    case_id = _new_case(service)
    clerk = browser_of(service, "caseworker")
    page = clerk.get("/staff")
    assert page.status_code == 200 and "待受理" in page.text and "待审核" in page.text and "公示中" in page.text
    assert case_id in _ids_on(page.text)
    intake = re.search(r'aria-current="page">待受理\s*<span class="badge">(\d+)</span>', page.text)
    assert intake and int(intake.group(1)) >= 1
    assert "南宁示例制造有限公司" in page.text and "9145********" in page.text  # masked
    filtered = clerk.get("/staff?queue=intake&measure=gx.expansion&source=applied&name=示例制造&date_from=2025-11-01")
    assert case_id in _ids_on(filtered.text)
    assert case_id not in _ids_on(clerk.get("/staff?queue=intake&source=proactive").text)
    assert case_id not in _ids_on(clerk.get("/staff?queue=intake&name=没有这个单位").text)
    assert case_id not in _ids_on(clerk.get("/staff?queue=review").text)
    assert case_id not in _ids_on(clerk.get("/staff?queue=intake&date_to=2025-01-01").text)


def test_the_queue_pages_through_keeping_the_filters(service: Service) -> None:
    for _ in range(6):
        _new_case(service)
    clerk = browser_of(service, "caseworker")
    first = clerk.get("/staff?queue=intake&per_page=5&measure=gx.expansion")
    assert 'rel="next"' in first.text and "measure=gx.expansion" in re.search(
        r'href="([^"]*)" rel="next"', first.text
    ).group(1)  # type: ignore[union-attr]
    second = clerk.get("/staff?queue=intake&per_page=5&measure=gx.expansion&page=2")
    assert _ids_on(first.text).isdisjoint(_ids_on(second.text)) and _ids_on(second.text)


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("date_from=2025-13-01", "应为日期"),
        ("queue=bogus", "取值不在允许范围内"),
        ("measure=no.such.measure", "政策编号"),
        ("page=0", "应不小于"),
        ("date_from=2025-12-01&date_to=2025-01-01", "起始日期晚于截止日期"),
        ("per_page=100000", "应不大于"),
    ],
)
def test_malformed_filters_are_a_chinese_422(service: Service, query: str, said: str) -> None:
    clerk = browser_of(service, "caseworker")
    page = clerk.get(f"/staff?{query}")
    assert page.status_code == 422 and said in page.text, page.text[-2000:]
    export = clerk.get(f"/staff/queue.xlsx?{query}")
    assert export.status_code == 422 and said in export.text


def test_the_export_holds_the_filtered_rows_masked(service: Service) -> None:
    case_id = _new_case(service)
    answer = browser_of(service, "caseworker").get("/staff/queue.xlsx?queue=intake&measure=gx.expansion")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/vnd.openxml")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "政策", "申请对象")
    mine = [r for r in rows[1:] if r[0] == case_id]
    assert mine and mine[0][1] == "一次性扩岗补助" and "*" in str(mine[0][3]) and mine[0][6] == "已自动校验"
    assert all(r[6] in ("已提交", "已自动校验") for r in rows[1:])


def test_claimants_may_not_open_the_console(service: Service) -> None:
    case_id = _new_case(service)
    firm = browser_of(service, "enterprise")
    for path in ("/staff", "/staff/queue.xlsx", f"/staff/cases/{case_id}"):
        answer = firm.get(path)
        assert answer.status_code == 403 and "仅供工作人员" in answer.text
    refused = firm.post(f"/staff/cases/{case_id}/accept", follow_redirects=False)
    assert refused.status_code == 403 and _state(service, case_id) == "auto_checked"


def test_staff_of_another_region_see_nothing_and_act_on_nothing(service: Service) -> None:
    case_id = _new_case(service)
    other = _other_region_clerk(service)
    queue = other.get("/staff?queue=all")
    assert queue.status_code == 200 and not _ids_on(queue.text) and "南宁示例制造有限公司" not in queue.text
    assert re.search(r'aria-current="page">全部\s*<span class="badge">0</span>', queue.text)
    sheet = load_workbook(io.BytesIO(other.get("/staff/queue.xlsx?queue=all").content)).active
    assert sheet.max_row == 1  # the header alone
    page = other.get(f"/staff/cases/{case_id}")
    assert page.status_code == 404 and "南宁示例制造有限公司" not in page.text
    for action, data in (
        ("accept", {}),
        ("return", {"return_reason": "材料不全请补正"}),
        ("unmask", {"unmask_reason": "核对申请材料"}),
    ):
        answer = other.post(f"/staff/cases/{case_id}/{action}", data, follow_redirects=False)
        assert answer.status_code == 404 and "南宁示例制造有限公司" not in answer.text
    assert _state(service, case_id) == "auto_checked"


def test_the_case_page_shows_every_condition_with_its_clause_masked(service: Service) -> None:
    case_id = _new_case(service)
    page = browser_of(service, "caseworker").get(f"/staff/cases/{case_id}")
    assert page.status_code == 200
    text = page.text
    assert "一次性扩岗补助" in text and "符合" in text and "出处" in text and "桂人社发" in text
    assert text.count('<span class="badge ok">符合</span>') >= 3  # every condition, each with its result
    assert "来源记录" in text and "引擎版本" in text and "办理记录" in text and "自动校验通过" in text
    assert ">企业</td>" in text and "提出身份：企业用户" in text  # codes in Chinese
    assert not re.search(r"\d{17}[\dX]", text), "页面上不应出现完整号码"


def test_a_reviewer_cannot_accept_and_sees_no_accept_button(service: Service) -> None:
    case_id = _new_case(service)
    reviewer = browser_of(service, "reviewer")
    page = reviewer.get(f"/staff/cases/{case_id}")
    assert "受理并送审</button>" not in page.text
    refused = reviewer.post(f"/staff/cases/{case_id}/accept", follow_redirects=False)
    assert refused.status_code == 403 and "审核人员" in refused.text and "不能" in refused.text
    assert _state(service, case_id) == "auto_checked"


def test_accept_approve_object_through_the_pages(service: Service) -> None:
    case_id = _new_case(service)
    clerk = browser_of(service, "caseworker")
    assert "受理并送审</button>" in clerk.get(f"/staff/cases/{case_id}").text
    accepted = clerk.post(f"/staff/cases/{case_id}/accept", follow_redirects=False)
    assert accepted.status_code == 303 and accepted.headers["location"] == f"/staff/cases/{case_id}?done=accept"
    assert "已受理并送审" in clerk.get(accepted.headers["location"]).text
    assert _state(service, case_id) == "in_review"
    again = clerk.post(f"/staff/cases/{case_id}/accept")
    assert again.status_code in (403, 409) and "未能办理" in again.text
    reviewer = browser_of(service, "reviewer")
    review_page = reviewer.get(f"/staff/cases/{case_id}").text
    assert "须1名不同审核人员审核通过" in review_page
    approved = reviewer.post(f"/staff/cases/{case_id}/approve", follow_redirects=False)
    assert approved.status_code == 303 and _state(service, case_id) == "public_notice"
    page = clerk.get(f"/staff/cases/{case_id}").text
    assert "公示期：" in page and "XX区审核员甲" in page
    early = clerk.post(f"/staff/cases/{case_id}/close-notice")
    assert early.status_code == 409 and "公示期已满" in early.text and _state(service, case_id) == "public_notice"
    objected = clerk.post(
        f"/staff/cases/{case_id}/objection", {"object_reason": "反映该人员未实际在岗"}, follow_redirects=False
    )
    assert objected.status_code == 303 and _state(service, case_id) == "in_review"


def test_a_reason_is_required_beside_its_field_and_the_text_is_kept(service: Service) -> None:
    case_id = _new_case(service)
    clerk = browser_of(service, "caseworker")
    empty = clerk.post(f"/staff/cases/{case_id}/return", {"return_reason": ""})
    assert empty.status_code == 422 and 'id="e-return_reason"' in empty.text
    short = clerk.post(f"/staff/cases/{case_id}/return", {"return_reason": "缺"})
    assert short.status_code == 422 and "须写明理由" in short.text and ">缺</textarea>" in short.text
    done = clerk.post(f"/staff/cases/{case_id}/return", {"return_reason": "缺少劳动合同复印件"}, follow_redirects=False)
    assert done.status_code == 303 and _state(service, case_id) == "returned"


def test_unmasking_needs_a_role_and_a_reason_and_shows_the_number_once(service: Service) -> None:
    case_id = _new_case(service)
    clerk = browser_of(service, "caseworker")
    assert clerk.post(f"/staff/cases/{case_id}/unmask", {"unmask_reason": ""}).status_code == 422
    shown = clerk.post(f"/staff/cases/{case_id}/unmask", {"unmask_reason": "核对申请材料"})
    assert shown.status_code == 200 and re.search(r"<strong>91450103MA5KD0001.</strong>", shown.text)
    reviewer = browser_of(service, "reviewer")
    assert "查看完整号码</button>" not in reviewer.get(f"/staff/cases/{case_id}").text
    refused = reviewer.post(f"/staff/cases/{case_id}/unmask", {"unmask_reason": "核对申请材料"})
    assert refused.status_code == 403 and "无权查看完整号码" in refused.text


def test_a_safety_hit_is_shown_with_evidence_and_disposed_by_a_reviewer(service: Service) -> None:
    case_id = _new_case(service)
    with transaction(service.app.state.sessions) as session:
        app = session.get(Application, case_id)
        assert app is not None
        hit = record_hit(
            session,
            app,
            rule="shared_phone",
            mode="flag",
            key=f"test:{case_id}",
            evidence={"说明": "2 个不同对象使用同一联系电话"},
        )
        hit_id = hit.id
    clerk_page = browser_of(service, "caseworker").get(f"/staff/cases/{case_id}").text
    assert "仅审核、审计、财务人员可见" in clerk_page
    reviewer = browser_of(service, "reviewer")
    page = reviewer.get(f"/staff/cases/{case_id}").text
    assert "多个对象共用同一联系电话" in page and "2 个不同对象使用同一联系电话" in page and "待处置" in page
    bad = reviewer.post(
        f"/staff/cases/{case_id}/hits/{hit_id}/disposition", {f"disposition_{hit_id}": "maybe", f"note_{hit_id}": "x"}
    )
    assert bad.status_code == 422
    done = reviewer.post(
        f"/staff/cases/{case_id}/hits/{hit_id}/disposition",
        {f"disposition_{hit_id}": "cleared", f"note_{hit_id}": "已电话核实为同一家庭"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "核实无误：已电话核实为同一家庭" in reviewer.get(f"/staff/cases/{case_id}").text


def test_a_pending_identity_blocks_approval_until_the_clerk_verifies_it_on_the_page(service: Service) -> None:
    case_id = _new_case(service)
    clerk = browser_of(service, "caseworker")
    assert clerk.post(f"/staff/cases/{case_id}/accept", follow_redirects=False).status_code == 303
    with transaction(service.app.state.sessions) as session:
        app = session.get(Application, case_id)
        assert app is not None
        subject = session.get(Subject, app.subject_id)
        assert subject is not None
        subject.identity_status = "pending"  # as if it had registered itself
    reviewer = browser_of(service, "reviewer")
    refused = reviewer.post(f"/staff/cases/{case_id}/approve")
    assert refused.status_code == 409 and "身份尚待人工核验" in refused.text and _state(service, case_id) == "in_review"
    assert "确认身份已核验</button>" not in reviewer.get(f"/staff/cases/{case_id}").text  # a clerk's step
    page = clerk.get(f"/staff/cases/{case_id}").text
    assert "待人工核验" in page and "确认身份已核验</button>" in page
    verified = clerk.post(
        f"/staff/cases/{case_id}/verify-subject", {"verify_reason": "已现场核对营业执照原件"}, follow_redirects=False
    )
    assert verified.status_code == 303 and "已核验申请对象身份" in clerk.get(verified.headers["location"]).text
    assert reviewer.post(f"/staff/cases/{case_id}/approve", follow_redirects=False).status_code == 303


def test_the_amount_form_goes_to_the_service_which_refuses_a_measure_without_a_ceiling(service: Service) -> None:
    case_id = _new_case(service)
    clerk = browser_of(service, "caseworker")
    assert "核定金额</button>" not in clerk.get(f"/staff/cases/{case_id}").text  # gx.expansion sets its amount
    typed = clerk.post(f"/staff/cases/{case_id}/amount", {"amount": "一千", "amount_reason": "按培训成本核定"})
    assert typed.status_code == 422 and "提交的内容有误" in typed.text  # no such form here: said at the top
    refused = clerk.post(f"/staff/cases/{case_id}/amount", {"amount": "1000.00", "amount_reason": "按培训成本核定"})
    assert refused.status_code == 409 and "不设最高限额" in refused.text


def test_a_reviewer_rejects_with_a_reason_the_claimant_reads(service: Service) -> None:
    case_id = _new_case(service)
    assert browser_of(service, "caseworker").post(f"/staff/cases/{case_id}/accept").status_code == 200
    reviewer = browser_of(service, "reviewer")
    assert "不予通过</button>" in reviewer.get(f"/staff/cases/{case_id}").text
    done = reviewer.post(
        f"/staff/cases/{case_id}/reject", {"reject_reason": "招用人员未实际在岗"}, follow_redirects=False
    )
    assert done.status_code == 303 and _state(service, case_id) == "rejected"
    api = browser_of(service).client.get(f"/applications/{case_id}", headers=service.headers("enterprise")).json()
    assert api["reasons"][0] == "不予通过：招用人员未实际在岗"
