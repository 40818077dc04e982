"""Forms from the facts schema in a real browser: a citizen uses the calculator on a phone, a unit
on a desktop (two hires); the enterprise ``qiye`` applies for gx.expansion for two hires, checks
and submits. Each main page is screenshotted and passes the accessibility check."""

from __future__ import annotations

import random
import re
from typing import Any

from stdnum.cn import ric
from tests.browser.harness import LiveServer, accessibility_problems, login, screenshot

_RANDOM = random.Random()  # other tests share the server: each run names its own young people


def _young_person() -> tuple[str, str]:
    """A valid 公民身份号码 of someone aged 21—22 when hired in March 2025, and the birth date."""
    day = _RANDOM.randint(1, 28)
    first17 = f"4501032003{_RANDOM.randint(1, 2):02d}{day:02d}{_RANDOM.randint(100, 999)}"
    birth = f"2003-{first17[10:12]}-{first17[12:14]}"
    return first17 + ric.calc_check_digit(first17 + "0"), birth


def _fill_hire(page: Any, row: int, *, identity: bool) -> None:
    number, birth = _young_person()
    name = f"r{row}-persons"
    if identity:
        page.fill(f'[name="{name}-name"]', f"青年{row + 1}")
        page.fill(f'[name="{name}-id_number"]', number)
    page.fill(f'[name="{name}-birth_date"]', birth)
    page.fill(f'[name="{name}-unemployment_registered_on"]', "2025-01-10")
    page.fill(f'[name="{name}-unemployment_registration_ended_on"]', "2025-03-01")
    hire = f"r{row}-employments"
    page.fill(f'[name="{hire}-hire_date"]', "2025-03-01")
    page.select_option(f'[name="{hire}-contract_type"]', "fixed_term")
    for kind in ("ui", "injury", "pension"):
        page.fill(f'[name="{hire}-months_paid_{kind}"]', "7")


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "手机宽度下不应横向滚动"


def test_a_citizen_uses_the_calculator_on_a_phone(phone: Any, server: LiveServer) -> None:
    phone.goto(server.url("/calculator"))
    screenshot(phone, "calculator-start-phone")
    assert accessibility_problems(phone) == []
    phone.get_by_role("link", name="我是个人").click()
    checked = phone.locator('input[name="measure"]:checked')
    checked.first.wait_for()  # the next page is loaded (count() does not wait)
    assert checked.count() >= 5  # every measure for a person, by default
    phone.get_by_role("button", name="下一步：回答问题").click()
    phone.select_option('[name="s-registered_unemployed"]', "true")
    phone.fill('[name="s-ui_contribution_months"]', "24")
    phone.select_option('[name="s-involuntary_unemployment"]', "true")
    _no_sideways_scroll(phone)
    screenshot(phone, "calculator-questions-phone")
    assert accessibility_problems(phone) == []
    phone.get_by_role("button", name="计算").click()
    assert phone.get_by_role("heading", name="计算结果", exact=True).count() == 1
    assert phone.get_by_text("待补充事实").count() >= 1 and phone.get_by_text("依据条款").count() >= 1
    _no_sideways_scroll(phone)
    screenshot(phone, "calculator-result-phone")
    assert accessibility_problems(phone) == []


def test_a_unit_calculates_the_expansion_subsidy_for_two_hires_on_a_desktop(page: Any, server: LiveServer) -> None:
    page.goto(server.url("/calculator?kind=employer"))
    for box in page.locator('input[name="measure"]').all():
        box.uncheck()
    page.check('input[value="gx.expansion"]')
    screenshot(page, "calculator-start-desktop")
    assert accessibility_problems(page) == []
    page.get_by_role("button", name="下一步：回答问题").click()
    assert page.locator('[name="s-staff"]').count() == 0, "只问所选政策需要的事实"
    page.select_option('[name="s-kind"]', "enterprise")
    _fill_hire(page, 0, identity=False)
    page.get_by_role("button", name="增加一名人员").click()
    assert page.locator('[name="s-kind"]').input_value() == "enterprise", "增加人员不丢失已填内容"
    _fill_hire(page, 1, identity=False)
    screenshot(page, "calculator-questions-desktop")
    assert accessibility_problems(page) == []
    page.get_by_role("button", name="计算").click()
    result = page.locator("section.decision").first
    assert "一次性扩岗补助" in result.inner_text() and "3,000.00 元" in result.inner_text()
    assert "桂人社发〔2025〕38号（六）" in result.inner_text()
    screenshot(page, "calculator-result-desktop")
    assert accessibility_problems(page) == []


def test_the_enterprise_applies_for_the_expansion_subsidy_for_two_hires(page: Any, server: LiveServer) -> None:
    login(page, server, "qiye")
    page.goto(server.url("/my/apply/gx.expansion"))
    assert page.get_by_text("按登记信息自动填入").count() == 1
    page.select_option('[name="s-kind"]', "enterprise")
    _fill_hire(page, 0, identity=True)
    page.get_by_role("button", name="增加一名人员").click()
    _fill_hire(page, 1, identity=True)
    screenshot(page, "apply-form-desktop")
    assert accessibility_problems(page) == []
    page.get_by_role("button", name="检查").click()
    check = page.locator("section.decision")
    assert "符合" in check.inner_text() and "3,000.00 元" in check.inner_text()
    screenshot(page, "apply-check-desktop")
    assert accessibility_problems(page) == []
    page.get_by_role("button", name="提交申请").click()
    assert re.search(r"/my/applications/\d+$", page.url), page.url


def test_the_application_form_on_a_phone_keeps_values_and_shows_errors(phone: Any, server: LiveServer) -> None:
    login(phone, server, "qiye")
    phone.goto(server.url("/my/apply/gx.expansion"))
    phone.fill('[name="r0-employments-months_paid_ui"]', "七")
    phone.get_by_role("button", name="检查").click()
    assert phone.locator("#e-r0-employments-months_paid_ui").inner_text().startswith("应为不小于 0 的整数")
    assert phone.locator('[name="r0-employments-months_paid_ui"]').input_value() == "七"
    _no_sideways_scroll(phone)
    screenshot(phone, "apply-form-phone")
    assert accessibility_problems(phone) == []
