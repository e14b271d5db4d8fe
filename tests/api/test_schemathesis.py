"""Property-based run over the OpenAPI schema: whatever a client sends, never a 5xx.

Every operation is called with a secretariat token, so the write routes are reached past
authentication and their validation meets generated bodies. Examples are bounded to keep the
suite quick; the database is a SQLite file holding the bundled record.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api.app import create_app
from obligations.db import make_engine, session_factory, transaction, upgrade_schema
from obligations.importing import load_bundled_record
from obligations.tokens import create_token


def fuzzed_app() -> tuple[FastAPI, str]:
    """The app on a SQLite file of its own; built at collection, as Schemathesis needs it."""
    path = Path(tempfile.mkdtemp(prefix="obligations-fuzz-")) / "obligations.sqlite3"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade_schema(engine)
    with transaction(session_factory(engine)) as session:
        load_bundled_record(session)
        _, token = create_token(session, "secretariat", "fuzzer")
    engine.dispose()
    return create_app(database_url=url), token


APP, TOKEN = fuzzed_app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_request_gets_a_server_error(case: schemathesis.Case) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN}"}, checks=[not_a_server_error]
    )
