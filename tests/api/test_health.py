"""Operations: /healthz (the process), /readyz (database reachable, schema at the newest
migration), /metrics (Prometheus text, one series per route template)."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text

from api.app import create_app
from api.health import RequestMetrics
from api.metrics_files import INITIAL_BYTES, ValuesFile, read_values
from obligations.db import make_engine


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "up", "pid": os.getpid()}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": "reachable", "migration": "0006"}


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
        set_version("0006")
        engine.dispose()
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "30"
    assert answer.json()["detail"] == (
        "the schema is at migration 0003, not 0006: run `obligations init`"
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


def test_metrics_sum_the_values_files_of_every_worker(tmp_path: Path) -> None:
    """Two processes' counts in one folder, as `serve --workers 2` leaves them: either sums."""
    shared, elsewhere = tmp_path / "shared", tmp_path / "elsewhere"
    shared.mkdir()
    elsewhere.mkdir()
    other = RequestMetrics(elsewhere)
    # The other worker's file, under another pid: a renamed file stays the same mapping.
    (elsewhere / f"{os.getpid()}.values").rename(shared / "1.values")
    here = RequestMetrics(shared)
    here.observe("GET", "/healthz", 200, 0.001)
    for _ in range(3):
        other.observe("GET", "/healthz", 200, 0.2)
    other.observe("GET", "/api/v1/states/{code}", 404, 0.01)
    lines = here.exposition().splitlines()
    healthz = 'method="GET",route="/healthz"'
    assert "obligations_metrics_processes 2" in lines
    assert f'obligations_requests_total{{{healthz},status="200"}} 4' in lines
    assert f'obligations_request_duration_seconds_bucket{{{healthz},le="0.005"}} 1' in lines
    assert f'obligations_request_duration_seconds_bucket{{{healthz},le="0.25"}} 4' in lines
    assert f"obligations_request_duration_seconds_sum{{{healthz}}} 0.601000" in lines
    states = 'method="GET",route="/api/v1/states/{code}"'
    assert f'obligations_requests_total{{{states},status="404"}} 1' in lines
    assert f"obligations_request_duration_seconds_count{{{states}}} 1" in lines


def test_a_values_file_grows_past_its_first_size(tmp_path: Path) -> None:
    values = ValuesFile(tmp_path)
    keys = [("c", "GET", f"/route/{n}", 200) for n in range(5000)]  # far more than 64 KiB
    for n, key in enumerate(keys):
        values.set(key, n)
    values.set(keys[0], 7)
    assert values.path.stat().st_size > INITIAL_BYTES
    read = {tuple(key): value for key, value in read_values(values.path)}
    assert len(read) == 5000
    assert read[keys[0]] == 7 and read[keys[4999]] == 4999
