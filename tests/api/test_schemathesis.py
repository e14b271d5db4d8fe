"""Property-based run over the OpenAPI schema, on SQLite and PostgreSQL: never a 5xx.

Deterministic (a fixed seed, derandomized, no example database), so a run that passes passes
again. Generated requests are steered towards the real record: State codes that exist, fact
and contact ids that belong to them, dates in the tracker's range and plausible addresses,
so the write routes get past validation and meet the record, not only 422s. Every operation
is called with a secretariat token. Each run writes its figures (requests, answers by status)
to test-output/schemathesis-<database>.json.
"""

from __future__ import annotations

import atexit
import json
import os
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from sqlalchemy import create_engine, select, text

from api.app import create_app
from obligations import contacts, models
from obligations.db import PROJECT_ROOT, make_engine, session_factory, transaction, upgrade_schema
from obligations.importing import load_bundled_record
from obligations.settings import Settings
from obligations.tokens import create_token
from tests.conftest import POSTGRES_URL, REQUIRE_POSTGRES, _postgres_error

SEED = 20261125
MAX_EXAMPLES = 40
OUTPUT = Path(os.environ.get("OBLIGATIONS_TEST_OUTPUT", PROJECT_ROOT / "test-output"))
DATE_FIELDS = {"as_of", "date", "received", "effective", "end_date", "due", "decided"}
FACT_PATHS: dict[str, Any] = {
    "actions": models.DepositaryAction,
    "reports": models.ReportReceived,
    "reviews": models.Review,
    "decisions": models.CommitteeDecision,
    "loiprs": models.ListOfIssuesPriorToReporting,
    "lists-of-issues": models.ListOfIssues,
    "observations": models.ConcludingObservations,
    "follow-up": models.FollowUpReceived,
}
REAL_DATES = st.dates(date(1990, 12, 18), date(2025, 12, 31)).map(date.isoformat)


def _days(first: int, last: int) -> st.SearchStrategy[str]:
    return st.dates(date(first, 1, 1), date(last, 12, 31)).map(date.isoformat)


def _same(numbers: st.SearchStrategy[int]) -> st.SearchStrategy[list[int]]:
    return numbers.map(lambda n: [n, n])


# Bodies a secretariat officer could send for a party's record: many are accepted, the rest
# meet the record's rules (409), not only the schema's (422).
PLAUSIBLE: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "actions": st.fixed_dictionaries(
        {
            "action": st.sampled_from(["declaration", "withdrawal", "denunciation"]),
            "date": _days(2004, 2025),
            "articles": st.sampled_from([[76], [77], [76, 77]]),
            "source": st.sampled_from(["UNTC", "C.N.1.2024"]),
        }
    ),
    "reports": st.fixed_dictionaries(
        {
            "numbers": _same(st.integers(1, 6)),
            "received": _days(2004, 2025),
            "procedure": st.sampled_from(["standard", "simplified"]),
        }
    ),
    "reviews": st.fixed_dictionaries(
        {
            "numbers": _same(st.integers(1, 4)),
            "session": st.integers(1, 40),
            "date": _days(2006, 2025),
        }
    ),
    "decisions": st.fixed_dictionaries(
        {
            "report": st.integers(1, 6),
            "due": _days(2005, 2030),
            "decided": _days(2005, 2025),
            "kind": st.sampled_from(["fix_due_date", "request_report"]),
        }
    ),
    "contacts": st.fixed_dictionaries(
        {
            "name": st.sampled_from(["Ana Pérez", "Luis Ortega", "Awa Ndiaye"]),
            "email": st.integers(1, 10_000).map(lambda n: f"focal{n}@example.org"),
            "language": st.sampled_from(["en", "fr", "es"]),
            "role": st.sampled_from(["primary", "copy"]),
        }
    ),
}


@dataclass
class Fuzzed:
    """The app under test and what the generator may borrow from its record."""

    app: FastAPI
    token: str
    codes: list[str]
    parties: list[str]
    facts: dict[str, list[tuple[str, int]]]
    contacts: list[tuple[str, int]]
    statuses: Counter[int] = field(default_factory=Counter)
    writes: Counter[str] = field(default_factory=Counter)  # "POST /path 201"


def _record_of(
    url: str,
) -> tuple[str, list[str], list[str], dict[str, list[tuple[str, int]]], list[Any]]:
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        _, token = create_token(session, "secretariat", "fuzzer")
        for code, address in (("GTM", "ana@minex.gob.gt"), ("MEX", "luis@sre.gob.mx")):
            contacts.add_contact(session, code, "Focal point", address, "es", "primary")
        codes = sorted(session.scalars(select(models.DepositaryAction.state_code).distinct()))
        bound = models.DepositaryAction.action.in_(("ratification", "accession", "succession"))
        parties = sorted(
            session.scalars(select(models.DepositaryAction.state_code).where(bound).distinct())
        )
        facts = {
            path: [(r.state_code, r.id) for r in session.scalars(select(model))]
            for path, model in FACT_PATHS.items()
        }
        people = [(c.state_code, c.id) for c in session.scalars(select(models.Contact))]
    engine.dispose()
    return token, codes, parties, facts, people


def _sqlite_url() -> str:
    path = Path(tempfile.mkdtemp(prefix="obligations-fuzz-")) / "obligations.sqlite3"
    return f"sqlite:///{path}"


def _postgres_url() -> str | None:
    """A schema of its own on the test server (dropped at exit); None without a server."""
    if _postgres_error() is not None:
        return None
    name = f"obligations_fuzz_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    admin.dispose()
    atexit.register(_drop_schema, name)
    return f"{POSTGRES_URL}?options=-csearch_path%3D{name}"


def _drop_schema(name: str) -> None:
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    admin.dispose()


def fuzzed_app(url: str) -> Fuzzed:
    """The app on a database of its own holding the bundled record; built at collection, as
    Schemathesis needs the schema then."""
    engine = make_engine(url)
    upgrade_schema(engine)
    with transaction(session_factory(engine)) as session:
        load_bundled_record(session)
    engine.dispose()
    token, codes, parties, facts, people = _record_of(url)
    app = create_app(Settings(session_secret="fuzz-" * 8), database_url=url)
    return Fuzzed(app, token, codes, parties, facts, people)


def _write_figures(database: str, statuses: Counter[int], writes: Counter[str]) -> None:
    figures: dict[str, Any] = {
        "database": database,
        "requests": sum(statuses.values()),
        "server_errors": sum(n for s, n in statuses.items() if s >= 500),
        "by_status": {str(s): n for s, n in sorted(statuses.items())},
        "writes_accepted": {k: n for k, n in sorted(writes.items()) if k.endswith(("201", "204"))},
    }
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / f"schemathesis-{database}.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nschemathesis on {database}: {json.dumps(figures)}")


def _either(generated: Any, real: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly a real value (so requests reach the record), sometimes what was generated."""
    return st.one_of(real, real, real, st.just(generated))


def steered_schema(fuzzed: Fuzzed) -> Any:
    """The app's schema, deterministic, with generated values steered towards the record."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzzed.app)
    schema.config.seed = SEED
    schema.config.generation.update(
        deterministic=True, max_examples=MAX_EXAMPLES, database="none", no_shrink=True
    )

    @schema.hook
    def flatmap_path_parameters(context: Any, parameters: dict[str, Any] | None) -> Any:
        if not isinstance(parameters, dict):
            return st.just(parameters)
        route = context.operation.path
        pairs: list[tuple[str, int]] = []
        if "{fact_id}" in route:
            pairs = fuzzed.facts.get(route.rsplit("/", 2)[-2], [])
        elif "{contact_id}" in route:
            pairs = fuzzed.contacts
        id_name = "fact_id" if "{fact_id}" in route else "contact_id"
        if pairs:
            real_pair = st.sampled_from(pairs).map(
                lambda pair: {**parameters, "code": pair[0], id_name: pair[1]}
            )
            return _either(parameters, real_pair)
        if "code" in parameters:
            real_code = st.sampled_from(fuzzed.codes).map(lambda c: {**parameters, "code": c})
            return _either(parameters, real_code)
        return st.just(parameters)

    @schema.hook
    def flatmap_query(context: Any, query: dict[str, Any] | None) -> Any:
        if not isinstance(query, dict) or "as_of" not in query:
            return st.just(query)
        return _either(query, REAL_DATES.map(lambda day: {**query, "as_of": day}))

    @schema.hook
    def flatmap_body(context: Any, body: Any) -> Any:
        if not isinstance(body, dict):
            return st.just(body)
        dates = {key: REAL_DATES for key in body if key in DATE_FIELDS}
        real: dict[str, Any] = {**{k: st.just(v) for k, v in body.items()}, **dates}
        if "email" in body:
            real["email"] = st.integers(1, 500).map(lambda n: f"focal{n}@example.org")
        if "symbol" in body:
            real["symbol"] = st.none()
        return _either(body, st.fixed_dictionaries(real))

    @schema.hook
    def flatmap_case(context: Any, case: schemathesis.Case) -> Any:
        """A create for a party, with a plausible body, one time in two."""
        route = context.operation.path
        kind = route.rsplit("/", 1)[-1]
        if (
            case.method.upper() != "POST"
            or not route.endswith("}/" + kind)
            or kind not in PLAUSIBLE
        ):
            return st.just(case)

        def plausible(code_and_body: tuple[str, dict[str, Any]]) -> schemathesis.Case:
            code, body = code_and_body
            case.path_parameters = {**(case.path_parameters or {}), "code": code}
            case.body = body
            return case

        steered = st.tuples(st.sampled_from(fuzzed.parties), PLAUSIBLE[kind]).map(plausible)
        return st.one_of(st.just(case), steered)

    return schema


ON_SQLITE = fuzzed_app(_sqlite_url())
SQLITE_SCHEMA = steered_schema(ON_SQLITE)
_PG_URL = _postgres_url()
ON_POSTGRES = fuzzed_app(_PG_URL) if _PG_URL else None
# Without a server, the same app stands in so the tests collect; the test then skips (or fails).
POSTGRES_SCHEMA = steered_schema(ON_POSTGRES or ON_SQLITE)
FUZZED = {"sqlite": ON_SQLITE, "postgresql": ON_POSTGRES}


@pytest.fixture(scope="module", autouse=True)
def figures() -> Iterator[None]:
    yield
    for database, fuzzed in FUZZED.items():
        if fuzzed is not None and fuzzed.statuses:
            _write_figures(database, fuzzed.statuses, fuzzed.writes)


def call(case: schemathesis.Case, fuzzed: Fuzzed) -> None:
    try:
        response = case.call(headers={"Authorization": f"Bearer {fuzzed.token}"})
    except Exception:
        # The test client re-raises what the app did not handle: to a client, that is a 500.
        fuzzed.statuses[500] += 1
        raise
    fuzzed.statuses[response.status_code] += 1
    if case.method.upper() != "GET":
        fuzzed.writes[f"{case.method.upper()} {case.path} {response.status_code}"] += 1
    case.validate_response(response, checks=[not_a_server_error])


FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@SQLITE_SCHEMA.parametrize()
@FUZZ_SETTINGS
def test_no_request_gets_a_server_error_on_sqlite(case: schemathesis.Case) -> None:
    call(case, ON_SQLITE)


@POSTGRES_SCHEMA.parametrize()
@FUZZ_SETTINGS
def test_no_request_gets_a_server_error_on_postgresql(case: schemathesis.Case) -> None:
    if ON_POSTGRES is None:
        message = f"PostgreSQL at {POSTGRES_URL} is unreachable (PostgreSQL half skipped)"
        if REQUIRE_POSTGRES:
            pytest.fail(message)
        pytest.skip(message)
    call(case, ON_POSTGRES)
