"""The secretariat's writes: each kind of fact, each error class, and nothing written on refusal."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Tokens

GTM_REPORT = {"numbers": [1, 1], "received": "2010-03-02", "symbol": "CMW/C/GTM/1"}


def overdue_numbers(client: TestClient, code: str, as_of: str) -> list[int]:
    items = client.get("/api/v1/overdue", params={"as_of": as_of}).json()["items"]
    return [i["number"] for i in items if i["code"] == code]


def audit_total(client: TestClient, tokens: Tokens) -> int:
    response = client.get("/api/v1/audit", headers=tokens.secretariat)
    assert response.status_code == 200
    total: int = response.json()["total"]
    return total


def test_recording_a_report_discharges_it_in_the_public_record(
    client: TestClient, tokens: Tokens
) -> None:
    assert overdue_numbers(client, "GTM", "2010-06-30") == [1, 2]
    response = client.post(
        "/api/v1/states/GTM/reports", json=GTM_REPORT, headers=tokens.secretariat
    )
    assert response.status_code == 201
    created = response.json()
    assert created["numbers"] == [1, 1]
    assert created["symbol"] == "CMW/C/GTM/1"
    assert created["procedure"] == "standard"
    assert overdue_numbers(client, "GTM", "2010-06-30") == [2]
    dossier = client.get("/api/v1/states/GTM", params={"as_of": "2010-06-30"}).json()
    first = dossier["reports"][0]
    assert (first["status"], first["received"], first["symbol"]) == (
        "received",
        "2010-03-02",
        "CMW/C/GTM/1",
    )
    listed = client.get("/api/v1/states/GTM/reports").json()["items"]
    assert [r["id"] for r in listed] == [created["id"]]


def test_each_kind_of_fact_is_created_corrected_and_deleted(
    client: TestClient, tokens: Tokens
) -> None:
    bodies: dict[str, dict[str, Any]] = {
        "actions": {"action": "declaration", "date": "2020-05-04", "articles": [77]},
        "reports": GTM_REPORT,
        "reviews": {"numbers": [1, 1], "session": 13, "date": "2011-09-13"},
        "decisions": {"report": 2, "due": "2012-04-30", "decided": "2011-09-20"},
    }
    patches: dict[str, dict[str, Any]] = {
        "actions": {"source": "C.N.123.2020.TREATIES-IV.13"},
        "reports": {"procedure": "simplified"},
        "reviews": {"symbol": "CMW/C/GTM/CO/1"},
        "decisions": {"due": "2012-05-31"},
    }
    for path, body in bodies.items():
        created = client.post(f"/api/v1/states/GTM/{path}", json=body, headers=tokens.secretariat)
        assert created.status_code == 201, (path, created.text)
        fact_id = created.json()["id"]
        changed = client.patch(
            f"/api/v1/states/GTM/{path}/{fact_id}", json=patches[path], headers=tokens.secretariat
        )
        assert changed.status_code == 200, (path, changed.text)
        for field, value in patches[path].items():
            assert changed.json()[field] == value
    # The decision moved report 2 to 31 May 2012: the dossier shows it with its basis.
    dossier = client.get("/api/v1/states/GTM", params={"as_of": "2012-01-01"}).json()
    second = next(r for r in dossier["reports"] if r["number"] == 2)
    assert second["due"] == "2012-05-31"
    assert "Committee" in second["basis"]
    later = client.get("/api/v1/states/GTM", params={"as_of": "2021-01-01"}).json()
    assert later["declarations"]["77"]["in_effect"] is True
    for path in reversed(list(bodies)):
        fact_id = client.get(f"/api/v1/states/GTM/{path}").json()["items"][-1]["id"]
        gone = client.delete(f"/api/v1/states/GTM/{path}/{fact_id}", headers=tokens.secretariat)
        assert gone.status_code == 204
        again = client.delete(f"/api/v1/states/GTM/{path}/{fact_id}", headers=tokens.secretariat)
        assert again.status_code == 404
    operations = [
        (e["operation"], e["entity"])
        for e in client.get("/api/v1/audit", headers=tokens.secretariat).json()["items"]
    ]
    assert operations[:4] == [
        ("delete", "action"),
        ("delete", "report"),
        ("delete", "review"),
        ("delete", "decision"),
    ]
    assert operations.count(("update", "report")) == 1


@pytest.mark.parametrize(
    ("path", "body", "status", "words"),
    [
        # 409: conflicts with the record
        (
            "/api/v1/states/GTM/actions",
            {"action": "ratification", "date": "2020-01-01"},
            409,
            "already a party",
        ),
        (
            "/api/v1/states/USA/actions",
            {"action": "declaration", "date": "2020-01-01", "articles": [76]},
            409,
            "not a State party",
        ),
        (
            "/api/v1/states/GTM/actions",
            {"action": "withdrawal", "date": "2020-01-01", "articles": [76]},
            409,
            "no article 76 declaration",
        ),
        (
            "/api/v1/states/GTM/actions",
            {"action": "ratification", "date": "2003-03-14"},
            409,
            "already",
        ),
        # 404: unknown State
        ("/api/v1/states/ZZZ/reports", GTM_REPORT, 404, "ZZZ"),
        # 422: malformed or impossible input
        ("/api/v1/states/GTM/reports", {**GTM_REPORT, "received": "2010-02-30"}, 422, "date"),
        ("/api/v1/states/GTM/reports", {**GTM_REPORT, "received": "2999-01-01"}, 422, "future"),
        ("/api/v1/states/GTM/reports", {**GTM_REPORT, "numbers": [2, 1]}, 422, "reversed"),
        ("/api/v1/states/GTM/reports", {**GTM_REPORT, "symbol": "CMW/C/SLV/1"}, 422, "GTM"),
        (
            "/api/v1/states/GTM/reports",
            {**GTM_REPORT, "received": "2003-01-01"},
            409,
            "before the Convention bound",
        ),
        (
            "/api/v1/states/GTM/actions",
            {"action": "signature", "date": "1990-01-01"},
            422,
            "1990-12-18",
        ),
        ("/api/v1/states/GTM/reports", {**GTM_REPORT, "colour": "red"}, 422, "colour"),
        (
            "/api/v1/states/GTM/decisions",
            {"report": 0, "due": "2012-01-01", "decided": "2011-01-01"},
            422,
            "report",
        ),
    ],
)
def test_refused_writes_say_why_and_write_nothing(
    client: TestClient, tokens: Tokens, path: str, body: dict[str, Any], status: int, words: str
) -> None:
    before = audit_total(client, tokens)
    listed_before = client.get(path.replace("ZZZ", "GTM")).json()
    response = client.post(path, json=body, headers=tokens.secretariat)
    assert response.status_code == status, response.text
    assert words.lower() in response.text.lower()
    assert audit_total(client, tokens) == before
    assert client.get(path.replace("ZZZ", "GTM")).json() == listed_before


def test_a_second_report_covering_the_same_number_is_a_conflict(
    client: TestClient, tokens: Tokens
) -> None:
    assert (
        client.post(
            "/api/v1/states/GTM/reports", json=GTM_REPORT, headers=tokens.secretariat
        ).status_code
        == 201
    )
    again = client.post(
        "/api/v1/states/GTM/reports",
        json={"numbers": [1, 2], "received": "2014-01-01"},
        headers=tokens.secretariat,
    )
    assert again.status_code == 409
    assert "report 1 was already received on 2010-03-02" in again.json()["detail"]


def test_malformed_input_gets_field_level_messages(client: TestClient, tokens: Tokens) -> None:
    response = client.post(
        "/api/v1/states/GTM/reports",
        json={"numbers": "one", "received": "yesterday"},
        headers=tokens.secretariat,
    )
    assert response.status_code == 422
    fields = {tuple(d["loc"])[-1] for d in response.json()["detail"]}
    assert {"numbers", "received"} <= fields


def test_unknown_id_and_id_of_another_state_are_not_found(
    client: TestClient, tokens: Tokens
) -> None:
    created = client.post(
        "/api/v1/states/GTM/reports", json=GTM_REPORT, headers=tokens.secretariat
    ).json()
    for path in (f"/api/v1/states/MEX/reports/{created['id']}", "/api/v1/states/GTM/reports/9999"):
        response = client.patch(path, json={"symbol": None}, headers=tokens.secretariat)
        assert response.status_code == 404, path


def test_a_correction_that_breaks_the_record_is_refused(client: TestClient, tokens: Tokens) -> None:
    created = client.post(
        "/api/v1/states/GTM/reports", json=GTM_REPORT, headers=tokens.secretariat
    ).json()
    response = client.patch(
        f"/api/v1/states/GTM/reports/{created['id']}",
        json={"received": "2002-01-01"},
        headers=tokens.secretariat,
    )
    assert response.status_code == 409
    assert "before the Convention bound" in response.json()["detail"]
    after = client.get("/api/v1/states/GTM/reports").json()["items"][0]
    assert after["received"] == "2010-03-02"
