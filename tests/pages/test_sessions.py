"""Sessions: Secure over HTTPS (and behind a trusted proxy only), ended server-side at sign-out;
sign-in and bearer failures throttled per client."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from api.app import create_app
from api.clients import FAILURES_PER_WINDOW, Proxies, Throttle
from obligations.db import session_factory
from obligations.page_sessions import PageSession
from obligations.settings import Settings
from tests.pages.conftest import SECRET, csrf_of, make_token, sign_in

PROXY = "10.1.2.3"


def client_from(
    database_url: str, address: str, base_url: str = "http://testserver", **settings: str
) -> TestClient:
    app = create_app(Settings(session_secret=SECRET, **settings), database_url=database_url)
    return TestClient(app, base_url=base_url, follow_redirects=False, client=(address, 40000))


@pytest.fixture
def behind_proxy(database_url: str) -> Iterator[TestClient]:
    with client_from(database_url, PROXY, trusted_proxies="10.0.0.0/8") as client:
        yield client


def session_cookie(response: object) -> str:
    headers = response.headers  # type: ignore[attr-defined]
    cookies = [c for c in headers.get_list("set-cookie") if c.startswith("obligations_session=")]
    assert cookies, "no session cookie was set"
    return str(cookies[-1])


def test_the_cookie_is_secure_over_https(database_url: str) -> None:
    with client_from(database_url, "192.0.2.7", base_url="https://testserver") as client:
        cookie = session_cookie(client.get("/signin"))
    assert "; Secure" in cookie and "httponly" in cookie.lower()


def test_the_cookie_is_not_secure_over_plain_http(database_url: str) -> None:
    with client_from(database_url, "192.0.2.7") as client:
        assert "secure" not in session_cookie(client.get("/signin")).lower()


def test_a_trusted_proxy_saying_https_makes_the_cookie_secure(behind_proxy: TestClient) -> None:
    response = behind_proxy.get("/signin", headers={"X-Forwarded-Proto": "https"})
    assert "; Secure" in session_cookie(response)


def test_an_untrusted_client_cannot_claim_https_or_another_address(database_url: str) -> None:
    with client_from(database_url, "192.0.2.7", trusted_proxies="10.0.0.0/8") as client:
        response = client.get("/signin", headers={"X-Forwarded-Proto": "https"})
        assert "secure" not in session_cookie(response).lower()


def test_signing_out_ends_the_session_for_a_copied_cookie_too(
    pages: TestClient, engine: Engine, database_url: str
) -> None:
    sign_in(pages, make_token(engine))
    copied = pages.cookies.get("obligations_session")
    assert pages.get("/audit").status_code == 200
    form = pages.get("/audit")
    assert pages.post("/signout", data={"csrf_token": csrf_of(form.text)}).status_code == 303
    assert pages.get("/audit").status_code == 303  # to /signin
    with client_from(database_url, "192.0.2.8") as thief:
        thief.cookies.set("obligations_session", copied)
        answer = thief.get("/audit")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/signin")
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(PageSession)) == 0


def test_a_signed_in_cookie_works_from_another_client_until_sign_out(
    pages: TestClient, engine: Engine, database_url: str
) -> None:
    """The session lives in the database: every process (here, a second app) knows it."""
    sign_in(pages, make_token(engine))
    with client_from(database_url, "192.0.2.8") as other:
        other.cookies.set("obligations_session", pages.cookies.get("obligations_session"))
        assert other.get("/audit").status_code == 200


def test_wrong_tokens_at_sign_in_are_throttled_per_client(
    behind_proxy: TestClient, engine: Engine
) -> None:
    good = make_token(engine)
    form = behind_proxy.get("/signin")
    csrf = csrf_of(form.text)
    attacker = {"X-Forwarded-For": "203.0.113.9"}
    for _ in range(FAILURES_PER_WINDOW):
        wrong = behind_proxy.post(
            "/signin", data={"token": "obl_wrong", "csrf_token": csrf}, headers=attacker
        )
        assert wrong.status_code == 401
    held = behind_proxy.post("/signin", data={"token": good, "csrf_token": csrf}, headers=attacker)
    assert held.status_code == 429
    assert 1 <= int(held.headers["Retry-After"]) <= 60
    assert "too many failed sign-ins" in held.text.lower()
    # Another client behind the same proxy is not held off.
    other = behind_proxy.post(
        "/signin",
        data={"token": good, "csrf_token": csrf},
        headers={"X-Forwarded-For": "198.51.100.4"},
    )
    assert other.status_code == 303


def test_wrong_bearer_tokens_are_throttled_per_client(database_url: str, engine: Engine) -> None:
    good = {"Authorization": f"Bearer {make_token(engine)}"}
    wrong = {"Authorization": "Bearer obl_not-a-token"}
    with client_from(database_url, "203.0.113.10") as attacker:
        for _ in range(FAILURES_PER_WINDOW):
            assert attacker.get("/api/v1/contacts", headers=wrong).status_code == 401
        held = attacker.get("/api/v1/contacts", headers=good)
        assert held.status_code == 429
        assert 1 <= int(held.headers["Retry-After"]) <= 60
        assert "too many failed bearer tokens" in held.json()["detail"]
    with client_from(database_url, "203.0.113.11") as someone_else:
        assert someone_else.get("/api/v1/contacts", headers=good).status_code == 200


def test_a_missing_token_is_not_counted_as_a_guess(database_url: str, engine: Engine) -> None:
    good = {"Authorization": f"Bearer {make_token(engine)}"}
    with client_from(database_url, "203.0.113.12") as client:
        for _ in range(FAILURES_PER_WINDOW + 5):
            assert client.get("/api/v1/contacts").status_code == 401
        assert client.get("/api/v1/contacts", headers=good).status_code == 200


def test_the_throttle_lets_a_client_in_again_after_the_window() -> None:
    throttle = Throttle(limit=2, window=0.5)
    throttle.failed("x")
    throttle.failed("x")
    with pytest.raises(Exception, match="try again in 1 seconds"):
        throttle.check("x", "attempts")
    time.sleep(0.6)
    throttle.check("x", "attempts")


def test_the_proxy_setting_is_checked() -> None:
    with pytest.raises(Exception, match="OBLIGATIONS_TRUSTED_PROXIES: 'proxy.local'"):
        Proxies.parse("10.0.0.1, proxy.local")
    proxies = Proxies.parse("10.0.0.1, 192.168.0.0/16")
    assert proxies.client("10.0.0.1", "203.0.113.1, 192.168.4.4") == "203.0.113.1"
    assert proxies.client("203.0.113.1", "1.2.3.4") == "203.0.113.1"
