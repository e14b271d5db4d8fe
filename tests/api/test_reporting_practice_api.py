"""The reporting practice through the API: LOIPRs, lists of issues, concluding observations
and follow-up are recorded (201), refused with a reason (404/409/422, nothing written),
audited, and shown in the dossier, the overdue list and its CSV with their `verified` mark."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.api.conftest import Tokens

CO = {
    "number": 1,
    "symbol": "CMW/C/ZWE/CO/1",
    "adopted": "2026-04-10",
    "next_numbers": [2],
    "next_due_mode": "review_calendar",
    "source": "test",
}


def test_each_new_fact_is_recorded_listed_and_shown(client: TestClient, tokens: Tokens) -> None:
    posted = client.post(
        "/api/v1/states/ZWE/loiprs",
        json={"report": 1, "symbol": "CMW/C/ZWE/QPR/1", "transmitted": "2025-10",
              "deadline": "2026-10-01"},
        headers=tokens.secretariat,
    )  # fmt: skip
    assert posted.status_code == 201, posted.text
    assert posted.json()["transmitted"] == "2025-10"
    dossier = client.get("/api/v1/states/ZWE", params={"as_of": "2026-11-01"}).json()
    (initial,) = [r for r in dossier["reports"] if r["number"] == 1]
    assert (initial["due"], initial["basis"], initial["status"]) == (
        "2026-10-01",
        "CMW/C/ZWE/QPR/1",
        "overdue",
    )
    # Zimbabwe's history is not researched: the item is marked, in JSON and in the CSV.
    assert initial["verified"] is False
    overdue = client.get("/api/v1/overdue", params={"as_of": "2026-11-01"}).json()["items"]
    assert {"code": "ZWE", "kind": "initial", "verified": False}.items() <= next(
        i for i in overdue if i["code"] == "ZWE"
    ).items()
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get("/api/v1/overdue", params={"as_of": "2026-11-01", "format": "csv"}).text
            )
        )
    )
    (zimbabwe,) = [r for r in rows if r["code"] == "ZWE"]
    assert (zimbabwe["region"], zimbabwe["verified"]) == ("AFR", "False")

    co = client.post("/api/v1/states/ZWE/observations", json=CO, headers=tokens.secretariat)
    assert co.status_code == 201, co.text
    assert co.json()["follow_up_due"] == "2028-04-10"
    later = client.get("/api/v1/states/ZWE", params={"as_of": "2026-11-01"}).json()
    assert [r["status"] for r in later["reports"] if r["number"] == 2] == ["date_to_be_set"]
    assert later["concluding_observations"][0]["next_due_mode"] == "review_calendar"
    assert later["follow_up"][0]["due"] == "2028-04-10"

    listed = client.get("/api/v1/states/ZWE/observations").json()["items"]
    assert [x["symbol"] for x in listed] == ["CMW/C/ZWE/CO/1"]
    audit = client.get("/api/v1/audit", params={"state": "ZWE"}, headers=tokens.secretariat)
    assert [e["entity"] for e in audit.json()["items"]][:2] == ["observations", "loipr"]


def test_refusals_name_the_problem_and_write_nothing(client: TestClient, tokens: Tokens) -> None:
    before = client.get("/api/v1/states/ZWE/observations").json()["items"]
    cases = [
        ("FRA", {**CO, "symbol": "CMW/C/FRA/CO/1"}, 409, "before the Convention bound"),
        ("ZWE", {**CO, "symbol": "CMW/C/MEX/CO/1"}, 422, "names MEX, not ZWE"),
        ("ZWE", {**CO, "adopted": "2024-01-01"}, 409, "before the Convention bound"),
        ("ZWE", {**CO, "adopted": "2026-13"}, 422, "adopted"),
        ("XXX", CO, 404, "unknown State code"),
    ]
    for code, body, status, words in cases:
        response = client.post(
            f"/api/v1/states/{code}/observations", json=body, headers=tokens.secretariat
        )
        assert response.status_code == status, (body, response.text)
        assert words in response.text
    follow = client.post(
        "/api/v1/states/ZWE/follow-up",
        json={"number": 1, "received": "2026-05-01"},
        headers=tokens.secretariat,
    )
    assert follow.status_code == 409
    assert follow.json()["detail"] == "ZWE: no concluding observations number 1 on record"
    assert client.get("/api/v1/states/ZWE/observations").json()["items"] == before
    # A focal point's token may not record the Committee's facts.
    refused = client.post("/api/v1/states/GTM/observations", json=CO, headers=tokens.guatemala)
    assert refused.status_code == 403
