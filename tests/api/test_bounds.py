"""Bounded input: ids, offsets and limits within the database's integer range (404/422, never
500); dates strictly YYYY-MM-DD from 1990-12-18 to 2099-12-31 in the API, the CLI and the pages;
the OpenAPI schema says so."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Tokens
from tests.obligations.cli_runner import run_cli
from tests.pages.conftest import csrf_of, make_token, sign_in

MAX_ID = 2**31 - 1
TOO_BIG = [2**31, 99999999999, 9223372036854775808, 2**70]
BAD_DATES = [
    ("0", "not a date in the form YYYY-MM-DD"),
    ("1", "not a date in the form YYYY-MM-DD"),
    ("2010-01-01T00:00:00", "not a date in the form YYYY-MM-DD"),
    ("2010-01-01 00:00", "not a date in the form YYYY-MM-DD"),
    ("2010-1-1", "not a date in the form YYYY-MM-DD"),
    ("2010-02-30", "not a date on the calendar"),
    ("١٩٩٩-٠١-٠١", "not a date in the form YYYY-MM-DD"),
    ("1990-12-17", "before the Convention was opened for signature (1990-12-18)"),
    ("1970-01-01", "before the Convention was opened for signature"),
    ("2100-01-01", "the tracker answers up to 2099-12-31"),
]
PUBLIC = [
    "/api/v1/status",
    "/api/v1/states",
    "/api/v1/states/GTM",
    "/api/v1/overdue",
    "/api/v1/upcoming",
    "/api/v1/declarations",
]


def message(response: Any) -> str:
    return str(response.json()["detail"])


@pytest.mark.parametrize("fact", ["actions", "reports", "reviews", "decisions"])
def test_fact_ids_beyond_the_integer_range_are_422_and_the_largest_404(
    client: TestClient, tokens: Tokens, fact: str
) -> None:
    for big in TOO_BIG:
        path = f"/api/v1/states/GTM/{fact}/{big}"
        assert client.delete(path, headers=tokens.secretariat).status_code == 422
        assert client.patch(path, json={}, headers=tokens.secretariat).status_code == 422
    for edge in (0, -1):
        path = f"/api/v1/states/GTM/{fact}/{edge}"
        assert client.delete(path, headers=tokens.secretariat).status_code == 422
    largest = f"/api/v1/states/GTM/{fact}/{MAX_ID}"
    assert client.delete(largest, headers=tokens.secretariat).status_code == 404


def test_contact_ids_beyond_the_integer_range_are_422(client: TestClient, tokens: Tokens) -> None:
    for big in TOO_BIG:
        path = f"/api/v1/states/GTM/contacts/{big}"
        assert client.delete(path, headers=tokens.secretariat).status_code == 422
        assert client.patch(path, json={}, headers=tokens.secretariat).status_code == 422
    path = f"/api/v1/states/GTM/contacts/{MAX_ID}"
    assert client.delete(path, headers=tokens.secretariat).status_code == 404


def test_audit_offsets_and_limits_are_bounded(client: TestClient, tokens: Tokens) -> None:
    for params in (
        {"offset": "9223372036854775808"},
        {"offset": str(2**31)},
        {"offset": "-1"},
        {"limit": "0"},
        {"limit": "1001"},
        {"limit": "9223372036854775808"},
    ):
        response = client.get("/api/v1/audit", params=params, headers=tokens.secretariat)
        assert response.status_code == 422, params
    far = client.get("/api/v1/audit", params={"offset": MAX_ID}, headers=tokens.secretariat)
    assert far.status_code == 200
    assert far.json()["items"] == []


@pytest.mark.parametrize(("raw", "said"), BAD_DATES)
def test_the_api_takes_as_of_strictly(client: TestClient, raw: str, said: str) -> None:
    for path in PUBLIC:
        response = client.get(path, params={"as_of": raw})
        assert response.status_code == 422, (path, response.text)
        assert said in message(response)
        assert "as_of" in message(response)


def test_the_api_takes_the_first_and_last_dates(client: TestClient) -> None:
    for day in ("1990-12-18", "2099-12-31"):
        assert client.get("/api/v1/status", params={"as_of": day}).status_code == 200


@pytest.mark.parametrize(("raw", "said"), BAD_DATES)
def test_the_cli_takes_dates_strictly(
    capsys: pytest.CaptureFixture[str], database_url: str, raw: str, said: str
) -> None:
    result = run_cli(capsys, database_url, "status", "--as-of", raw)
    assert result.code == 2
    assert said in result.err


@pytest.mark.parametrize(("raw", "said"), BAD_DATES)
def test_the_pages_take_dates_strictly(client: TestClient, raw: str, said: str) -> None:
    response = client.get("/", params={"as_of": raw})
    assert response.status_code == 422
    assert said.replace("'", "&#39;") in response.text


def test_outbox_retry_ids_are_bounded(client: TestClient, engine: Any) -> None:
    client.follow_redirects = False
    sign_in(client, make_token(engine))
    csrf = csrf_of(client.get("/outbox").text)
    for big in TOO_BIG:
        response = client.post(f"/outbox/{big}/retry", data={"csrf_token": csrf})
        assert response.status_code == 422, response.text
    largest = client.post(f"/outbox/{MAX_ID}/retry", data={"csrf_token": csrf})
    assert largest.status_code in (303, 404)


def test_the_cli_bounds_outbox_ids(capsys: pytest.CaptureFixture[str], database_url: str) -> None:
    result = run_cli(capsys, database_url, "outbox", "retry", str(2**40))
    assert result.code == 2
    assert "Traceback" not in result.err


def test_the_schema_documents_codes_errors_and_the_bearer_scheme(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    codes = [
        parameter
        for item in schema["paths"].values()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "code" and parameter["in"] == "path"
    ]
    assert codes and all(p["schema"]["pattern"] == "^[A-Z]{3}$" for p in codes)
    create = schema["paths"]["/api/v1/states/{code}/reports"]["post"]
    assert {"401", "403", "404", "409", "422", "503"} <= set(create["responses"])
    assert create["security"] == [{"HTTPBearer": []}]
    status = schema["paths"]["/api/v1/status"]["get"]
    assert {"422", "503"} <= set(status["responses"])
    assert "security" not in status
    fact_id = next(
        p
        for p in schema["paths"]["/api/v1/states/{code}/actions/{fact_id}"]["delete"]["parameters"]
        if p["name"] == "fact_id"
    )
    assert fact_id["schema"]["maximum"] == MAX_ID
