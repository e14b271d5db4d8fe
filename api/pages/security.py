"""Signing in to the pages: the session's secret, who is signed in, and the CSRF token.

The session cookie (signed, HttpOnly, SameSite=Lax, Secure over HTTPS) holds only a random
session id, the CSRF token and a one-time notice. The database keeps the session (a digest of
its id, the token that opened it, its end): signing out deletes it, and a revoked token ends
it at its next request.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import Request
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.clients import Proxies
from api.deps import Principal, reading, writing
from api.pages.problems import PageProblem, SignInRequired
from obligations.page_sessions import close_page_session, open_page_session, session_token
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


def session_holder(request: Request) -> Principal | None:
    """Whoever's token opened this session (secretariat or focal point), while it is live."""
    if hasattr(request.state, "holder"):
        found: Principal | None = request.state.holder
        return found
    holder: Principal | None = None
    session_id = request.session.get("sid")
    if isinstance(session_id, str):
        with reading(request) as session:
            row = session_token(session, session_id)
            if row is not None and row.revoked_at is None:
                holder = Principal.of(row)
    request.state.holder = holder
    return holder


def signed_in(request: Request) -> Principal | None:
    """The secretariat officer whose token opened this session, while that token is live."""
    holder = session_holder(request)
    return holder if holder is not None and holder.role is Role.SECRETARIAT else None


def focal_point(request: Request) -> Principal | None:
    """The focal point whose token opened this session: it sees its own State only."""
    holder = session_holder(request)
    return holder if holder is not None and holder.role is Role.FOCAL_POINT else None


def back_here(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def require_officer(request: Request) -> Principal:
    """The secretariat officer signed in; else to the sign-in page, or 403 for a focal point."""
    holder = session_holder(request)
    if holder is None:
        raise SignInRequired(back_here(request))
    if holder.role is not Role.SECRETARIAT:
        raise PageProblem(
            403,
            f"You are signed in as a focal point of {holder.state}: this page is the "
            "secretariat's. Your State's page, its messages and its contacts are at "
            f"/states/{holder.state}.",
        )
    return holder


def require_state_access(request: Request, code: str) -> Principal:
    """The secretariat, or the focal point of this very State (else 403 saying whose it is)."""
    holder = session_holder(request)
    if holder is None:
        raise SignInRequired(back_here(request))
    refuse_other_state(holder, code)
    return holder


def refuse_other_state(holder: Principal | None, code: str) -> None:
    """A focal point's sign-in opens its own State's pages and no other's."""
    if holder is not None and holder.role is Role.FOCAL_POINT and holder.state != code:
        raise PageProblem(
            403,
            f"You are signed in as a focal point of {holder.state}; this sign-in opens the "
            f"pages of {holder.state} only, not those of {code}. Sign out to read the public "
            "record of other States.",
        )


def open_session(request: Request, token_id: int) -> None:
    """A new session in the database and the cookie (a fresh id and CSRF token: no fixation)."""
    request.session.clear()
    with writing(request) as session:
        session_id = open_page_session(session, token_id, timedelta(hours=SESSION_HOURS))
    request.session["sid"] = session_id
    request.session["csrf"] = secrets.token_urlsafe(32)


def close_session(request: Request) -> None:
    """Ends the session in the database, so a copy of the cookie opens nothing either."""
    session_id = request.session.get("sid")
    if isinstance(session_id, str):
        with writing(request) as session:
            close_page_session(session, session_id)
    request.session.clear()
    request.state.holder = None


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


class SecureCookies:
    """Marks every cookie Secure when the client came over HTTPS (directly, or as a trusted
    proxy says in X-Forwarded-Proto), so the browser never sends it back in clear."""

    def __init__(self, app: ASGIApp, proxies: Proxies) -> None:
        self.app = app
        self.proxies = proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._over_https(scope):
            await self.app(scope, receive, send)
            return

        async def send_secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                cookies = headers.getlist("set-cookie")
                if cookies:
                    del headers["set-cookie"]
                    for cookie in cookies:
                        secure = "secure" in cookie.lower().replace(" ", "").split(";")
                        headers.append("set-cookie", cookie if secure else f"{cookie}; Secure")
            await send(message)

        await self.app(scope, receive, send_secure)

    def _over_https(self, scope: Scope) -> bool:
        client = scope.get("client")
        peer = client[0] if client else None
        proto = Headers(scope=scope).get("x-forwarded-proto")
        return self.proxies.scheme(peer, str(scope.get("scheme", "http")), proto) == "https"
