"""Every page route attacked as an outsider would: malformed paths, queries and forms (never a 5xx,
every refusal a Chinese page with its code), posts without the CSRF value (refused, nothing
written), staff pages opened by claimants or anonymously, another region's or another claimant's
ids (never their data), and no clear ID number, phone or bank account on any page."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, _IncludedRouter
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from tests.api_world import PASSWORD, USER_OF_ROLE, Service
from tests.finance_world import approved_claims, expansion_facts, new_person
from tests.web_world import Browser, browser_of

from jiuye.identifiers import check_id_number, mask_id
from jiuye.service.api.errors import install_error_handlers
from jiuye.service.auth import create_user
from jiuye.service.db import transaction
from jiuye.service.models import AuditEvent, EvidenceFile, Graduate, Payment, PaymentBatch, Subject
from jiuye.web.errors import page_error
from jiuye.web.paths import is_web_path

ROLES: tuple[str | None, ...] = (None, *USER_OF_ROLE)
_TEMPLATES = Path(__file__).parents[2] / "src/jiuye/web/templates"

#: Malformed path values (already quoted for the URL): numbers out of range, text, control characters.
BAD_PATH = ("0", "-1", str(2**31), str(2**63), "abc", "9" * 400, "x" * 3000, "%00", "a%0Ab%01", "%E4%B8")
BAD_QUERY = ("0", "-1", "abc", str(10**20), "2025-13-45", "未知状态", "%00", "x" * 3000)
BAD_FIELD = ("", "abc", "\x00\x01\x1b", "2025-13-45", "-1", str(2**63), "x" * 5_000, "不存在的值")


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """FastAPI keeps included routers nested (``_IncludedRouter``): their routes, with the prefixes."""
    for route in routes:
        if isinstance(route, _IncludedRouter):
            yield from _walk(route.original_router.routes, prefix + route.include_context.prefix)
        elif isinstance(route, APIRoute):
            yield prefix + route.path, route


def page_routes(app: FastAPI) -> list[tuple[str, str, APIRoute]]:
    """(method, path, route) of every page: not the JSON API, not the static files or the docs."""
    found = []
    for path, route in _walk(list(app.routes)):
        if not is_web_path(path) or path.startswith(("/static", "/docs", "/redoc")):
            continue
        found += [(method, path, route) for method in sorted(route.methods)]
    return found


def _field_names() -> tuple[str, ...]:
    """Every input name the page templates post (plain inputs and the form macros)."""
    text = "\n".join(p.read_text() for p in _TEMPLATES.rglob("*.html"))
    names = set(re.findall(r'name="([a-z_]+)"', text))
    names |= set(re.findall(r'(?:field|select|textarea)\(\s*"([a-z_]+)"', text))
    return tuple(sorted(names - {"csrf", "viewport"}))


FIELDS = _field_names()

# --- what a page must never show -------------------------------------------------------------------

_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
_ACCOUNT = re.compile(r"(?<![0-9A-Za-z])\d{16,19}(?![0-9A-Za-z])")  # not inside a batch number (JY2025…)
_FUZZ = re.compile("|".join(re.escape(v) for v in {str(2**63), str(10**20), "9" * 400}))


def clear_personal_data(html: str) -> list[str]:
    """Clear ID numbers (valid check digit), mobile phones and bank-account-like digit runs."""
    text = _FUZZ.sub("", html)
    found = []
    for number in _ID.findall(text):
        try:
            check_id_number(number)
        except ValueError:  # not an ID number, only shaped like one
            continue
        found.append(number)
    return found + _PHONE.findall(text) + [n for n in _ACCOUNT.findall(text) if not _ID.fullmatch(n)]


def check_answer(answer: Any, what: str, *, own_form: bool = False) -> None:
    """Never a 5xx; a 4xx is a Chinese page with its stable code (or a form with errors beside
    the fields); no clear personal data."""
    status = answer.status_code
    assert status < 500, f"{what}: {status} {answer.text[:600]}"
    kind = answer.headers.get("content-type", "")
    if 400 <= status < 500:
        assert "text/html" in kind, f"{what}: {status} answered {kind}: {answer.text[:300]}"
        assert re.search(r"[\u4e00-\u9fff]", answer.text), what
        assert "错误码" in answer.text or 'aria-invalid="true"' in answer.text or "notice error" in answer.text, (
            f"{what}: {status} without a code: {answer.text[:600]}"
        )
    if "text/html" in kind and not own_form:
        assert clear_personal_data(answer.text) == [], f"{what}: clear personal data on the page"


# --- the world: records of the demo district, and outsiders -----------------------------------------

OTHER_REGION = "450202"  # 柳州市城中区


@pytest.fixture(scope="module")
def world(service: Service) -> dict[str, Any]:
    api = TestClient(service.app)
    claims = approved_claims(api, PASSWORD, 1, firm="firm")
    finance = browser_of(service, "finance")
    finance.get("/staff/batches")
    created = finance.post("/staff/batches", {"pay_date": "2025-12-16"}, follow_redirects=False)
    assert created.status_code == 303, created.text[:500]
    batch_id = int(created.headers["location"].split("?")[0].rsplit("/", 1)[1])
    firm_subject = api.get("/auth/me", headers=service.headers("enterprise")).json()["subject_id"]
    body = {"measure_id": "gx.expansion", "subject_id": firm_subject, "claimant_ref": "E1",
            "facts": expansion_facts(hire := new_person())}  # fmt: skip
    draft = api.post("/applications", json=body, headers=service.headers("enterprise")).json()["id"]
    firm = browser_of(service, "enterprise")
    firm.get(f"/my/applications/{draft}")
    pdf = ("证明.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")
    uploaded = firm.post(f"/my/applications/{draft}/evidence", files={"file": pdf}, follow_redirects=False)
    assert uploaded.status_code == 303, uploaded.text[:500]
    clerk = browser_of(service, "caseworker")
    clerk.get("/staff/ledger/register")
    form = {"id_number": (graduate := new_person()), "name": "李同学", "region": "450103", "graduated_on": "2025-06-30",
            "school": "广西大学"}  # fmt: skip
    assert clerk.post("/staff/ledger/register", form, follow_redirects=False).status_code == 303
    clerk.get("/staff/matching")
    started = clerk.post(
        "/staff/matching/synthetic", {"persons": "300", "as_of": "2025-12-01", "region": "450103"},
        follow_redirects=False,
    )  # fmt: skip
    assert started.status_code == 303, started.text[:500]
    with transaction(service.app.state.sessions) as session:
        file_id = session.scalar(select(func.max(EvidenceFile.id)))
        payment_id = session.scalar(select(func.max(Payment.id)).where(Payment.batch_id == batch_id))
        graduate_id = session.scalar(select(func.max(Graduate.id)))
        other_subject = session.scalars(select(Subject.id).where(Subject.kind == "enterprise").order_by(Subject.id))
        stranger = next(s for s in other_subject if s != firm_subject)
        for name, role, region in (
            ("clerk_out", "caseworker", OTHER_REGION), ("reviewer_out", "reviewer", OTHER_REGION),
            ("finance_out", "finance", OTHER_REGION), ("auditor_out", "auditor", OTHER_REGION),
            ("admin_out", "admin", "450200"),
        ):  # fmt: skip
            create_user(session, username=name, password=PASSWORD, role=role, region=region, display_name=name)
        create_user(session, username="firm_out", password=PASSWORD, role="enterprise", region="450103",
                    display_name="另一单位", subject_id=stranger)  # fmt: skip
    ids = {
        "application_id": draft, "approved_id": claims[0], "batch_id": batch_id, "payment_id": payment_id,
        "file_id": file_id, "graduate_id": graduate_id, "run_id": int(started.headers["location"].rsplit("/", 1)[1]),
        "username": "clerk", "hit_id": 1, "which": "eligible", "measure_id": "gx.expansion",
    }  # fmt: skip
    ids["job_id"] = ids["run_id"]  # a background job of the region (an import's page refuses other kinds too)
    # What the owners' pages show of these records (masked) and no outsider may see.
    return {"ids": ids, "clerk": clerk, "secrets": (mask_id(hire), mask_id(graduate))}


@pytest.fixture(scope="module")
def browsers(service: Service, world: dict[str, Any]) -> dict[str | None, Browser]:
    made = {role: browser_of(service, role) for role in ROLES}
    for browser in made.values():
        browser.get("/")  # the CSRF value of each
    return made


def _audit_count(service: Service) -> int:
    with transaction(service.app.state.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def _fill(path: str, values: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: quote(str(values[m.group(1)]), safe="%"), path)


# --- (a) malformed input ------------------------------------------------------------------------------

_SKIP_FUZZ = {"/logout"}  # a valid post there ends the session the next requests need


def _bodies() -> Iterator[tuple[str, dict[str, Any]]]:
    """(what, request arguments) of malformed form bodies, in turn."""
    for value in itertools.cycle(BAD_FIELD):
        yield f"every field {value[:12]!r}", {"data": dict.fromkeys(FIELDS, value)}
        yield "an empty body", {"data": {}}
        yield (
            "multipart files for every field",
            {
                "data": {},
                "files": {name: (f"{name}.bin", b"\x00\xff" * 64, "application/octet-stream") for name in FIELDS[:8]},
            },
        )
        yield "wrong type", {"data": {name: ["1", "2"] for name in FIELDS}}
        yield "JSON where a form is expected", {"data": {}, "json": dict.fromkeys(FIELDS, value)}
        yield "a body over the limit", {"data": {"reason": "长" * 400_000}}


def test_malformed_paths_queries_and_forms_never_fail(service: Service, world: dict[str, Any],
                                                       browsers: dict[str | None, Browser]) -> None:  # fmt: skip
    routes = [r for r in page_routes(service.app) if r[1] not in _SKIP_FUZZ]
    assert len(routes) > 60, "the page routes were not all found"
    bad_paths, bad_queries, bodies = itertools.cycle(BAD_PATH), itertools.cycle(BAD_QUERY), _bodies()
    failures: list[str] = []
    for (method, path, route), role in itertools.product(routes, ROLES):
        browser = browsers[role]
        params = {name: next(bad_paths) for name in route.param_convertors}
        # One parameter malformed, the others real: the malformed one is what reaches the route.
        real = {**world["ids"], **dict(itertools.islice(params.items(), 1))}
        url = _fill(path, real)
        queries = [p.name for p in route.dependant.query_params]
        if queries:
            url += "?" + "&".join(f"{name}={quote(next(bad_queries), safe='%')}" for name in queries)
        what = f"{role} {method} {url[:120]}"
        if method == "GET":
            answer = browser.get(url, follow_redirects=False)
        else:
            said, args = next(bodies)
            what += f" with {said}"
            if "json" in args:
                answer = browser.client.post(url, json={**args["json"], "csrf": browser.csrf}, follow_redirects=False)
            else:
                data = {**args["data"], "csrf": browser.csrf}
                answer = browser.client.post(url, data=data, files=args.get("files"), follow_redirects=False)
        try:
            check_answer(answer, what)
        except AssertionError as exc:
            failures.append(str(exc).split("\n")[0][:300])
    assert not failures, "\n".join(failures)


def _owner_role(path: str) -> str:
    """The role whose page it is: the one whose request reaches the route's own code."""
    if path.startswith("/my"):
        return "enterprise"
    if path.startswith("/admin"):
        return "admin"
    if path.startswith(("/staff/batches", "/staff/funds")):
        return "finance"
    return "caseworker"


def test_every_malformed_path_value_reaches_the_owner_s_route_without_failing(
    service: Service, world: dict[str, Any], browsers: dict[str | None, Browser]
) -> None:
    failures = []
    for method, path, route in page_routes(service.app):
        if not route.param_convertors or path == "/logout":
            continue
        browser = browsers[_owner_role(path)]
        for name, value in itertools.product(route.param_convertors, BAD_PATH):
            url = _fill(path, {**world["ids"], name: value})
            if method == "GET":
                answer = browser.get(url, follow_redirects=False)
            else:
                answer = browser.client.post(url, data={"csrf": browser.csrf, "reason": "x"}, follow_redirects=False)
            try:
                check_answer(answer, f"{method} {url[:120]}")
            except AssertionError as exc:
                failures.append(str(exc).split("\n")[0][:300])
    assert not failures, "\n".join(failures)


# --- (b) no CSRF value, (c) staff pages to claimants and strangers, (d) other regions' ids -----------


def test_every_post_without_the_csrf_value_is_refused_and_writes_nothing(
    service: Service, world: dict[str, Any], browsers: dict[str | None, Browser]
) -> None:
    posts = [(path, route) for method, path, route in page_routes(service.app) if method == "POST"]
    before = _audit_count(service)
    for (path, _), role in itertools.product(posts, ROLES):
        url = _fill(path, world["ids"])
        fields = {"reason": "试探", "username": "clerk", "password": PASSWORD, "pay_date": "2025-12-31"}
        for sent in ({}, {"csrf": "x" * 43}):
            answer = browsers[role].client.post(url, data={**fields, **sent}, follow_redirects=False)
            assert answer.status_code == 403 and "CSRF_FAILED" in answer.text, f"{role} {url}: {answer.status_code}"
    # another site's page posting with the right value is refused too (its Origin is not ours)
    admin = browsers["admin"]
    crossed = admin.client.post("/admin/users/clerk/disable", data={"csrf": admin.csrf, "reason": "x"},
                                headers={"Origin": "http://evil.example"}, follow_redirects=False)  # fmt: skip
    assert crossed.status_code == 403 and "CSRF_FAILED" in crossed.text
    assert _audit_count(service) == before, "a refused post wrote to the audit trail"


def _outsiders(service: Service) -> dict[str, Browser]:
    """Staff of another region (an administrator of another city), and another enterprise."""
    names = ("clerk_out", "reviewer_out", "finance_out", "auditor_out", "admin_out", "firm_out")
    made = {name: browser_of(service, username=name) for name in names}
    for browser in made.values():
        browser.get("/")
    return made


_STAFF_ONLY = ("/staff", "/admin")


def _leaks(answer: Any, secrets: tuple[str, ...]) -> list[str]:
    return [s for s in secrets if s in answer.text]


def test_staff_pages_refuse_claimants_and_strangers_and_ids_of_others_show_nothing(
    service: Service, world: dict[str, Any], browsers: dict[str | None, Browser]
) -> None:
    ids = world["ids"]
    # What only the owners' pages would show of the records: their numbers on the page.
    with transaction(service.app.state.sessions) as session:
        batch = session.get(PaymentBatch, ids["batch_id"])
        assert batch is not None
        secrets = (*world["secrets"], batch.batch_no)
    outsiders = _outsiders(service)
    before = _audit_count(service)
    failures = []
    for method, path, route in page_routes(service.app):
        if path == "/logout":
            continue
        staff_page = path.startswith(_STAFF_ONLY)
        owned = bool(route.param_convertors) and set(route.param_convertors) - {"measure_id", "which"}
        tried: dict[str, Browser] = {}
        if staff_page:
            tried |= {str(r): browsers[r] for r in (None, "enterprise", "individual")}
        if owned:
            tried |= outsiders if not path.startswith("/my") else {"firm_out": outsiders["firm_out"]}
            if path.startswith("/staff/ledger") or path.startswith("/staff/cases"):
                tried.pop("finance_out", None)  # pages a finance officer is refused anyway: also covered
        for who, browser in tried.items():
            for key in ("application_id", "approved_id"):
                if key == "approved_id" and "application_id" not in route.param_convertors:
                    continue
                url = _fill(path, {**ids, "application_id": ids[key]})
                if method == "GET":
                    answer = browser.get(url, follow_redirects=False)
                else:
                    fields = {"reason": "越权试探", "role": "admin", "region": "450103", "pay_date": "2025-12-31",
                              "account_id": "1"}  # fmt: skip
                    answer = browser.client.post(url, data={**fields, "csrf": browser.csrf}, follow_redirects=False)
                status = answer.status_code
                login = status in (302, 303) and answer.headers["location"].startswith("/login")
                if not (status in (403, 404) or (who == "None" and login)):
                    failures.append(f"{who} {method} {url}: {status} {answer.headers.get('location', '')}")
                elif _leaks(answer, secrets):
                    failures.append(f"{who} {method} {url}: shows {_leaks(answer, secrets)}")
                check_answer(answer, f"{who} {method} {url}")
    assert not failures, "\n".join(failures)
    assert _audit_count(service) == before, "a refused post wrote to the audit trail"


def test_the_owner_sees_the_record_and_personal_data_stays_masked(
    service: Service, world: dict[str, Any], browsers: dict[str | None, Browser]
) -> None:
    """The same ids work for their owners (the refusals above are not from a wrong id), masked."""
    ids = world["ids"]
    owned = {
        "enterprise": ["/my/applications/{application_id}", "/my/applications/{application_id}/edit", "/my",
                       "/my/payments", "/my/offers", "/my/applications"],
        "caseworker": ["/staff/cases/{approved_id}", "/staff/ledger/graduates/{graduate_id}",
                       "/staff/matching/{run_id}", "/staff", "/staff/ledger"],
        "finance": ["/staff/batches/{batch_id}", "/staff/batches", "/staff/funds",
                    "/staff/batches/{batch_id}/payments/{payment_id}/void"],
        "admin": ["/admin/users/{username}", "/admin/users", "/admin/audit", "/admin/parameters"],
        "auditor": ["/admin/audit", "/staff/cases/{approved_id}"],
    }  # fmt: skip
    for role, paths in owned.items():
        for path in paths:
            answer = browsers[role].get(_fill(path, ids), follow_redirects=False)
            assert answer.status_code == 200, f"{role} {path}: {answer.status_code} {answer.text[:300]}"
            # Named exception: the edit form of the claimant's own draft holds the numbers they typed
            # (a masked value could not be posted back unchanged).
            check_answer(answer, f"{role} {path}", own_form=path.endswith("/edit"))
    # Unmasking is the one page that shows a full number: to the staff who give a reason, and audited.
    clerk = browsers["caseworker"]
    clerk.get(f"/staff/cases/{ids['approved_id']}")
    shown = clerk.post(f"/staff/cases/{ids['approved_id']}/unmask", {"reason": "核对身份", "field": "person"})
    assert shown.status_code < 500


#: The malformed values tried in every field of every owner's form (the first test rotates all of them).
_OWNER_VALUES = tuple(f"every field {v[:12]!r}" for v in ("", "\x00\x01\x1b", "2025-13-45", str(2**63), "x" * 5_000))


def test_every_malformed_form_and_query_reaches_the_owner_s_route_without_failing(
    service: Service, world: dict[str, Any], browsers: dict[str | None, Browser]
) -> None:
    """Last in the file: these posts reach the routes' own code with real ids, and may change them."""
    with transaction(service.app.state.sessions) as session:
        create_user(session, username="fuzz_target", password=PASSWORD, role="caseworker", region="450103",
                    display_name="试探对象")  # fmt: skip
    ids = {**world["ids"], "username": "fuzz_target"}
    failures = []
    for method, path, route in page_routes(service.app):
        queries = [p.name for p in route.dependant.query_params]
        if path == "/logout" or (method == "GET" and not queries):
            continue
        browser = browsers[_owner_role(path)]
        url = _fill(path, ids)
        if method == "GET":
            tries = [(url + "?" + "&".join(f"{q}={quote(v, safe='%')}" for q in queries), {}) for v in BAD_QUERY]
        else:
            seen: set[str] = set()
            tries = []
            for what, args in itertools.islice(_bodies(), 6 * len(BAD_FIELD)):
                wanted = what in _OWNER_VALUES if what.startswith("every field") else what not in seen
                if wanted:  # the values above in every field, each other kind of body once
                    seen.add(what)
                    tries.append((url, args))
        for target, args in tries:
            if method == "GET":
                answer = browser.get(target, follow_redirects=False)
            elif "json" in args:
                answer = browser.client.post(
                    target, json={**args["json"], "csrf": browser.csrf}, follow_redirects=False
                )
            else:
                data = {**args["data"], "csrf": browser.csrf}
                answer = browser.client.post(target, data=data, files=args.get("files"), follow_redirects=False)
            try:
                check_answer(answer, f"{method} {target[:120]}")
            except AssertionError as exc:
                failures.append(str(exc).split("\n")[0][:300])
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("error", [OperationalError("SELECT 1", {}, Exception("locked")),
                                   IntegrityError("INSERT", {}, Exception("unique")),
                                   DataError("INSERT", {}, Exception("too long"))])  # fmt: skip
def test_database_errors_on_a_page_are_a_chinese_page_and_json_on_the_api(error: Exception) -> None:
    """The last-resort database handlers answer a page's path with the error page (regression)."""
    app = FastAPI()
    install_error_handlers(app)
    app.state.page_error = page_error

    def boom() -> None:
        raise error

    app.add_api_route("/staff/boom", boom)
    app.add_api_route("/boom", boom)
    client = TestClient(app, raise_server_exceptions=False)
    page, api = client.get("/staff/boom"), client.get("/boom")
    assert page.status_code == api.status_code and page.status_code in (409, 422, 503)
    assert "text/html" in page.headers["content-type"] and "错误码" in page.text
    assert api.json()["code"] in ("CONFLICT", "INPUT_INVALID", "SERVICE_BUSY")
