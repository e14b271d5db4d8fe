"""The sequence rules through the API: 409 with the reason and nothing written, or 201 with
the reason kept when `out_of_sequence` says why."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import Tokens


def test_a_report_out_of_sequence_needs_its_reason(client: TestClient, tokens: Tokens) -> None:
    # Zimbabwe is bound from 1 March 2025 and has no report on record.
    body = {"numbers": [2, 2], "received": "2026-06-01", "symbol": "CMW/C/ZWE/2"}
    refused = client.post("/api/v1/states/ZWE/reports", json=body, headers=tokens.secretariat)
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith(
        "ZWE: report 2 received on 2026-06-01 is beyond the next one due: report 1 was "
        "neither received nor reviewed by then"
    )
    assert client.get("/api/v1/states/ZWE/reports").json()["items"] == []
    reason = "the State numbered its first report 2"
    posted = client.post(
        "/api/v1/states/ZWE/reports",
        json={**body, "out_of_sequence": reason},
        headers=tokens.secretariat,
    )
    assert posted.status_code == 201, posted.text
    assert posted.json()["out_of_sequence"] == reason
    dossier = client.get("/api/v1/states/ZWE", params={"as_of": "2026-11-25"}).json()
    (second,) = [r for r in dossier["reports"] if r["number"] == 2]
    assert (second["status"], second["out_of_sequence"]) == ("received", reason)


def test_a_review_of_a_report_never_received_is_refused(client: TestClient, tokens: Tokens) -> None:
    body = {"numbers": [1, 1], "session": 44, "date": "2026-04-01"}
    refused = client.post("/api/v1/states/ZWE/reviews", json=body, headers=tokens.secretariat)
    assert refused.status_code == 409
    assert "never received by then" in refused.json()["detail"]
    absent = client.post(
        "/api/v1/states/ZWE/reviews",
        json={**body, "without_report": True},
        headers=tokens.secretariat,
    )
    assert absent.status_code == 201, absent.text
    assert absent.json()["out_of_sequence"] is None
