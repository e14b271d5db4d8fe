"""A State whose stored facts cannot all be true (left by an older version or hand SQL)
degrades its own answers only: every route still answers for everyone else, the State is
shown with its problem, and a deletion through the API mends it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text

from obligations.db import make_engine
from tests.api.conftest import Tokens

ROUTES = [
    "/api/v1/status",
    "/api/v1/states",
    "/api/v1/overdue",
    "/api/v1/overdue?format=csv",
    "/api/v1/upcoming",
    "/api/v1/declarations",
    "/",
    "/overdue",
    "/status",
    "/status.txt",
    "/calendar.ics",
    "/states/KHM",
]


def test_one_impossible_state_does_not_stop_the_service(
    client: TestClient, tokens: Tokens, database_url: str
) -> None:
    engine = make_engine(database_url)
    with engine.begin() as connection:
        for day in ("2024-01-10", "2024-01-11", "2024-01-12"):
            connection.execute(
                text(
                    "INSERT INTO depositary_actions (state_code, action, date, articles, source, "
                    "date_precision) VALUES ('KHM', 'ratification', :day, '', 'x', 'day')"
                ),
                {"day": day},
            )
        connection.execute(text("UPDATE record_revision SET value = value + 1"))
        ids = [
            row[0]
            for row in connection.execute(
                text(
                    "SELECT id FROM depositary_actions WHERE state_code = 'KHM' "
                    "AND action = 'ratification' ORDER BY id"
                )
            )
        ]
    engine.dispose()

    for route in ROUTES:
        assert client.get(route).status_code == 200, route
    dossier = client.get("/api/v1/states/KHM").json()
    assert "already a party" in dossier["problem"]
    assert "cannot all be true" in client.get("/states/KHM").text

    # A deletion is allowed while the record is impossible: two of the three go.
    for fact_id in ids[1:]:
        deleted = client.delete(f"/api/v1/states/KHM/actions/{fact_id}", headers=tokens.secretariat)
        assert deleted.status_code == 204, deleted.text
    assert client.get("/api/v1/states/KHM").json()["problem"] is None
    assert client.get("/api/v1/states/KHM").json()["party"] is True
