"""Signing in to the pages: the session's secret, who is signed in, and the CSRF token.

The session cookie (signed, HttpOnly, SameSite=Lax) holds only the id of the secretariat's
token it was opened with, the CSRF token and a one-time notice; a revoked token ends the
session at its next request.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import Request

from api.deps import Principal, reading
from api.pages.problems import PageProblem, SignInRequired
from obligations import models
from obligations.settings import Settings, default_data_dir
from obligations.tokens import Role

log = logging.getLogger(__name__)

SECRET_FILE = "session-secret"
CSRF_FIELD = "csrf_token"
SESSION_HOURS = 8


def session_secret(settings: Settings, data_dir: Path | None = None) -> str:
    """OBLIGATIONS_SESSION_SECRET, else one generated once and kept in the data directory.

    If that directory cannot be written, the secret lives as long as the process (sessions
    then end at a restart), and the log says so.
    """
    if settings.session_secret:
        return settings.session_secret
    path = (data_dir or default_data_dir()) / SECRET_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: two processes starting at once keep one secret between them.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            kept = path.read_text(encoding="utf-8").strip()
            if len(kept) >= 32:
                return kept
            raise OSError(f"{path} holds no usable secret") from None
        secret = secrets.token_urlsafe(48)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(secret + "\n")
        return secret
    except OSError as error:
        log.warning("session secret not kept (%s); sessions end when this process stops", error)
        return secrets.token_urlsafe(48)


def signed_in(request: Request) -> Principal | None:
    """The secretariat officer whose token opened this session, while that token is live."""
    if hasattr(request.state, "officer"):
        found: Principal | None = request.state.officer
        return found
    officer: Principal | None = None
    token_id = request.session.get("token_id")
    if isinstance(token_id, int):
        with reading(request) as session:
            row = session.get(models.ApiToken, token_id)
            if row is not None and row.revoked_at is None and row.role == Role.SECRETARIAT:
                officer = Principal.of(row)
    request.state.officer = officer
    return officer


def require_officer(request: Request) -> Principal:
    officer = signed_in(request)
    if officer is None:
        back_to = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(back_to)
    return officer


def open_session(request: Request, token_id: int) -> None:
    request.session.clear()
    request.session["token_id"] = token_id
    request.session["csrf"] = secrets.token_urlsafe(32)


def close_session(request: Request) -> None:
    request.session.clear()


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made when a page first shows a form."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, form: Mapping[str, Any]) -> None:
    expected = request.session.get("csrf")
    given = form.get(CSRF_FIELD)
    if (
        not isinstance(expected, str)
        or not isinstance(given, str)
        or not secrets.compare_digest(expected.encode(), given.encode())
    ):
        raise PageProblem(
            403,
            "This form could not be checked: its security token is missing or out of date "
            "(the page may be old, or cookies are blocked). Nothing was recorded. "
            "Open the page again and resubmit.",
            "Form expired",
        )


def safe_next(target: str | None) -> str:
    """Only a path on this site: never send a signed-in officer elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def notify(request: Request, text: str, kind: str = "success") -> None:
    """A notice shown once, on the next page (after a redirect)."""
    request.session["notice"] = {"kind": kind, "text": text}


def take_notice(request: Request) -> dict[str, str] | None:
    if "notice" not in request.session:
        return None
    notice = request.session.pop("notice")
    return notice if isinstance(notice, dict) else None
