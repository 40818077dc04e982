"""Public pages: the policy catalog (filters, paging, each measure's guide) and the notice board
(masked names and numbers, paging, objection instructions); malformed queries are Chinese 4xx pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.api_world import Service
from tests.public_world import hire_id_number, to_notice
from tests.web_world import browser_of

from jiuye.identifiers import mask_id
from jiuye.policies.registry import all_measures
from jiuye.service.models import Application, Subject
from jiuye.service.notice_board import board, count

_ROW = re.compile(r'<a href="/policies/([a-z0-9_.]+)">')
#: A person on the board of another city (梧州, 450403), inserted as a notice: a name and numbers to hide.
PERSON_NAME = "欧阳娜娜"
PERSON_ID = "450403199001011234"
PERSON_PHONE = "13800138000"


def _ids(html: str) -> list[str]:
    return _ROW.findall(html)


def _api(service: Service) -> Any:
    client = TestClient(service.app)

    def call(method: str, path: str, role: str, body: dict[str, Any] | None) -> Any:
        answer = client.request(method, path, json=body, headers=service.headers(role))
        assert answer.status_code < 300, answer.text
        return answer.json()

    return call


@pytest.fixture(scope="module")
def notices(service: Service) -> dict[str, Any]:
    """One claim taken to its notice through the API, and a person's notice in another city."""
    real = to_notice(_api(service), subject_id=1, seq=101)
    with Session(service.app.state.engine) as session:
        person = Subject(
            kind="person", name=PERSON_NAME, region="450403", number_index="public-test-person",
            number_sealed="sealed", number_masked=mask_id(PERSON_ID), phone_index="public-test-phone",
            phone_sealed="sealed", phone_masked="138****8000",
        )  # fmt: skip
        session.add(person)
        session.flush()
        for i in range(6):  # six: more than one page of five
            session.add(
                Application(
                    measure_id="xxq.temp.living",
                    subject_id=person.id,
                    region="450403",
                    state="public_notice",
                    source="caseworker",
                    claimant_ref="P1",
                    facts_sealed="sealed",
                    amount_submitted_fen=300_000 + i,
                    notice_published=dt.date(2025, 12, 1),
                    notice_last_day=dt.date(2025, 12, 8),
                )
            )
        session.commit()
    return real


def test_catalog_lists_every_measure_over_pages(service: Service) -> None:
    browser = browser_of(service)
    seen: list[str] = []
    for page in range(1, 5):  # 37 measures, 10 a page
        answer = browser.get(f"/policies?per_page=10&page={page}")
        assert answer.status_code == 200
        seen += _ids(answer.text)
    assert sorted(seen) == sorted(m.id for m in all_measures())
    first = browser.get("/policies?per_page=10").text
    assert "共 37 条" in first and 'rel="next"' in first


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("jurisdiction=xxq&who=person&fund=ui_fund", ["xxq.skill.upgrade"]),
        ("jurisdiction=cn", ["cn.directions", "cn.report.quarterly", "cn.soe.hire"]),
        ("who=government", ["cn.report.quarterly", "xxq.targets"]),
        ("fund=loan&jurisdiction=gx", ["gx.loan.wengang", "gx.startup.loan"]),
        ("q=扩岗补助", ["gx.expansion"]),
    ],
)
def test_catalog_filters(service: Service, query: str, expected: list[str]) -> None:
    answer = browser_of(service).get(f"/policies?{query}&per_page=50")
    assert answer.status_code == 200
    assert sorted(_ids(answer.text)) == expected


def test_a_filter_with_no_match_says_so(service: Service) -> None:
    answer = browser_of(service).get("/policies?q=不存在的政策名称")
    assert answer.status_code == 200 and "没有符合筛选条件的政策" in answer.text
    markup = browser_of(service).get("/policies?q=%3Cscript%3E")  # shown as text, never run
    assert markup.status_code == 200 and "<script>" not in markup.text.split("<main", 1)[1]
    control = browser_of(service).get("/policies?q=%00")  # a control character: refused in Chinese
    assert control.status_code == 422 and "text/html" in control.headers["content-type"]


def test_a_page_past_the_end_shows_the_last(service: Service) -> None:
    answer = browser_of(service).get("/policies?page=999999&per_page=10")
    assert answer.status_code == 200 and "第 4/4 页" in answer.text


def test_a_measure_page_is_its_guide(service: Service) -> None:
    html = browser_of(service).get("/policies/gx.expansion").text
    for heading in ("谁能享受", "能拿多少", "到什么时候", "要准备什么", "怎么申请", "文件原文", "来源文件"):
        assert f">{heading}</h2>" in html, heading
    in_force = html.split("现行取值", 1)[1].split("</dl>", 1)[0]  # how much, today, with its clause
    assert "一次性扩岗补助标准（每吸纳1人）</dt><dd>1,500.00元" in in_force
    assert "2025年12月31日" in in_force
    assert "桂人社发〔2025〕38号（六）" in html  # citations
    assert "与所招用人员签订的劳动合同" in html and "具名假设" in html  # the guide: cited and assumed items
    assert "gx-rsf-2025-38.txt" in html and "2025年9月10日" in html  # the source document and its local copy
    assert "失业保险基金" in html


def test_national_labels_are_simplified_and_quotes_kept(service: Service) -> None:
    html = browser_of(service).get("/policies/cn.report.quarterly").text
    assert "國就勞發〔2025〕2號" in html  # the quotation as written
    title = re.search(r"<h1>(.*?)</h1>", html)
    assert title and "岗位开发和方案实施情况季度报送" in title.group(1)
    assert "崗位" not in title.group(1)


def test_a_document_with_a_public_original_is_linked(service: Service) -> None:
    html = browser_of(service).get("/policies/xxq.ui.refund").text
    assert 'href="http' in html and "人社部发〔2025〕18号" in html


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/policies/no.such.measure", 404),
        ("/policies/%E4%B8%AD%E6%96%87", 422),
        ("/policies?jurisdiction=mars", 422),
        ("/policies?who=1", 422),
        ("/policies?page=0", 422),
        ("/policies?page=abc", 422),
        ("/policies?per_page=100000", 422),
        ("/policies?q=" + "长" * 60, 422),
        ("/notices?region=abc", 422),
        ("/notices?region=999999", 422),
        ("/notices?page=-1", 422),
        ("/notices?per_page=x", 422),
    ],
)
def test_malformed_requests_are_chinese_pages(service: Service, path: str, status: int) -> None:
    answer = browser_of(service).get(path)
    assert answer.status_code == status, answer.text[:300]
    assert answer.headers["content-type"].startswith("text/html")
    assert re.search(r"[\u4e00-\u9fff]", answer.text) and "<h1>" in answer.text


def test_the_board_shows_notices_with_masked_persons(service: Service, notices: dict[str, Any]) -> None:
    html = browser_of(service).get("/notices?per_page=50").text
    assert "南宁示例制造有限公司" in html  # an enterprise is named in full
    assert "欧**娜" in html and PERSON_NAME not in html
    assert mask_id(PERSON_ID) in html
    assert f">{notices['id']}<" in html  # the notice's number, what an objection names
    assert "1,500.00 元" in html and "3,000.00 元" in html
    assert "2025年12月8日" in html  # the last day


def test_no_full_number_or_phone_leaves_the_board(service: Service, notices: dict[str, Any]) -> None:
    html = browser_of(service).get("/notices?per_page=200").text
    with Session(service.app.state.engine) as session:
        names = list(session.scalars(select(Subject.name).where(Subject.kind == "person")))
    for secret in (PERSON_ID, PERSON_PHONE, "138****8000", hire_id_number(101), *names):
        assert secret not in html, secret
    assert not re.search(r"(?<![0-9A-Za-z*])\d{17}[\dX](?![0-9A-Za-z])", html), "完整的身份证号码不应出现"
    assert not re.search(r"(?<!\d)1\d{10}(?!\d)", html), "完整的手机号码不应出现"


def test_the_board_filters_by_region_and_pages(service: Service, notices: dict[str, Any]) -> None:
    browser = browser_of(service)
    wuzhou = browser.get("/notices?region=450403&per_page=5").text
    assert "南宁示例制造有限公司" not in wuzhou and wuzhou.count("欧**娜") == 5
    assert "共 6 条" in wuzhou and 'rel="next"' in wuzhou
    second = browser.get("/notices?region=450403&per_page=5&page=2").text
    assert second.count("欧**娜") == 1 and "region=450403" in second
    choices = browser.get("/notices").text
    assert '<option value="450403">' in choices and '<option value="450103">' in choices
    nanning = browser.get("/notices?region=450100").text
    assert '<option value="450100" selected>' in nanning  # a city asked for is kept in the choice
    assert "南宁示例制造有限公司" in nanning and "欧**娜" not in nanning


def test_the_board_says_how_to_object(service: Service, notices: dict[str, Any]) -> None:
    html = browser_of(service).get("/notices").text
    assert "如何提出异议" in html and "向谁提出" in html and "公示期最后一日" in html
    assert "XX区实施方案（2025）三（二）" in html and "监督投诉电话" in html
    assert "5 个工作日" in html and "具名假设" in html


def test_the_board_is_public_and_the_same_for_staff(service: Service, notices: dict[str, Any]) -> None:
    clerk = browser_of(service, "caseworker").get("/notices?per_page=50").text
    assert PERSON_NAME not in clerk and "欧**娜" in clerk


def test_the_board_service_returns_nothing_unmasked(service: Service, notices: dict[str, Any]) -> None:
    with Session(service.app.state.engine) as session:
        entries = board(session, limit=200)
        assert count(session) == len(entries) >= 7
        assert count(session, region="450403") == 6
    shown = repr(entries)
    for secret in (PERSON_ID, PERSON_PHONE, PERSON_NAME, "sealed", hire_id_number(101)):
        assert secret not in shown, secret
    assert {e.kind for e in entries} == {"person", "enterprise"}


@pytest.mark.parametrize("measure_id", sorted(m.id for m in all_measures()))
def test_every_measure_has_its_guide_page(service: Service, measure_id: str) -> None:
    answer = browser_of(service).get(f"/policies/{measure_id}")
    assert answer.status_code == 200, answer.text[:300]
    assert ">要准备什么</h2>" in answer.text and ">怎么申请</h2>" in answer.text
    assert "<li>" in answer.text.split(">要准备什么</h2>", 1)[1]
