"""Who may do what: the public record is open, writes are the secretariat's, contacts are
personal data seen only by the secretariat and the State's own focal point."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Tokens, bearer
from tests.obligations.cli_runner import run_cli

CONTACT = {"name": "Ana López", "email": "ana.lopez@minex.gob.gt", "language": "es"}


def test_public_routes_need_no_token(client: TestClient) -> None:
    for path in ("/status", "/states", "/states/GTM", "/overdue", "/upcoming", "/declarations"):
        assert client.get(f"/api/v1{path}").status_code == 200, path


def test_protected_routes_refuse_missing_and_bad_tokens(client: TestClient) -> None:
    routes = [
        ("POST", "/api/v1/states/GTM/reports"),
        ("GET", "/api/v1/states/GTM/contacts"),
        ("GET", "/api/v1/contacts"),
        ("GET", "/api/v1/audit"),
    ]
    for method, path in routes:
        for headers in ({}, bearer("obl_not-a-real-token"), {"Authorization": "Basic abc"}):
            response = client.request(method, path, headers=headers, json={})
            assert response.status_code == 401, (method, path, headers)
            assert response.headers["www-authenticate"] == "Bearer"
            assert "token" in response.json()["detail"]


def test_focal_point_cannot_write_the_record_or_read_the_audit(
    client: TestClient, tokens: Tokens
) -> None:
    response = client.post(
        "/api/v1/states/GTM/reports",
        json={"numbers": [1, 1], "received": "2010-03-02"},
        headers=tokens.guatemala,
    )
    assert response.status_code == 403
    assert client.get("/api/v1/states/GTM/reports").json()["items"] == []
    assert client.get("/api/v1/audit", headers=tokens.guatemala).status_code == 403
    assert client.get("/api/v1/contacts", headers=tokens.guatemala).status_code == 403


def test_focal_point_keeps_its_own_contacts_and_nobody_elses(
    client: TestClient, tokens: Tokens
) -> None:
    created = client.post("/api/v1/states/GTM/contacts", json=CONTACT, headers=tokens.guatemala)
    assert created.status_code == 201, created.text
    contact = created.json()
    assert (contact["email"], contact["language"], contact["role"], contact["active"]) == (
        "ana.lopez@minex.gob.gt",
        "es",
        "primary",
        True,
    )
    path = f"/api/v1/states/GTM/contacts/{contact['id']}"
    changed = client.patch(path, json={"role": "copy"}, headers=tokens.guatemala)
    assert changed.status_code == 200 and changed.json()["role"] == "copy"

    # Mexico's focal point may neither see nor touch Guatemala's contacts.
    assert client.get("/api/v1/states/GTM/contacts", headers=tokens.mexico).status_code == 403
    assert client.patch(path, json={"active": False}, headers=tokens.mexico).status_code == 403
    assert client.delete(path, headers=tokens.mexico).status_code == 403
    # Nor reach them through its own State's path.
    mexico_path = f"/api/v1/states/MEX/contacts/{contact['id']}"
    assert client.delete(mexico_path, headers=tokens.mexico).status_code == 404

    # The public record never shows contact details.
    for public in ("/api/v1/states/GTM", "/api/v1/status", "/openapi.json"):
        assert "ana.lopez" not in client.get(public).text

    # The secretariat sees every contact, and the audit names who changed what.
    everyone = client.get("/api/v1/contacts", headers=tokens.secretariat).json()["items"]
    assert [c["email"] for c in everyone] == ["ana.lopez@minex.gob.gt"]
    audit = client.get("/api/v1/audit", headers=tokens.secretariat).json()["items"]
    assert audit[0]["operation"] == "update"
    assert "Guatemala MFA" in audit[0]["actor"]
    assert audit[0]["before"]["role"] == "primary" and audit[0]["after"]["role"] == "copy"

    assert client.delete(path, headers=tokens.guatemala).status_code == 204
    assert client.get("/api/v1/states/GTM/contacts", headers=tokens.guatemala).json() == {
        "items": []
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**CONTACT, "email": "not-an-address"}, "email"),
        ({**CONTACT, "name": "Ana\nBcc: everyone@example.org"}, "name"),
        ({**CONTACT, "email": "ana@minex.gob.gt\r\nBcc: x@example.org"}, "email"),
        ({**CONTACT, "language": "de"}, "language"),
        ({**CONTACT, "role": "boss"}, "role"),
    ],
)
def test_bad_contact_details_are_refused(
    client: TestClient, tokens: Tokens, body: dict[str, str], field: str
) -> None:
    response = client.post("/api/v1/states/GTM/contacts", json=body, headers=tokens.secretariat)
    assert response.status_code == 422, response.text
    assert field in str(response.json()["detail"])
    assert client.get("/api/v1/contacts", headers=tokens.secretariat).json()["items"] == []


def test_a_revoked_token_stops_working(
    client: TestClient, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    made = run_cli(
        capsys, database_url, "token", "create", "--role", "secretariat", "--name", "Temp", "--json"
    ).json()
    assert made["token"].startswith("obl_")
    headers = bearer(made["token"])
    assert client.get("/api/v1/audit", headers=headers).status_code == 200
    listed = run_cli(capsys, database_url, "token", "list")
    assert made["token"] not in listed.out  # shown once, stored hashed
    run_cli(capsys, database_url, "token", "revoke", str(made["id"]))
    assert client.get("/api/v1/audit", headers=headers).status_code == 401


def test_audit_log_is_paginated(client: TestClient, tokens: Tokens) -> None:
    for n in range(3):
        body = {**CONTACT, "email": f"person{n}@minex.gob.gt"}
        client.post("/api/v1/states/GTM/contacts", json=body, headers=tokens.secretariat)
    page = client.get(
        "/api/v1/audit", params={"limit": 2, "offset": 1}, headers=tokens.secretariat
    ).json()
    assert page["total"] == 3 and page["limit"] == 2 and page["offset"] == 1
    assert [e["after"]["email"] for e in page["items"]] == [
        "person1@minex.gob.gt",
        "person0@minex.gob.gt",
    ]
    bad = client.get("/api/v1/audit", params={"limit": 0}, headers=tokens.secretariat)
    assert bad.status_code == 422
