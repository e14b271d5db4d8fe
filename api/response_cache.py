"""Public pages and public API answers kept as sent, while the record's revision stays the same.

Only what every anonymous reader would be given alike is kept: a GET of a public page or of
the public API's as-at answers, by a client with no session at all (nobody signed in, no
notice, no CSRF token), answered 200, no cookie set and the session left empty. The key is
the record's revision, the day (answers default to as at today), the path and query (as-at
date, sort, view, region, format…) and what chooses the language: the cookies other than the
session's and Accept-Language. A page served from here gets a fresh CSP nonce, as a rendered
one does. Served before routing, a kept answer costs about what the trivial route does.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.revision_reader import RevisionReader
from obligations.inputs import today

SESSION_COOKIE = "obligations_session"
PUBLIC = re.compile(
    r"/(overdue|status|states(/[A-Za-z]{3})?)?"  # the pages
    r"|/api/v1/(status|states(/[A-Za-z]{3})?|overdue|upcoming|declarations)"  # the API's
    # The facts recorded for a State, as listed to anyone (the record's own rows).
    r"|/api/v1/states/[A-Za-z]{3}/"
    r"(actions|reports|reviews|decisions|loiprs|lists-of-issues|observations|follow-up)"
)
NONCE = re.compile(rb"'nonce-([A-Za-z0-9_-]+)'")


@dataclass(frozen=True)
class KeptAnswer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    # A page's CSP nonce, rendered into `body` and the header, replaced when served.
    nonce: bytes | None


class AnswerStore:
    """A bounded LRU of answers as sent, keyed by (revision, request): at most `size`
    answers and `budget` bytes of bodies, the least recently used dropped first."""

    def __init__(self, size: int = 512, budget: int = 64 * 2**20) -> None:
        self._size = size
        self._budget = budget
        self._bytes = 0
        self._lock = threading.Lock()
        self._answers: OrderedDict[Hashable, KeptAnswer] = OrderedDict()

    def get(self, key: Hashable) -> KeptAnswer | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, key: Hashable, answer: KeptAnswer) -> None:
        with self._lock:
            replaced = self._answers.pop(key, None)
            if replaced is not None:
                self._bytes -= len(replaced.body)
            self._answers[key] = answer
            self._bytes += len(answer.body)
            while len(self._answers) > self._size or self._bytes > self._budget:
                _, dropped = self._answers.popitem(last=False)
                self._bytes -= len(dropped.body)


def cookies_but_session(headers: Headers) -> tuple[tuple[str, str], ...] | None:
    """The request's cookies other than the session's, sorted (None: unreadable)."""
    raw = headers.get("cookie")
    if not raw:
        return ()
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except CookieError:
        return None
    return tuple(sorted((k, m.value) for k, m in jar.items() if k != SESSION_COOKIE))


def with_fresh_nonce(page: KeptAnswer) -> tuple[list[tuple[bytes, bytes]], bytes]:
    if page.nonce is None:
        return page.headers, page.body
    nonce = secrets.token_urlsafe(16).encode()
    body = page.body.replace(page.nonce, nonce)
    headers = []
    for name, value in page.headers:
        if name == b"content-length":
            value = str(len(body)).encode()
        elif name == b"content-security-policy":
            value = value.replace(page.nonce, nonce)
        headers.append((name, value))
    return headers, body


class ResponseCache:
    """ASGI middleware, placed inside the session middleware (it reads `scope["session"]`)."""

    def __init__(self, app: ASGIApp, size: int = 512) -> None:
        self.app = app
        self.store = AnswerStore(size)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or scope.get("session")  # signed in, a notice or a CSRF token: never shared
            or not PUBLIC.fullmatch(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookies = cookies_but_session(headers)
        revision = await self._revision(scope)
        if cookies is None or revision is None:
            await self.app(scope, receive, send)
            return
        key = (
            revision,
            today(),
            scope["path"],
            scope.get("query_string", b""),
            cookies,
            headers.get("accept-language", ""),
        )
        kept = self.store.get(key)
        # For the route, should it compute the answer: no need to read the revision again.
        scope.setdefault("state", {})["record_revision"] = revision
        if kept is not None:
            fresh_headers, body = with_fresh_nonce(kept)
            await send(
                {"type": "http.response.start", "status": kept.status, "headers": fresh_headers}
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self._render_and_keep(scope, receive, send, key)

    async def _revision(self, scope: Scope) -> int | None:
        state = scope["app"].state
        reader: RevisionReader | None = getattr(state, "revision_reader", None)
        if reader is None:  # an app not made by api.app.create_app: one on its engine
            reader = state.revision_reader = RevisionReader(state.session_factory.kw["bind"])
        return await reader.read()  # None: the page itself will say the database is down

    async def _render_and_keep(
        self, scope: Scope, receive: Receive, send: Send, key: Hashable
    ) -> None:
        start: Message | None = None
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, keep)
        if start is None or start["status"] != 200 or scope.get("session"):
            return
        response_headers = MutableHeaders(raw=list(start.get("headers", [])))
        if "set-cookie" in response_headers:
            return
        nonce = NONCE.search(response_headers.get("content-security-policy", "").encode())
        self.store.put(
            key,
            KeptAnswer(
                start["status"],
                list(response_headers.raw),
                b"".join(chunks),
                nonce.group(1) if nonce else None,
            ),
        )
