"""Operations: /healthz (the process), /readyz (database reachable, schema at the newest
migration), /metrics (Prometheus text, one series per route template)."""

from __future__ import annotations

import os

from fastapi.testclient import TestClient
from sqlalchemy import text

from api.app import create_app
from obligations.db import make_engine


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "up", "pid": os.getpid()}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": "reachable", "migration": "0005"}


def test_not_ready_while_the_schema_is_behind(client: TestClient, database_url: str) -> None:
    engine = make_engine(database_url)

    def set_version(revision: str) -> None:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})

    set_version("0003")
    try:
        answer = client.get("/readyz")
    finally:
        # The PostgreSQL schema is shared by the whole run: put the version back.
        set_version("0005")
        engine.dispose()
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "30"
    assert answer.json()["detail"] == (
        "the schema is at migration 0003, not 0005: run `obligations init`"
    )
    assert client.get("/healthz").status_code == 200


def test_not_ready_when_the_database_cannot_be_reached() -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:1/none"
    with TestClient(create_app(database_url=url)) as client:
        assert client.get("/healthz").status_code == 200
        answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["detail"].startswith("the database cannot be used: ")


def test_metrics_count_requests_by_route_template(client: TestClient) -> None:
    for code in ("GTM", "MEX", "SEN"):
        assert client.get(f"/api/v1/states/{code}").status_code == 200
    assert client.get("/api/v1/states/XXX").status_code == 404
    exposition = client.get("/metrics")
    assert exposition.headers["content-type"].startswith("text/plain; version=0.0.4")
    lines = exposition.text.splitlines()
    route = 'method="GET",route="/api/v1/states/{code}"'
    assert f'obligations_requests_total{{{route},status="200"}} 3' in lines
    assert f'obligations_requests_total{{{route},status="404"}} 1' in lines
    assert f"obligations_request_duration_seconds_count{{{route}}} 4" in lines
    assert f'obligations_request_duration_seconds_bucket{{{route},le="+Inf"}} 4' in lines
    assert not any("GTM" in line for line in lines)
