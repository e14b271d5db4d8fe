"""Per-request plumbing: database sessions and who is asking."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from api.clients import client_of, throttle_of
from api.errors import Forbidden, Unauthorized
from obligations import models
from obligations.db import transaction
from obligations.inputs import parse_date
from obligations.tokens import Role, authenticate


def factory(request: Request) -> sessionmaker[Session]:
    result: sessionmaker[Session] = request.app.state.session_factory
    return result


@contextmanager
def reading(request: Request) -> Iterator[Session]:
    with factory(request)() as session:
        yield session


@contextmanager
def writing(request: Request) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any error."""
    with transaction(factory(request)) as session:
        yield session


# The largest id the database's integer columns hold (PostgreSQL's INTEGER).
MAX_ID = 2**31 - 1
RecordId = Annotated[int, Path(ge=1, le=MAX_ID, description="The record's id.")]

# Query parameters that are dates, wherever they appear: checked by the one shared rule.
DATE_PARAMETERS = ("as_of",)


async def query_dates(request: Request) -> None:
    """Every date in the query strictly YYYY-MM-DD within the tracker's range (else 422).

    Runs before a route reads its parameters, so `as_of=0` or a datetime never becomes a date.
    Async: it only parses, and a plain function would cost every request a worker thread.
    """
    for name in DATE_PARAMETERS:
        for value in request.query_params.getlist(name):
            if value.strip():
                parse_date(value, name)


@dataclass(frozen=True)
class Principal:
    token_id: int
    name: str
    role: Role
    state: str | None

    @classmethod
    def of(cls, token: models.ApiToken) -> Principal:
        return cls(token.id, token.name, Role(token.role), token.state_code)

    @property
    def actor(self) -> str:
        return f"token {self.token_id} ({self.name}, {self.role.value})"


# Documents the scheme in the OpenAPI schema; the answer to a missing token is ours (401).
bearer_scheme = HTTPBearer(auto_error=False, description="A token from `obligations token create`.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]


def principal(request: Request, credentials: Credentials) -> Principal:
    """Who the bearer token names; a client that keeps giving wrong tokens is held off (429)."""
    if credentials is None or not credentials.credentials.strip():
        raise Unauthorized("this route needs a bearer token (Authorization: Bearer …)")
    client = f"bearer {client_of(request)}"
    throttle = throttle_of(request)
    # Checked before the token, so a held-off client learns nothing, even from a good guess.
    throttle.check(client, "bearer tokens")
    with reading(request) as session:
        token = authenticate(session, credentials.credentials.strip())
        if token is None:
            throttle.failed(client)
            raise Unauthorized("the bearer token is unknown or revoked")
        return Principal.of(token)


def secretariat(who: Annotated[Principal, Depends(principal)]) -> Principal:
    if who.role is not Role.SECRETARIAT:
        raise Forbidden("only the secretariat may do this")
    return who


def contacts_of(code: str, who: Annotated[Principal, Depends(principal)]) -> Principal:
    """The secretariat, or the focal point of this very State."""
    if who.role is Role.SECRETARIAT or (who.state or "") == code.upper():
        return who
    raise Forbidden(f"this token may not see or change the contacts of {code.upper()}")


Secretariat = Annotated[Principal, Depends(secretariat)]
ContactsAccess = Annotated[Principal, Depends(contacts_of)]
