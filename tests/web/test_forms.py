"""Forms built from the facts schema: only the questions a measure needs, answers turned into the
facts the engine takes (and back), errors beside their field with the values kept; the calculator
answers as ``jiuye eval`` does; a claimant applies only as their own subject."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

import pytest
from sqlalchemy import select
from tests.api_world import Service
from tests.claims_world import credit_code, id_number
from tests.web_world import Browser, browser_of

from jiuye.facts import facts_from_data
from jiuye.facts.answers import answers_from_facts, facts_from_answers
from jiuye.facts.questions import questionnaire
from jiuye.params import load_parameters
from jiuye.policies.registry import get_measure
from jiuye.service.models import Application, User

DAY = dt.date(2025, 11, 3)
_SEQ = itertools.count(101)


def _fields(q: Any) -> dict[str, set[str]]:
    return {"own": {x.field for x in q.subject.questions}} | {s.table: {x.field for x in s.questions} for s in q.rows}


def test_the_expansion_subsidy_asks_only_what_its_conditions_read() -> None:
    q = questionnaire([get_measure("gx.expansion")], "employer", load_parameters(), DAY)
    fields = _fields(q)
    assert fields["own"] == {"kind"}  # 用人单位为企业或社会组织; nothing about size, staff or revenue
    assert {"hire_date", "contract_type", "months_paid_ui", "months_paid_injury", "months_paid_pension"} == fields[
        "employments"
    ]
    assert {"birth_date", "unemployment_registered_on", "college_graduate"} <= fields["persons"]
    assert "separation_date" not in fields["employments"] and "name" not in fields["persons"]
    kind = next(x for x in q.subject.questions if x.field == "kind")
    assert kind.kind == "enum" and ("enterprise", "企业") in kind.options and kind.needed


def test_a_claim_also_asks_each_persons_name_and_number_and_an_employer_measure_has_no_rows() -> None:
    q = questionnaire([get_measure("gx.expansion")], "employer", load_parameters(), DAY, claim=True)
    persons = {x.field: x for x in next(s for s in q.rows if s.table == "persons").questions}
    assert persons["id_number"].required and not persons["id_number"].needed
    shortage = questionnaire([get_measure("gx.shortage")], "employer", load_parameters(), DAY)
    assert not shortage.repeated and {x.field for x in shortage.subject.questions} >= {"staff", "vacancies"}
    person = questionnaire([get_measure("gx.ui.benefit")], "person", load_parameters(), DAY)
    assert "ui_contribution_months" in {x.field for x in person.subject.questions} and not person.repeated


def _hire(row: int, birth: str, months: str = "7") -> dict[str, str]:
    number = id_number(f"450103{birth}{next(_SEQ) % 1000:03d}")
    return {
        f"r{row}-persons-name": f"青年{row + 1}",
        f"r{row}-persons-id_number": number,
        f"r{row}-persons-birth_date": f"{birth[:4]}-{birth[4:6]}-{birth[6:]}",
        f"r{row}-persons-unemployment_registered_on": "2025-01-10",
        f"r{row}-persons-unemployment_registration_ended_on": "2025-03-01",
        f"r{row}-employments-hire_date": "2025-03-01",
        f"r{row}-employments-contract_type": "fixed_term",
        f"r{row}-employments-months_paid_ui": months,
        f"r{row}-employments-months_paid_injury": months,
        f"r{row}-employments-months_paid_pension": months,
    }


def test_answers_become_the_facts_document_and_come_back() -> None:
    q = questionnaire([get_measure("gx.expansion")], "employer", load_parameters(), DAY, claim=True)
    values = {"s-kind": "enterprise", **_hire(0, "20030501"), **_hire(1, "20021120")}
    answers = facts_from_answers(q, values, 2, own={"name": "某公司"})
    assert answers.errors == {} and answers.data is not None
    facts = facts_from_data(answers.data)
    assert [e.person for e in facts.employments] == ["P1", "P2"] and facts.employers[0].name == "某公司"
    assert facts.employments[0].months_paid_ui == 7 and facts.employers[0].kind == "enterprise"
    back, rows = answers_from_facts(q, answers.data)
    assert rows == 2 and back == values


def test_unknown_answers_are_left_out_and_bad_ones_are_named_beside_their_field() -> None:
    q = questionnaire([get_measure("gx.expansion")], "employer", load_parameters(), DAY)
    blank = facts_from_answers(q, {"s-kind": "", "r0-employments-hire_date": "2025-03-01"}, 1)
    assert blank.data == {
        "employers": [{"id": "E1"}],
        "persons": [{"id": "P1"}],
        "employments": [{"hire_date": "2025-03-01", "person": "P1", "employer": "E1"}],
    }
    bad = facts_from_answers(
        q, {"s-kind": "bank", "r0-employments-hire_date": "2025-13-01", "r0-employments-months_paid_ui": "-1"}, 1
    )
    assert bad.data is None
    assert bad.errors["s-kind"] == "请从列表中选择"
    assert "日期格式不正确" in bad.errors["r0-employments-hire_date"]
    assert "整数" in bad.errors["r0-employments-months_paid_ui"]


def test_a_rule_across_fields_is_reported_on_its_section() -> None:
    q = questionnaire([get_measure("gx.si.keygroup")], "employer", load_parameters(), DAY)
    values = {"r0-employments-hire_date": "2025-03-01", "r0-employments-separation_date": "2025-01-01"}
    answers = facts_from_answers(q, values, 1)
    assert answers.errors == {"r0-employments": "离职日期早于招用日期"}


def _errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="error" id="e-([^"]+)"[^>]*>([^<]*)</p>', html))


_CHOICE = {"kind": "employer", "measure": "gx.expansion", "as_of": "2025-11-03", "region": "450103"}


def test_the_calculator_answers_every_measure_with_amount_conditions_and_clauses(service: Service) -> None:
    browser = browser_of(service)
    start = browser.get("/calculator?kind=employer")
    assert (
        start.status_code == 200
        and 'value="gx.expansion" checked' in start.text
        and 'value="450103" selected' in start.text
    )
    page = browser.get("/calculator/questions", params=_CHOICE)
    assert page.status_code == 200 and 'name="r0-employments-hire_date"' in page.text
    assert 'name="s-staff"' not in page.text  # not read by the expansion subsidy
    answer = browser.post(
        "/calculator/questions",
        {
            **_CHOICE,
            "rows": "2",
            "action": "calculate",
            "s-kind": "enterprise",
            **_hire(0, "20030501"),
            **_hire(1, "20021120"),
        },
    )
    assert answer.status_code == 200, answer.text[:2000]
    assert (
        "一次性扩岗补助" in answer.text and "3,000.00 元" in answer.text and "桂人社发〔2025〕38号（六）" in answer.text
    )
    assert "符合" in answer.text and "满足" in answer.text


def test_the_calculator_says_which_facts_are_missing_when_nothing_is_known(service: Service) -> None:
    browser = browser_of(service)
    browser.get("/calculator/questions", params=_CHOICE)
    answer = browser.post("/calculator/questions", {**_CHOICE, "rows": "1", "r0-employments-hire_date": "2025-03-01"})
    assert answer.status_code == 200 and "待补充事实" in answer.text and "还需补充的事实" in answer.text


def test_calculator_errors_stand_beside_their_field_and_keep_the_values(service: Service) -> None:
    browser = browser_of(service)
    browser.get("/calculator/questions", params=_CHOICE)
    posted = {**_CHOICE, "rows": "1", "s-kind": "enterprise", "r0-employments-months_paid_ui": "七个月"}
    answer = browser.post("/calculator/questions", posted)
    assert answer.status_code == 422
    assert "整数" in _errors(answer.text)["r0-employments-months_paid_ui"]
    assert 'value="七个月"' in answer.text and '<option value="enterprise" selected>' in answer.text
    more = browser.post("/calculator/questions", {**posted, "action": "add"})
    assert more.status_code == 200 and "第 2 名人员" in more.text and 'value="七个月"' in more.text


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({**_CHOICE, "as_of": "2025-02-30"}, "as_of"),
        ({**_CHOICE, "region": "999999"}, "region"),
        ({**_CHOICE, "measure": "xxq.targets"}, "measure"),
        ({**_CHOICE, "measure": "gx.ui.benefit"}, "measure"),  # a person's measure, asked as a unit
    ],
)
def test_a_bad_first_step_is_answered_in_chinese_beside_its_field(
    service: Service, query: dict[str, str], field: str
) -> None:
    answer = browser_of(service).get("/calculator/questions", params=query)
    assert (
        answer.status_code == 422 and field in _errors(answer.text) | {"measure": ""} and "请" in answer.text + "不是"
    )


@pytest.mark.parametrize(
    "extra",
    [{"rows": "x"}, {"rows": "999"}, {"action": "drop-table"}, {"kind": "robot"}, {"measure": ["gx.expansion", "zz"]}],
)
def test_malformed_calculator_posts_are_4xx_pages(service: Service, extra: dict[str, Any]) -> None:
    browser = browser_of(service)
    browser.get("/calculator/questions", params=_CHOICE)
    answer = browser.post("/calculator/questions", {**_CHOICE, "rows": "1", **extra})
    assert 400 <= answer.status_code < 500 and "text/html" in answer.headers["content-type"]


def _subject_of(service: Service, username: str) -> int:
    with service.app.state.sessions() as session:
        subject = session.scalar(select(User.subject_id).where(User.username == username))
    assert subject is not None
    return int(subject)


def _firm(service: Service) -> Browser:
    return browser_of(service, "enterprise")


def test_an_enterprise_applies_for_two_hires_checks_saves_and_submits(service: Service) -> None:
    firm = _firm(service)
    form = firm.get("/my/apply/gx.expansion?rows=2")
    assert form.status_code == 200 and "第 2 名人员" in form.text and "南宁示例制造有限公司" in form.text
    assert re.search(r"\d{4}\*+\w{4}", form.text)  # the unit's own number, masked
    values = {"rows": "2", "s-kind": "enterprise", **_hire(0, "20030501"), **_hire(1, "20021120")}
    check = firm.post("/my/apply/gx.expansion", {**values, "action": "check"})
    assert check.status_code == 200 and "自动校验结果" in check.text and "3,000.00 元" in check.text
    saved = firm.post("/my/apply/gx.expansion", {**values, "action": "save"}, follow_redirects=False)
    assert saved.status_code == 303
    edit = saved.headers["location"].split("?")[0]
    again = firm.get(saved.headers["location"])
    assert again.status_code == 200 and "草稿已保存" in again.text and values["r1-persons-id_number"] in again.text
    sent = firm.post(edit, {**values, "action": "submit"}, follow_redirects=False)
    app_id = int(edit.split("/")[3])
    assert sent.status_code == 303 and sent.headers["location"] == f"/my/applications/{app_id}"
    with service.app.state.sessions() as session:
        app = session.get(Application, app_id)
        assert app is not None and app.state == "auto_checked" and app.amount_submitted_fen == 300_000
    assert firm.get(edit).status_code == 409  # submitted: no longer editable


def test_a_claimant_cannot_apply_for_another_subject(service: Service) -> None:
    firm = _firm(service)
    firm.get("/my/apply/gx.expansion")
    other = credit_code("91450103MA5KD0009")
    forged = {"rows": "1", "s-kind": "enterprise", "subject_id": "1", "s-uscc": other, "s-name": "别家公司",
              "claimant_ref": "E9", **_hire(0, "20030501"), "action": "save"}  # fmt: skip
    saved = firm.post("/my/apply/gx.expansion", forged, follow_redirects=False)
    assert saved.status_code == 303
    app_id = int(saved.headers["location"].split("/")[3])
    own = _subject_of(service, "firm")
    with service.app.state.sessions() as session:
        app = session.get(Application, app_id)
        assert app is not None and app.subject_id == own and app.claimant_ref == "E1"
    person = browser_of(service, "individual")
    assert person.get(f"/my/applications/{app_id}/edit").status_code == 404
    person.get("/my")
    assert person.post(f"/my/applications/{app_id}/withdraw", {}).status_code == 404
    assert person.get("/my/apply/gx.expansion").status_code == 403  # a unit's measure


@pytest.mark.parametrize("role", ["caseworker", "reviewer", "finance", "auditor", "admin"])
def test_staff_cannot_open_the_application_form(service: Service, role: str) -> None:
    staff = browser_of(service, role)
    assert staff.get("/my/apply/gx.expansion").status_code == 403
    assert staff.post("/my/apply/gx.expansion", {"action": "check"}).status_code == 403


def test_a_returned_claim_is_corrected_and_resubmitted_or_withdrawn(service: Service) -> None:
    firm = _firm(service)
    firm.get("/my/apply/gx.expansion")
    short = {"rows": "1", "s-kind": "enterprise", **_hire(0, "20030501", months="2")}  # 缴费差1个月
    sent = firm.post("/my/apply/gx.expansion", {**short, "action": "submit"}, follow_redirects=False)
    app_id = int(sent.headers["location"].split("/")[3])
    edit = firm.get(f"/my/applications/{app_id}/edit")
    assert edit.status_code == 200 and "退回" in edit.text and 'value="2"' in edit.text
    fixed = {**short, "r0-employments-months_paid_ui": "bad"}
    kept = firm.post(f"/my/applications/{app_id}/edit", {**fixed, "action": "submit"})
    assert (
        kept.status_code == 422 and 'value="bad"' in kept.text and "r0-employments-months_paid_ui" in _errors(kept.text)
    )
    firm.post(f"/my/applications/{app_id}/withdraw", {}, follow_redirects=False)
    with service.app.state.sessions() as session:
        app = session.get(Application, app_id)
        assert app is not None and app.state == "withdrawn"


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/my/apply/gx.expansion", {"rows": "0"}),
        ("/my/apply/gx.expansion", {"rows": "1", "action": "pay-me"}),
        ("/my/apply/gx.expansion", {"rows": "1", "r0-persons-id_number": "450103200305011230", "action": "check"}),
        ("/my/apply/no.such.measure", {"rows": "1"}),
        ("/my/applications/99999999/edit", {"rows": "1"}),
        ("/my/applications/abc/edit", {"rows": "1"}),
        ("/my/applications/-3/withdraw", {}),
    ],
)
def test_malformed_claims_are_4xx_pages(service: Service, path: str, data: dict[str, str]) -> None:
    firm = _firm(service)
    firm.get("/my/apply/gx.expansion")
    answer = firm.post(path, data)
    assert 400 <= answer.status_code < 500 and "text/html" in answer.headers["content-type"], answer.text[:500]


def test_a_persons_certificates_are_rows_that_round_trip() -> None:
    q = questionnaire([get_measure("gx.training")], "person", load_parameters(), DAY)
    assert [s.table for s in q.rows] == ["certificates"] and q.row_title == "事项"
    values = {"r0-certificates-level": "intermediate", "r0-certificates-issued_on": "2025-06-01",
              "r1-certificates-level": "senior", "r1-certificates-held": "true"}  # fmt: skip
    answers = facts_from_answers(q, values, 2)
    assert answers.data is not None
    facts = facts_from_data(answers.data)
    assert [(c.person, c.level) for c in facts.certificates] == [("P1", "intermediate"), ("P1", "senior")]
    assert answers_from_facts(q, answers.data) == (values, 2)
