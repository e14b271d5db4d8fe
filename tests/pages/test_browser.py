"""End to end in headless Chromium: a secretariat officer's visit, as a person would make it.

The app runs under uvicorn on a free local port against a SQLite database made by
`obligations init`; screenshots go to test-output/pages/ (or $OBLIGATIONS_TEST_OUTPUT/pages).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

from api.app import create_app
from obligations.db import PROJECT_ROOT
from obligations.settings import Settings
from tests.pages.browser import LAUNCH_ARGS, chromium

SHOTS = Path(os.environ.get("OBLIGATIONS_TEST_OUTPUT", PROJECT_ROOT / "test-output")) / "pages"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def obligations_cli(database_url: str, *args: str) -> str:
    """The `obligations` command, as an officer runs it."""
    script = Path(sys.executable).parent / "obligations"
    command = (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "from obligations.cli import main; main()"]
    )
    done = subprocess.run(
        [*command, "--database-url", database_url, *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout


@dataclass(frozen=True)
class LiveSite:
    url: str
    token: str


@pytest.fixture
def site(tmp_path: Path) -> Iterator[LiveSite]:
    database_url = f"sqlite:///{tmp_path / 'e2e.sqlite3'}"
    obligations_cli(database_url, "init")
    created = json.loads(
        obligations_cli(
            database_url, "token", "create", "--role", "secretariat", "--name", "Amina", "--json"
        )
    )
    app = create_app(Settings(session_secret="e2e-" + "s" * 40), database_url=database_url)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the app did not start under uvicorn within 20 s")
        time.sleep(0.05)
    yield LiveSite(f"http://127.0.0.1:{port}", created["token"])
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[Browser]:
    path = chromium()
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=path, args=LAUNCH_ARGS, headless=True)
        yield launched
        launched.close()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_an_officer_records_a_report_and_the_overdue_list_changes(
    site: LiveSite, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    # The dashboard, and the keyboard's first stop: the skip link.
    page.goto(f"{site.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("The Convention as at")
    expect(page.locator(".figure").first).to_contain_text("States parties")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to the content")
    shot(page, "01-dashboard")

    # Guatemala's initial report is overdue in mid-2010.
    page.goto(f"{site.url}/overdue?as_of=2010-06-30&view=items")
    guatemala_initial = page.locator("tbody tr", has_text="Guatemala").filter(
        has_text="initial report"
    )
    expect(guatemala_initial).to_have_count(1)
    before = page.locator("tbody tr").count()
    shot(page, "02-overdue-before")

    # To the State, from the list of States.
    page.get_by_role("link", name="States", exact=True).click()
    page.get_by_role("link", name="Guatemala", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guatemala")
    expect(page.locator("#actions + ol")).to_contain_text("source: UNTC")
    shot(page, "03-state")

    # Sign in; back to the State, now with the secretariat's links.
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Token").fill(site.token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".notice")).to_have_text("Signed in as Amina.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guatemala")

    # A mistake first: shown next to its field, nothing recorded.
    page.get_by_role("link", name="a report received").click()
    expect(page.get_by_label("State")).to_have_value("GTM")
    page.get_by_label("Report number(s)").fill("1")
    page.get_by_label("Received").fill("2010-03-02")
    page.get_by_label("Symbol").fill("CMW/C/MEX/1")
    page.get_by_role("button", name="Record a report received").click()
    expect(page.locator("#symbol-error")).to_have_text("'CMW/C/MEX/1' names MEX, not GTM")
    shot(page, "04-form-error")

    page.get_by_label("Symbol").fill("CMW/C/GTM/1")
    page.get_by_role("button", name="Record a report received").click()
    expect(page.locator(".notice")).to_contain_text(
        "Recorded report 1 (CMW/C/GTM/1) of Guatemala, received 2 March 2010."
    )
    expect(page.locator("#reports + .table-wrap tbody tr").first).to_contain_text("received")
    shot(page, "05-state-after")

    # The overdue list no longer holds it.
    page.goto(f"{site.url}/overdue?as_of=2010-06-30&view=items")
    expect(guatemala_initial).to_have_count(0)
    expect(page.locator("tbody tr")).to_have_count(before - 1)
    shot(page, "06-overdue-after")
    page.emulate_media(media="print")
    # Both the pages' and the languages' navigation give way to the list.
    expect(page.locator("header.site nav")).to_have_count(2)
    for navigation in page.locator("header.site nav").all():
        expect(navigation).to_be_hidden()
    shot(page, "07-overdue-print")

    # The audit log names who recorded it.
    page.emulate_media(media="screen")
    page.get_by_role("link", name="Audit log").click()
    expect(page.locator("table.audit tbody tr").first).to_contain_text("recorded report")
    shot(page, "08-audit")


def test_the_status_report_and_a_phone_sized_screen(site: LiveSite, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{site.url}/status?as_of=2001-06-01")
    expect(page.locator("#status-paragraph")).to_contain_text(
        "As at 1 June 2001, the International Convention"
    )
    # With JavaScript the copy button appears; the download works without it.
    expect(page.get_by_role("button", name="Copy the paragraph")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"
    shot(page, "09-status-phone")
    page.goto(f"{site.url}/")
    shot(page, "10-dashboard-phone")


def test_the_api_documentation_works_with_the_network_blocked(
    site: LiveSite, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def only_this_site(route: Route) -> None:
        if route.request.url.startswith(site.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_site)
    page.goto(f"{site.url}/docs")
    # Swagger UI drew the operations from the schema, with nothing fetched from elsewhere.
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/overdue").first).to_be_visible()
    page.goto(f"{site.url}/redoc")
    expect(page.locator("h1").first).to_contain_text("treaty-obligations")
    shot(page, "08-redoc-offline")
    # The only request for elsewhere is ReDoc's "powered by" logo, blocked without harm.
    assert outside in ([], ["https://cdn.redoc.ly/redoc/logo-mini.svg"])


def test_main_pages_fit_a_phone_without_scrolling_sideways(
    site: LiveSite, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    for name, path in [
        ("dashboard", "/"),
        ("overdue", "/overdue"),
        ("overdue-items", "/overdue?view=items"),
        ("states", "/states"),
        ("state", "/states/GTM"),
        ("status", "/status"),
    ]:
        page.goto(f"{site.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        shot(page, f"phone-{name}")
