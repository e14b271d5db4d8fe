"""The public record over HTTP: same shapes as the CLI's --json, no token needed."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from tests.obligations.cli_runner import run_cli


def test_status_has_the_cli_shape(
    client: TestClient, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    response = client.get("/api/v1/status", params={"as_of": "2023-12-31"})
    assert response.status_code == 200
    assert (
        response.json()
        == run_cli(capsys, database_url, "status", "--as-of", "2023-12-31", "--json").json()
    )
    assert response.json()["entry_into_force"] == "2003-07-01"


def test_state_dossier_matches_the_cli(
    client: TestClient, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    response = client.get("/api/v1/states/gtm", params={"as_of": "2012-01-01"})
    assert response.status_code == 200
    assert (
        response.json()
        == run_cli(capsys, database_url, "state", "GTM", "--as-of", "2012-01-01", "--json").json()
    )


def test_states_filter_by_party_and_region(client: TestClient) -> None:
    every = client.get("/api/v1/states", params={"as_of": "2023-12-31"}).json()["items"]
    assert len(every) == 195
    parties = client.get("/api/v1/states", params={"as_of": "2023-12-31", "party": "true"}).json()[
        "items"
    ]
    assert len(parties) == 59
    latin = client.get(
        "/api/v1/states", params={"as_of": "2023-12-31", "party": "true", "region": "grulac"}
    ).json()["items"]
    assert latin and all(s["regional_group"] == "GRULAC" for s in latin)
    assert {"GTM", "SLV", "MEX"} <= {s["code"] for s in latin}


def test_overdue_json_and_csv(client: TestClient) -> None:
    data = client.get("/api/v1/overdue", params={"as_of": "2023-12-31"}).json()
    assert data["as_of"] == "2023-12-31"
    assert data["items"]
    response = client.get("/api/v1/overdue", params={"as_of": "2023-12-31", "format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == len(data["items"])
    assert rows[0]["code"] == data["items"][0]["code"]
    assert rows[0]["days_overdue"] == str(data["items"][0]["days_overdue"])
    africa = client.get("/api/v1/overdue", params={"as_of": "2023-12-31", "region": "AFR"})
    assert {i["code"] for i in africa.json()["items"]} < {i["code"] for i in data["items"]}


def test_upcoming_and_declarations(client: TestClient) -> None:
    soon = client.get("/api/v1/upcoming", params={"as_of": "2004-06-01", "within": 30}).json()
    assert ("GTM", 1) in {(i["code"], i["number"]) for i in soon["items"]}
    declarations = client.get("/api/v1/declarations", params={"as_of": "2023-12-31"}).json()
    assert declarations["declarations"]["77"]["states"] == ["ECU", "MEX", "SLV"]
    assert "GTM" in declarations["parties_not_declared"]["77"]
    assert "MEX" not in declarations["parties_not_declared"]["77"]


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/api/v1/states/XYZ", {}, 404),
        ("/api/v1/states/12", {}, 422),
        ("/api/v1/status", {"as_of": "2023-02-30"}, 422),
        ("/api/v1/overdue", {"format": "xml"}, 422),
        ("/api/v1/overdue", {"region": "MARS"}, 422),
        ("/api/v1/upcoming", {"within": -1}, 422),
    ],
)
def test_bad_queries_get_clear_errors(
    client: TestClient, path: str, params: dict[str, str], status: int
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    assert response.json()["detail"]


def test_openapi_and_docs_are_served(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/v1/overdue" in schema["paths"]
    assert client.get("/docs").status_code == 200
