"""The API's edge: whatever comes in, a 4xx with a stable code and a Chinese message, never a 500.

Runs on SQLite and on PostgreSQL (``database_url``) where a database is involved."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from api_world import Service, start_service
from claims_world import facts
from jiuye.service.api.deps import SessionDep
from jiuye.service.models import User

BIG = "99999999999999999999"  # beyond 64 bits
JUST_BEYOND_32 = str(2**31)


@pytest.fixture
def service(database_url: str, tmp_path: Path) -> Iterator[tuple[Service, TestClient]]:
    running = start_service(database_url, tmp_path)
    with TestClient(running.app) as client:
        yield running, client
    running.close()


def _refused(response: object, status: int = 422, code: str = "INPUT_INVALID") -> str:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["code"] == code
    assert re.search(r"[\u4e00-\u9fff]", body["message"]), body["message"]
    return str(body["message"])


OUT_OF_RANGE = (
    f"/applications/{BIG}",
    f"/applications/{JUST_BEYOND_32}",
    "/applications/0",
    f"/subjects/{BIG}",
    f"/graduates/{BIG}",
    f"/batches/{BIG}/file",
    "/applications?limit=-1",
    "/applications?offset=-1",
    f"/applications?offset={BIG}",
    "/subjects?limit=-1",
    "/subjects?offset=-5",
    f"/subjects?limit={BIG}",
    f"/funds/position?fund=ui_fund&region=450103&year={BIG}",
)


def test_out_of_range_ids_and_paging_are_a_chinese_422(service: tuple[Service, TestClient]) -> None:
    running, client = service
    for url in OUT_OF_RANGE:
        _refused(client.get(url, headers=running.headers("admin")))
    _refused(client.get(f"/safety/hits?application_id={BIG}", headers=running.headers("finance")))
    body = {"fund": "ui_fund", "region": "450103", "year": 2025, "amount_fen": 2**70, "note": "桂财社〔2025〕1号"}
    _refused(client.post("/funds/allocations", json=body, headers=running.headers("finance")))
    _refused(client.post("/funds/allocations", json={**body, "amount_fen": 10**15}, headers=running.headers("finance")))


def test_control_characters_in_a_query_or_a_path_are_refused(service: tuple[Service, TestClient]) -> None:
    running, client = service
    clerk = running.headers("caseworker")
    for value in ("\x00", "a\x00b", "x\x01", "\x7f", "\x85", "a\nb"):
        assert "U+" in _refused(client.get("/applications", params={"state": value}, headers=clerk))
        _refused(client.get("/ledger", params={"caseworker": value}, headers=clerk))
    _refused(client.get("/jobs/postings/a%00b/candidates", headers=clerk))


def test_nul_and_line_breaks_in_json_are_refused_except_in_long_notes(service: tuple[Service, TestClient]) -> None:
    running, client = service
    clerk = running.headers("caseworker")
    body = {"kind": "person", "number": "11010519491231002X", "name": "张\x00三", "region": "450103"}
    _refused(client.post("/subjects", json=body, headers=clerk))
    _refused(client.post("/subjects", json={**body, "name": "张三\n"}, headers=clerk))
    surrogate = json.dumps({**body, "name": "\ud800"})  # a lone surrogate, which no encoding can store
    _refused(client.post("/subjects", content=surrogate, headers={**clerk, "Content-Type": "application/json"}))
    nested = {"measure_id": "gx.expansion", "subject_id": 1, "claimant_ref": "E1", "facts": {"persons": ["\x00"]}}
    _refused(client.post("/applications", json=nested, headers=running.headers("enterprise")))
    key = {**nested, "facts": {"a\x00": 1}}
    _refused(client.post("/applications", json=key, headers=running.headers("enterprise")))
    reason = client.post(
        "/subjects/1/unmask", json={"reason": "核对申请材料\n第二行"}, headers=running.headers("finance")
    )
    assert reason.status_code == 200, reason.text
    _refused(client.post("/subjects/1/unmask", json={"reason": "核对\x00"}, headers=running.headers("finance")))


def test_nul_in_form_fields_and_file_names_is_refused(service: tuple[Service, TestClient]) -> None:
    running, client = service
    _refused(client.post("/auth/token", data={"username": "clerk\x00", "password": "correct horse battery"}))
    # httpx escapes a file name; sent raw here, as a hostile client may
    boundary = "jiuye-boundary"
    raw = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="channel"\r\n\r\n51job\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a\x00.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\ntitle\n\r\n--{boundary}--\r\n"
    ).encode()
    headers = {**running.headers("caseworker"), "Content-Type": f"multipart/form-data; boundary={boundary}"}
    _refused(client.post("/jobs/postings/import", content=raw, headers=headers))
    channel = client.post(
        "/jobs/postings/import", data={"channel": "51\x00job"}, files={"file": ("a.csv", b"title\n", "text/csv")},
        headers=running.headers("caseworker"),
    )  # fmt: skip
    _refused(channel)


def _chunks(size: int) -> Iterator[bytes]:
    yield b'{"reason": "'
    for _ in range(size // 65536):
        yield b"x" * 65536
    yield b'"}'


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
def test_a_chunked_body_beyond_the_limit_is_a_chinese_413(service: tuple[Service, TestClient]) -> None:
    running, client = service
    headers = {**running.headers("finance"), "Content-Type": "application/json"}
    got = client.post("/subjects/1/unmask", content=_chunks(3_000_000), headers=headers)
    assert "content-length" not in {k.lower() for k in got.request.headers}
    assert "不超过" in _refused(got, 413, "PAYLOAD_TOO_LARGE")


def _signed(service: Service, **claims: object) -> dict[str, str]:
    key = service.app.state.settings.token_key
    base = {"sub": "1", "name": "admin", "role": "admin", "region": "450000", "exp": dt.datetime.now(dt.UTC)}
    base["exp"] = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    token = jwt.encode({k: v for k, v in {**base, **claims}.items() if v is not None}, key, algorithm="HS256")
    return {"Authorization": f"Bearer {token}"}


INCOMPLETE_CLAIMS = (
    {"name": None},
    {"role": None},
    {"region": None},
    {"sub": None},
    {"role": "root"},
    {"sub": "abc"},
    {"sub": BIG},
    {"name": 5},
    {"subject": "x"},
    {"region": "45"},
)


def test_a_signed_but_incomplete_token_is_a_401(service: tuple[Service, TestClient]) -> None:
    running, client = service
    assert client.get("/auth/me", headers=_signed(running)).status_code == 200
    for claims in INCOMPLETE_CLAIMS:
        _refused(client.get("/auth/me", headers=_signed(running, **claims)), 401, "AUTH_FAILED")


PARSE_ERRORS = (
    (b'{"reason": ', "不是有效的 JSON"),
    (b"\xff\xfe\x00", "请求"),
    (b"[" * 5000, "请求"),
    (b'{"reason": 5}', "应为文本"),
    (b'{"reason": "x", "extra": 1}', "不允许的字段"),
)
QUERY_ERRORS = (
    ("/applications?source=robot", "可选 'self'、'caseworker'、'proactive'"),
    ("/applications?limit=abc", "应为整数"),
    ("/subjects?limit=5000", "应不大于 1000"),
    ("/batches/1/file?format=pdf", "可选"),
)


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
def test_body_parse_errors_answer_in_chinese(service: tuple[Service, TestClient]) -> None:
    running, client = service
    headers = {**running.headers("finance"), "Content-Type": "application/json"}
    for body, expected in PARSE_ERRORS:
        got = client.post("/subjects/1/unmask", content=body, headers=headers)
        assert got.status_code in (400, 422), got.text
        message = got.json()["message"]
        assert expected in message, message
        words = message.replace("reason", "").replace("extra", "").replace("JSON", "")
        assert not re.search(r"[A-Za-z]{4,}", words), message
    for url, expected in QUERY_ERRORS:
        message = _refused(client.get(url, headers=running.headers("finance")))
        assert expected in message, message
        assert not re.search(r"\bor\b", message), message


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
def test_an_unforeseen_database_error_is_answered_in_chinese_not_500(
    service: tuple[Service, TestClient], caplog: pytest.LogCaptureFixture
) -> None:
    running, client = service
    errors = {
        "/_conflict": (IntegrityError("INSERT", {}, Exception("unique")), 409, "CONFLICT"),
        "/_range": (DataError("INSERT", {}, Exception("out of range")), 422, "INPUT_INVALID"),
        "/_locked": (OperationalError("UPDATE", {}, Exception("database is locked")), 503, "SERVICE_BUSY"),
    }

    def fails(request: Request) -> None:
        raise errors[request.url.path][0]

    for path in errors:
        running.app.add_api_route(path, fails, methods=["GET"])
    for path, (error, status, code) in errors.items():
        with caplog.at_level("WARNING", logger="jiuye.service.api"):
            _refused(client.get(path), status, code)
        assert type(error).__name__ in caplog.text


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
def test_every_operation_declares_the_error_responses(service: tuple[Service, TestClient]) -> None:
    spec = service[1].get("/openapi.json").json()
    assert set(spec["components"]["schemas"]["ErrorBody"]["required"]) == {"code", "message"}
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status in ("401", "403", "404", "409", "413", "415", "422"):
                declared = operation["responses"].get(status, {})
                schema = declared.get("content", {}).get("application/json", {}).get("schema")
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, status)


def test_a_conflict_found_at_commit_is_a_409_not_a_success(service: tuple[Service, TestClient]) -> None:
    """The request's transaction commits before the answer is sent: a commit the database refuses
    (here a duplicate user name, not flushed until the commit) is answered 409, not 200."""
    running, client = service

    def adds_a_duplicate(session: SessionDep) -> dict[str, bool]:
        session.add(
            User(username="admin", display_name="重复", password_hash="x", role="admin", region="450000", active=True)
        )
        return {"saved": True}

    running.app.add_api_route("/_duplicate", adds_a_duplicate, methods=["POST"])
    _refused(client.post("/_duplicate"), 409, "CONFLICT")


def test_a_count_in_the_facts_beyond_32_bits_is_a_chinese_422_not_an_engine_crash(
    service: tuple[Service, TestClient],
) -> None:
    running, client = service
    firm = running.headers("enterprise")
    subject_id = client.get("/auth/me", headers=firm).json()["subject_id"]

    def claim(months: int) -> Any:
        data = facts("E1")  # the demo's first firm (…0001), the enterprise user's own subject
        data["employments"][0]["months_paid_ui"] = months
        body = {"measure_id": "gx.expansion", "subject_id": subject_id, "claimant_ref": "E1", "facts": data}
        return client.post("/applications", json=body, headers=firm)

    assert "应不大于" in _refused(claim(10**30))
    at_bound = claim(2**31 - 1)
    assert at_bound.status_code == 201, at_bound.text
    submitted = client.post(f"/applications/{at_bound.json()['id']}/submit", headers=firm)
    assert submitted.status_code == 200, submitted.text


def test_an_uploaded_posting_file_with_nul_cells_or_deep_json_is_read_not_a_500(
    service: tuple[Service, TestClient],
) -> None:
    running, client = service
    clerk = running.headers("caseworker")

    def upload(name: str, data: bytes) -> Any:
        got = client.post(
            "/jobs/postings/import", data={"channel": "51job"}, files={"file": (name, data)}, headers=clerk
        )
        assert got.status_code == 200, got.text
        return got.json()

    assert upload("a.tsv", "岗位\t单位\n会计\x00\t某公司\n".encode())["imported"] == 1  # NUL dropped
    assert upload("b.json", b'[{"title": "\\u0000\\ud800", "employer": "x"}]')["imported"] == 0
    assert "嵌套过深" in upload("c.json", b'{"a": ' * 3000)["summary"]
