"""A bounded fuzz of the whole API (schemathesis' pytest integration over the ASGI app, in process, no
network): every operation of the application's OpenAPI document (read when the tests are collected,
so routes added later are covered), as each role, on SQLite and on PostgreSQL. No answer may be a
5xx; each must be a status the operation declares, with a body matching its schema.

Reproducible: a fixed seed, derandomised Hypothesis, no example database. Bounded: a few generated
examples an operation and role, on top of schemathesis' deterministic coverage cases (the
boundaries: empty, too long, out of range, wrong types), which find most 500s.

The schema is loaded eagerly from an app that is never called (``spec_app``); each case is sent to
the service of its database. Schemathesis' lazy ``from_fixture`` loader would be simpler but sets
``Node._nodeid``, which pytest 9.2 no longer has."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from api_world import USER_OF_ROLE, Service, spec_app, start_service
from conftest import new_database

SEED = 20251201
#: Generated examples an operation and role beyond the coverage cases (named assumption: the time
#: budget of about four minutes on two cores; with 42 operations x 7 roles x 2 databases, 20 took
#: about two and a half minutes, leaving room for routes still to come).
EXAMPLES = 20
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
TALLY: Counter[str] = Counter()

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True, "database": "none"},
        "phases": {
            "examples": {"enabled": False},
            "stateful": {"enabled": False},
            "coverage": {"unexpected-methods": []},
        },
    }
)
schema = schemathesis.openapi.from_asgi("/openapi.json", spec_app(), config=CONFIG)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzzed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One service a database for the whole fuzz: what one operation created, another finds."""
    with new_database(str(request.param), tmp_path_factory.mktemp("fuzz")) as url:
        running = start_service(url, tmp_path_factory.mktemp("data"))
        yield running
        running.close()


@pytest.fixture(params=tuple(USER_OF_ROLE))
def role(request: pytest.FixtureRequest) -> str:
    return str(request.param)


class _Summary:
    """Reports the fuzz's figures at the end of the run (a teardown's output would be captured)."""

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        terminalreporter.write_line(f"API fuzz: {TALLY['requests']} requests, {TALLY['5xx']} answered >= 500")


@pytest.fixture(scope="module", autouse=True)
def report(request: pytest.FixtureRequest) -> None:
    if not request.config.pluginmanager.has_plugin("jiuye-api-fuzz"):
        request.config.pluginmanager.register(_Summary(), "jiuye-api-fuzz")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck)
)
def test_no_operation_answers_5xx_or_off_its_schema(case: Any, fuzzed: Service, role: str) -> None:
    response = case.call(app=fuzzed.app, headers=fuzzed.headers(role))
    TALLY["requests"] += 1
    TALLY["5xx"] += response.status_code >= 500
    case.validate_response(response, checks=CHECKS)
