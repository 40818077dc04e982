"""One demo service per test module and database kind (SQLite, PostgreSQL): pages write through
the same services as the API, so what they store is tested on both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.api_world import Service
from tests.conftest import new_database
from tests.web_world import web_service


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def service(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    folder = Path(tmp_path_factory.mktemp("web"))
    with new_database(str(request.param), folder) as url, web_service(url, folder) as running:
        yield running
