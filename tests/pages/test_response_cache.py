"""Public pages kept as rendered: never stale after a write, never one reader's page for another."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from api.response_cache import AnswerStore, KeptAnswer, ResponseCache
from obligations import recording
from obligations.db import session_factory, transaction
from tests.pages.conftest import SECRET, make_token, sign_in
from tests.pages.test_public_pages import text_of

NONCE = re.compile(r"'nonce-([^']+)'")


def report_row(page: str, number: int) -> str:
    found = re.search(rf"\b{number} (initial|periodic) [^\n]*", text_of(page))
    assert found, page
    return found.group(0)


def test_a_kept_page_shows_a_fact_recorded_after_it_was_rendered(
    pages: TestClient, engine: Engine
) -> None:
    query = {"as_of": "2010-06-30"}
    before = pages.get("/states/GTM", params=query).text
    assert pages.get("/states/GTM", params=query).text.count("CMW/C/GTM/1") == before.count(
        "CMW/C/GTM/1"
    )
    assert "CMW/C/GTM/1" not in report_row(before, 1)
    token = make_token(engine)
    written = pages.post(
        "/api/v1/states/GTM/reports",
        json={"numbers": [1, 1], "received": "2010-03-02", "symbol": "CMW/C/GTM/1"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert written.status_code == 201, written.text
    after = pages.get("/states/GTM", params=query).text
    assert "CMW/C/GTM/1" in report_row(after, 1)
    assert "received" in report_row(after, 1).lower()
    # The dashboard and the overdue list, kept before the write too, count one report fewer.
    assert pages.get("/overdue", params={**query, "view": "items"}).text != before


def test_each_as_at_date_and_sort_is_its_own_page(pages: TestClient) -> None:
    early = pages.get("/overdue", params={"as_of": "2005-01-01", "view": "items"}).text
    late = pages.get("/overdue", params={"as_of": "2020-01-01", "view": "items"}).text
    assert text_of(early) != text_of(late)
    assert "1 January 2005" in text_of(early) and "1 January 2020" in text_of(late)
    by_state = pages.get("/overdue", params={"as_of": "2020-01-01", "sort": "state"}).text
    by_days = pages.get("/overdue", params={"as_of": "2020-01-01", "sort": "days"}).text
    assert text_of(by_state) != text_of(by_days)
    # Asked again, each is the same page as the first time.
    again = pages.get("/overdue", params={"as_of": "2005-01-01", "view": "items"}).text
    assert NONCE.sub("", text_of(again)) == NONCE.sub("", text_of(early))


def test_every_answer_carries_a_fresh_nonce_matching_its_policy(pages: TestClient) -> None:
    nonces = set()
    for _ in range(3):
        response = pages.get("/status", params={"as_of": "2015-01-01"})
        header = NONCE.search(response.headers["content-security-policy"])
        assert header is not None
        assert f'nonce="{header.group(1)}"' in response.text
        assert int(response.headers["content-length"]) == len(response.content)
        nonces.add(header.group(1))
    assert len(nonces) == 3


def test_a_signed_in_page_is_never_shown_to_a_visitor_nor_the_reverse(
    pages: TestClient, engine: Engine
) -> None:
    visitor = TestClient(pages.app)
    assert "Sign in" in text_of(visitor.get("/states/MEX").text)
    sign_in(pages, make_token(engine))
    officer_page = pages.get("/states/MEX")
    assert "Signed in: Officer Amina Diallo" in text_of(officer_page.text)
    assert officer_page.headers["cache-control"] == "private, no-store"
    visitor_page = visitor.get("/states/MEX")
    assert "Signed in" not in text_of(visitor_page.text)
    assert "cache-control" not in visitor_page.headers


def language_app(engine: Engine) -> Starlette:
    """A page that answers in the reader's language, as the pages' i18n does."""
    renders: list[str] = []

    def page(request: Request) -> HTMLResponse:
        language = (
            request.query_params.get("lang")
            or request.cookies.get("lang")
            or request.headers.get("accept-language", "en")[:2]
        )
        renders.append(language)
        response = HTMLResponse(f'<p>{language} {len(renders)}</p><script nonce="abc"></script>')
        response.headers["Content-Security-Policy"] = "script-src 'nonce-abc'"
        return response

    app = Starlette(
        routes=[Route("/status", page)],
        middleware=[
            Middleware(SessionMiddleware, secret_key=SECRET, session_cookie="obligations_session"),
            Middleware(ResponseCache),
        ],
    )
    app.state.session_factory = session_factory(engine)
    app.state.renders = renders
    return app


def test_pages_are_kept_per_language_by_query_cookie_and_accept_language(engine: Engine) -> None:
    app = language_app(engine)
    with TestClient(app) as client:
        first = client.get("/status", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).text
        again = client.get("/status", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).text
        assert again.startswith("<p>fr 1</p>") and first.startswith("<p>fr 1</p>")
        assert "es" in client.get("/status", headers={"Accept-Language": "es"}).text
        assert "en" in client.get("/status", params={"lang": "en"}).text
        client.cookies.set("lang", "es")
        assert "es" in client.get("/status", headers={"Accept-Language": "fr"}).text
    # fr once (then kept), es by header, en by query, es by cookie: four renders.
    assert app.state.renders == ["fr", "es", "en", "es"]


def test_a_kept_api_answer_keeps_its_headers_and_follows_a_write(
    pages: TestClient, engine: Engine
) -> None:
    query = {"as_of": "2010-06-30", "format": "csv"}
    first = pages.get("/api/v1/overdue", params=query)
    again = pages.get("/api/v1/overdue", params=query)
    assert again.content == first.content
    assert again.headers["content-disposition"] == 'attachment; filename="overdue-2010-06-30.csv"'
    assert again.headers["content-type"] == "text/csv; charset=utf-8"
    written = pages.post(
        "/api/v1/states/GTM/reports",
        json={"numbers": [1, 1], "received": "2010-03-02", "symbol": "CMW/C/GTM/1"},
        headers={"Authorization": f"Bearer {make_token(engine)}"},
    )
    assert written.status_code == 201, written.text
    after = pages.get("/api/v1/overdue", params=query).text
    rows = [line.split(",") for line in after.splitlines()[1:]]
    assert [r[2] for r in rows if r[0] == "GTM"] == ["2"]
    before_rows = [line.split(",") for line in first.text.splitlines()[1:]]
    assert [r[2] for r in before_rows if r[0] == "GTM"] == ["1", "2"]


def test_the_store_keeps_within_its_count_and_bytes_dropping_the_least_used() -> None:
    store = AnswerStore(size=3, budget=250)

    def answer(size: int) -> KeptAnswer:
        return KeptAnswer(200, [], b"x" * size, None)

    for key in ("a", "b", "c"):
        store.put(key, answer(50))
    assert store.get("a") is not None  # now the most recently used
    store.put("d", answer(50))  # four answers: "b", the least used, goes
    assert [k for k in "abcd" if store.get(k)] == ["a", "c", "d"]
    store.put("e", answer(200))  # 350 bytes: the least used go until 250 or less remain
    assert [k for k in "acde" if store.get(k)] == ["d", "e"]
    store.put("e", answer(10))  # replacing an answer counts its new size only
    for key in ("f", "g"):
        store.put(key, answer(100))
    assert [k for k in "efg" if store.get(k)] == ["e", "f", "g"]


def test_a_kept_list_of_facts_follows_a_write_by_another_connection(
    pages: TestClient, engine: Engine
) -> None:
    """The facts recorded for a State are kept per revision, then read again after a write
    made outside the server (as the command line's), with every as-at query alike."""
    first = pages.get("/api/v1/states/GTM/reports")
    assert first.status_code == 200, first.text
    assert pages.get("/api/v1/states/GTM/reports", params={"as_of": "2001-01-01"}).content == (
        first.content
    )
    with transaction(session_factory(engine)) as session:
        recording.record_report(session, "GTM", (1, 1), date(2010, 3, 2), "CMW/C/GTM/1")
    after = pages.get("/api/v1/states/GTM/reports").json()["items"]
    assert [r["symbol"] for r in after] == [
        *(r["symbol"] for r in first.json()["items"]),
        "CMW/C/GTM/1",
    ]
    assert pages.get("/api/v1/states/XXX/reports").status_code == 404
