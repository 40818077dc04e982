"""Logging in and staff accounts over HTTP: lockout, equal timing for unknown names, every
failure audited, an administrator's accounts within their region (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import statistics
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select

from api_world import PASSWORD, staff_client
from jiuye.service import auth, login
from jiuye.service.login import LoginPolicy
from jiuye.service.models import AuditEvent

STAFF = (
    ("admin", "admin", "450000"),
    ("admin_nn", "admin", "450100"),
    ("clerk", "caseworker", "450103"),
    ("clerk_lz", "caseworker", "450202"),
    ("auditor", "auditor", "450000"),
)


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with staff_client(database_url, tmp_path, STAFF) as test_client:
        yield test_client


def _try(client: TestClient, username: str, password: str = PASSWORD) -> int:
    return client.post("/auth/token", data={"username": username, "password": password}).status_code


def _login(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    done = client.post("/auth/token", data={"username": username, "password": password})
    assert done.status_code == 200, done.text
    return {"Authorization": f"Bearer {done.json()['access_token']}"}


def _events(client: TestClient, action: str) -> list[AuditEvent]:
    with client.app_state.sessions() as session:  # type: ignore[attr-defined]
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)))


def test_five_failures_lock_the_name_even_for_the_right_password(client: TestClient) -> None:
    assert [_try(client, "clerk", "wrong-password!") for _ in range(5)] == [401] * 5
    locked = client.post("/auth/token", data={"username": "clerk", "password": PASSWORD})
    assert locked.status_code == 429 and locked.json()["code"] == "LOGIN_LOCKED" and "锁定" in locked.json()["message"]
    assert _try(client, "auditor") == 200, "其他账号不受影响"
    failed = _events(client, "auth.login_failed")
    assert len(failed) == 6 and {e.entity_id for e in failed} == {"clerk"}
    assert all("wrong-password" not in e.detail and PASSWORD not in e.detail for e in failed), "审计中不得有口令"
    assert [json.loads(e.detail)["reason"] for e in failed][-1] == "locked"
    lockouts = _events(client, "auth.lockout")
    assert len(lockouts) == 1 and json.loads(lockouts[0].detail)["kind"] == "user"


def test_an_unknown_name_is_locked_like_a_known_one(client: TestClient) -> None:
    assert [_try(client, "nobody", "wrong-password!") for _ in range(6)] == [401] * 5 + [429]


def test_many_failures_from_one_address_lock_the_address(client: TestClient) -> None:
    client.app_state.login_policy = replace(LoginPolicy(), address_failures=8)  # type: ignore[attr-defined]
    assert {_try(client, f"guess{i}", "wrong-password!") for i in range(8)} == {401}
    assert _try(client, "auditor") == 429, "同一来源地址已被锁定"
    assert any(json.loads(e.detail)["kind"] == "address" for e in _events(client, "auth.lockout"))


def test_an_administrator_lifts_a_lock_by_setting_a_new_password(client: TestClient) -> None:
    for _ in range(5):
        _try(client, "clerk", "wrong-password!")
    assert _try(client, "clerk") == 429
    done = client.post(
        "/users/clerk/password", json={"password": "a new password 2025"}, headers=_login(client, "admin")
    )
    assert done.status_code == 200, done.text
    assert _try(client, "clerk", "a new password 2025") == 200 and _try(client, "clerk") == 401


def test_an_unknown_name_fails_as_slowly_as_a_known_one(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Medians, interleaved, compared loosely (within 3×) so a loaded machine does not flake:
    without the dummy hash an unknown name answers about ten times faster. At argon2's real cost
    (the suite hashes cheaply, see tests/conftest.py): the dummy hash, and clerk's new password."""
    real = PasswordHasher()
    monkeypatch.setattr(auth, "_HASHER", real)
    monkeypatch.setattr(login, "DUMMY_HASH", real.hash("jiuye: no such user"))
    reset = client.post("/users/clerk/password", json={"password": PASSWORD}, headers=_login(client, "admin"))
    assert reset.status_code == 200, reset.text
    client.app_state.login_policy = LoginPolicy(user_failures=1000, address_failures=1000)  # type: ignore[attr-defined]
    _try(client, "clerk", "warm-up-password")
    known, unknown = [], []
    for _ in range(9):
        for sample, name in ((known, "clerk"), (unknown, f"nobody-{uuid.uuid4().hex[:8]}")):
            start = time.perf_counter()
            assert _try(client, name, "wrong-password!") == 401
            sample.append(time.perf_counter() - start)
    ratio = statistics.median(known) / statistics.median(unknown)
    assert 1 / 3 < ratio < 3, (
        f"已知用户名失败中位数 {statistics.median(known):.4f}s，未知 {statistics.median(unknown):.4f}s"
    )


def test_an_administrator_manages_staff_within_their_region(client: TestClient) -> None:
    admin = _login(client, "admin_nn")  # 南宁市 450100
    body = {"username": "clerk2", "password": "a long password", "role": "caseworker", "region": "450103"}
    made = client.post("/users", json=body, headers=admin)
    assert made.status_code == 201, made.text
    assert "password" not in made.text and "argon2" not in made.text, "用户的公开形式不含口令哈希"
    assert made.json()["active"] is True and made.json()["region"] == "450103"
    outside = client.post("/users", json={**body, "username": "x", "region": "450202"}, headers=admin)
    assert outside.status_code == 403 and "管理范围" in outside.json()["message"]
    peer = client.post("/users", json={**body, "username": "y", "role": "admin", "region": "450100"}, headers=admin)
    assert peer.status_code == 403, "管理员只能设在下级地区"
    listed = client.get("/users", headers=admin).json()
    assert {u["username"] for u in listed} == {"admin_nn", "clerk", "clerk2"}
    assert all("hash" not in json.dumps(u) for u in listed)
    assert client.get("/users/clerk_lz/disable", headers=admin).status_code == 405
    assert client.post("/users/clerk_lz/disable", headers=admin).status_code == 404, "辖区外的用户视为不存在"
    assert client.post("/users/admin/disable", headers=admin).status_code == 404, "不能管理上级管理员"
    assert client.post("/users/admin_nn/disable", headers=admin).status_code == 403, "不能停用自己"
    assert client.post("/users/admin_nn/role", json={"role": "auditor"}, headers=admin).status_code == 403
    token = _login(client, "clerk2", "a long password")
    assert client.post("/users/clerk2/disable", headers=admin).json()["active"] is False
    assert client.get("/auth/me", headers=token).status_code == 401, "停用后登录凭证立即失效"
    assert _try(client, "clerk2", "a long password") == 401
    assert client.post("/users/clerk2/enable", headers=admin).json()["active"] is True
    promoted = client.post("/users/clerk2/role", json={"role": "reviewer"}, headers=admin)
    assert promoted.status_code == 200 and promoted.json()["role"] == "reviewer"
    short = client.post("/users/clerk2/password", json={"password": "short"}, headers=admin)
    assert short.status_code == 422 and "口令过短" in short.json()["message"]
    actions = [(e.actor, e.action) for e in _events(client, "user.role")]
    assert actions == [("admin_nn", "user.role")]
    assert {e.action for e in _events(client, "user.disable") + _events(client, "user.enable")} == {
        "user.disable",
        "user.enable",
    }


def test_only_an_administrator_manages_accounts(client: TestClient) -> None:
    clerk = _login(client, "clerk")
    body = {"username": "z", "password": "a long password", "role": "caseworker", "region": "450103"}
    assert client.post("/users", json=body, headers=clerk).status_code == 403
    assert client.get("/users", headers=clerk).status_code == 403
    assert client.post("/users", json=body).status_code == 401
    bad = client.post("/users", json={**body, "role": "enterprise"}, headers=_login(client, "admin"))
    assert bad.status_code == 422
