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
    database_url: str


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
    yield LiveSite(f"http://127.0.0.1:{port}", created["token"], database_url)
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


def sign_in_as(page: Page, site: LiveSite, token: str) -> None:
    page.goto(f"{site.url}/signin")
    page.get_by_label("Token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".notice")).to_contain_text("Signed in as")


def fits_a_phone(page: Page, name: str) -> None:
    """No sideways scrolling of the page at 390 px (a wide table scrolls inside its box)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{name}: the page is {width}px wide on a 390px screen"
    shot(page, f"phone-{name}")


def test_the_overdue_view_groups_by_state_and_opens_the_state(
    site: LiveSite, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site.url}/overdue?as_of=2010-06-30")
    rows = page.locator("table.by-state tbody tr")
    names = rows.locator("th").all_inner_texts()
    assert len(names) > 1
    assert len(names) == len(set(names)), "a State appears on more than one row"
    expect(page.locator(".summary")).to_contain_text(f"from {len(names)} States")
    guatemala = rows.filter(has_text="Guatemala")
    expect(guatemala).to_have_count(1)
    expect(guatemala).to_contain_text("report 1")
    shot(page, "11-overdue-by-state")
    guatemala.get_by_role("link", name="Guatemala").click()
    expect(page).to_have_url(f"{site.url}/states/GTM?as_of=2010-06-30")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guatemala")


def test_an_officer_fixes_a_wrong_date_then_deletes_the_fact(
    site: LiveSite, browser: Browser
) -> None:
    recorded = obligations_cli(
        site.database_url, "record", "report", "GTM", "--numbers", "1", "--received", "2010-03-02"
    )
    report = int(recorded.rsplit("id ", 1)[1].rstrip(")\n"))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in_as(page, site, site.token)
    page.goto(f"{site.url}/states/GTM")
    row = page.locator(f"#fact-report-{report}")
    expect(row).to_contain_text("received 2 March 2010")

    # The wrong date fixed: the form starts from the fact as stored.
    row.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("Received")).to_have_value("2010-03-02")
    page.get_by_label("Received").fill("2010-03-03")
    shot(page, "12-edit-form")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator(".notice")).to_have_text(
        "Corrected report 1 of Guatemala, received 3 March 2010."
    )
    expect(page.locator("#reports + .table-wrap tbody tr").first).to_contain_text("3 March 2010")
    expect(page.locator(f"#fact-report-{report}")).to_contain_text("received 3 March 2010")

    # A correction the record cannot hold: refused with the reason, nothing changed.
    page.locator(f"#fact-report-{report}").get_by_role("link", name="Edit").click()
    page.get_by_label("Received").fill("1999-01-04")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator("#form-problem")).to_have_text(
        "Not corrected: GTM: the report received on 1999-01-04 would come before the "
        "Convention bound the State."
    )
    expect(page.get_by_label("Received")).to_have_value("1999-01-04")
    shot(page, "13-edit-refused")
    page.goto(f"{site.url}/states/GTM")
    expect(page.locator(f"#fact-report-{report}")).to_contain_text("received 3 March 2010")

    # Deleted after a confirmation step.
    page.locator(f"#fact-report-{report}").get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete: Report received")
    shot(page, "14-delete-confirm")
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.locator(".notice")).to_have_text(
        "Deleted report 1 of Guatemala, received 3 March 2010."
    )
    expect(page.locator(f"#fact-report-{report}")).to_have_count(0)
    expect(page.locator("#reports + .table-wrap tbody tr").first).not_to_contain_text("March 2010")

    # The audit log has both, newest first.
    page.get_by_role("link", name="Audit log").click()
    entries = page.locator("table.audit tbody tr")
    expect(entries.nth(0)).to_contain_text(f"deleted report (id {report})")
    expect(entries.nth(1)).to_contain_text(f"corrected report (id {report})")
    expect(entries.nth(1)).to_contain_text("2 March 2010 → 3 March 2010")
    shot(page, "15-audit-corrections")


def test_a_focal_point_keeps_its_contacts_and_sees_no_other_state(
    site: LiveSite, browser: Browser
) -> None:
    focal = json.loads(
        obligations_cli(
            site.database_url,
            "token",
            "create",
            "--role",
            "focal-point",
            "--state",
            "GTM",
            "--name",
            "Guatemala MINEX",
            "--json",
        )  # fmt: skip
    )
    obligations_cli(
        site.database_url, "contact", "add", "GTM", "--name", "Ana Pérez",
        "--email", "ana@minex.gob.gt", "--language", "es",
    )  # fmt: skip
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in_as(page, site, focal["token"])
    expect(page).to_have_url(f"{site.url}/states/GTM")
    expect(page.locator(".account")).to_contain_text("Guatemala MINEX, focal point of GTM")
    contact = page.locator("table.contacts tbody tr", has_text="Ana Pérez")
    expect(contact).to_contain_text("ana@minex.gob.gt")
    shot(page, "16-focal-point-state")

    contact.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("E-mail")).to_have_value("ana@minex.gob.gt")
    page.get_by_label("E-mail").fill("ana.perez@minex.gob.gt")
    page.locator("#field-language").select_option("en")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".notice")).to_have_text("Saved Ana Pérez <ana.perez@minex.gob.gt>.")
    expect(page.locator("table.contacts tbody tr").first).to_contain_text("ana.perez@minex")
    page.get_by_role("button", name="Deactivate Ana Pérez").click()
    expect(page.locator(".notice")).to_have_text("Deactivated Ana Pérez <ana.perez@minex.gob.gt>.")
    page.get_by_role("button", name="Reactivate Ana Pérez").click()
    expect(page.locator(".notice")).to_have_text("Reactivated Ana Pérez <ana.perez@minex.gob.gt>.")

    # Another State's page: refused, with the reason.
    response = page.goto(f"{site.url}/states/MEX")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    expect(page.locator(".problem")).to_contain_text(
        "this sign-in opens the pages of GTM only, not those of MEX"
    )
    shot(page, "17-focal-point-refused")
    response = page.goto(f"{site.url}/audit")
    assert response is not None and response.status == 403


def test_every_main_page_fits_a_phone_signed_in(site: LiveSite, browser: Browser) -> None:
    recorded = obligations_cli(
        site.database_url, "record", "report", "GTM", "--numbers", "1", "--received", "2010-03-02"
    )
    report = int(recorded.rsplit("id ", 1)[1].rstrip(")\n"))
    obligations_cli(
        site.database_url, "contact", "add", "GTM", "--name", "Ana Pérez",
        "--email", "ana.perez.lopez@ministerio-de-relaciones-exteriores.gob.gt",
    )  # fmt: skip
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{site.url}/signin")
    fits_a_phone(page, "signin")
    sign_in_as(page, site, site.token)
    for name, path in [
        ("dashboard-signed-in", "/"),
        ("status-signed-in", "/status"),
        ("states-signed-in", "/states"),
        ("overdue-signed-in", "/overdue"),
        ("state-signed-in", "/states/GTM"),
        ("outbox", "/outbox"),
        ("audit", "/audit"),
        *((f"record-{kind}", f"/record/{kind}?state=GTM") for kind in RECORD_KINDS),
        ("fact-edit", f"/states/GTM/facts/report/{report}/edit"),
        ("fact-delete", f"/states/GTM/facts/report/{report}/delete"),
        ("contacts", "/states/GTM/contacts"),
        ("contact-new", "/states/GTM/contacts/new"),
    ]:
        response = page.goto(f"{site.url}{path}")
        assert response is not None and response.status == 200, path
        fits_a_phone(page, name)


RECORD_KINDS = (
    "action", "report", "review", "decision", "loipr", "list-of-issues", "observations",
    "follow-up",
)  # fmt: skip
