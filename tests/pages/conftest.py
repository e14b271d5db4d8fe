"""The pages on each database: a browser-like client, and one signed in as the secretariat."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from obligations.db import session_factory, transaction
from obligations.settings import Settings
from obligations.tokens import create_token

SECRET = "pages-test-secret-0123456789abcdef0123456789"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def make_token(
    engine: Engine,
    role: str = "secretariat",
    state: str | None = None,
    name: str = "Officer Amina Diallo",
) -> str:
    with transaction(session_factory(engine)) as session:
        _, clear = create_token(session, role, name, state)
    return clear


@pytest.fixture
def pages(database_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(session_secret=SECRET), database_url=database_url)
    with TestClient(app, follow_redirects=False) as client:
        yield client


def sign_in(client: TestClient, token: str) -> None:
    form = client.get("/signin")
    response = client.post(
        "/signin", data={"token": token, "csrf_token": csrf_of(form.text), "next": "/"}
    )
    assert response.status_code == 303, response.text


@pytest.fixture
def officer(pages: TestClient, engine: Engine) -> TestClient:
    """The client, signed in with a secretariat token."""
    sign_in(pages, make_token(engine))
    return pages
