"""The API app on each database, and tokens for each role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from obligations.db import make_engine, session_factory, transaction
from obligations.tokens import create_token


@dataclass(frozen=True)
class Tokens:
    secretariat: dict[str, str]
    guatemala: dict[str, str]
    mexico: dict[str, str]


def bearer(clear: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {clear}"}


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(database_url=database_url)) as test_client:
        yield test_client


@pytest.fixture
def tokens(database_url: str) -> Tokens:
    engine = make_engine(database_url)
    with transaction(session_factory(engine)) as session:
        _, secretariat = create_token(session, "secretariat", "CMW secretariat")
        _, guatemala = create_token(session, "focal-point", "Guatemala MFA", "GTM")
        _, mexico = create_token(session, "focal-point", "Mexico SRE", "MEX")
    engine.dispose()
    return Tokens(bearer(secretariat), bearer(guatemala), bearer(mexico))
