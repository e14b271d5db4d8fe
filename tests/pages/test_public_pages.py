"""The public pages, read as a visitor would: the facts shown, the as-at date, bad input."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient


def text_of(page: str) -> str:
    """The page's visible text, tags dropped and spaces collapsed."""
    without_script = re.sub(r"<script.*?</script>", " ", page, flags=re.DOTALL)
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", without_script)))
    return re.sub(r" ([,.:;)])", r"\1", text).strip()


def test_dashboard_shows_where_the_convention_stands(pages: TestClient) -> None:
    response = pages.get("/", params={"as_of": "2010-06-30"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    shown = text_of(response.text)
    status = pages.get("/api/v1/status", params={"as_of": "2010-06-30"}).json()
    overdue = pages.get("/api/v1/overdue", params={"as_of": "2010-06-30"}).json()["items"]
    assert f"{len(status['parties'])} States parties" in shown
    assert f"{len(status['signatories'])} signatories not yet parties" in shown
    assert "1 July 2003 in force since (art. 87(1))" in shown
    assert f"{len(overdue)} reports overdue" in shown
    # Article 77: Mexico's declaration of 2008 is the only one in effect by mid-2010.
    assert "Article 77 (individual communications)" in shown
    assert "1 of 10 declarations in effect; 9 more needed. Mexico" in shown
    # The chart is drawn on the server and says what it shows.
    assert "<svg" in response.text and 'role="img"' in response.text
    assert "States parties at the end of each year" in response.text


def test_dashboard_counts_overdue_reports_by_region_as_the_api_does(pages: TestClient) -> None:
    shown = text_of(pages.get("/", params={"as_of": "2015-01-01"}).text)
    for region, name in (("AFR", "African States"), ("GRULAC", "Latin American")):
        items = pages.get(
            "/api/v1/overdue", params={"as_of": "2015-01-01", "region": region}
        ).json()["items"]
        states = len({i["code"] for i in items})
        assert re.search(rf"{name}[A-Za-z ]* {len(items)} {states}\b", shown), (region, shown)


def test_dashboard_before_entry_into_force_counts_instruments_needed(pages: TestClient) -> None:
    shown = text_of(pages.get("/", params={"as_of": "2001-06-01"}).text)
    assert "16 States parties" in shown
    assert "4 more instruments needed to enter into force" in shown
    assert "0 reports overdue" in shown


def test_dashboard_lists_what_falls_due_in_the_next_90_days(pages: TestClient) -> None:
    upcoming = pages.get("/api/v1/upcoming", params={"as_of": "2026-11-25", "within": 90}).json()[
        "items"
    ]
    assert upcoming, "the bundled record has reports falling due then"
    shown = text_of(pages.get("/", params={"as_of": "2026-11-25"}).text)
    first = upcoming[0]
    assert f"{first['name']} {first['number']} (" in shown
    assert "Falling due in the next 90 days" in shown


def test_overdue_list_sorts_filters_and_links_its_csv(pages: TestClient) -> None:
    response = pages.get("/overdue", params={"as_of": "2010-06-30", "view": "items"})
    assert response.status_code == 200
    shown = text_of(response.text)
    items = pages.get("/api/v1/overdue", params={"as_of": "2010-06-30", "view": "items"}).json()[
        "items"
    ]
    assert f"{len(items)} items overdue (reports and follow-up information)" in shown
    first = items[0]
    # Azerbaijan's initial report came in 2007 (its cover): Belize leads, by name, on the day.
    assert first["code"] == "BLZ"
    assert "Belize GRULAC 1 (initial report) 1 July 2004 2 July 2004 2,190 art. 73(1)(a)" in shown
    assert 'href="/api/v1/overdue?format=csv&amp;as_of=2010-06-30"' in response.text

    by_state = text_of(
        pages.get("/overdue", params={"as_of": "2010-06-30", "sort": "state", "view": "items"}).text
    )
    names = [i["name"] for i in items]
    assert by_state.index("Argentina") < by_state.index("Belize") < by_state.index("Uganda")
    assert "Argentina" in names

    africa = pages.get("/overdue", params={"as_of": "2010-06-30", "region": "AFR", "view": "items"})
    shown_africa = text_of(africa.text)
    assert "Reports overdue as at 30 June 2010: African States" in shown_africa
    assert "Azerbaijan" not in shown_africa and "Egypt" in shown_africa
    assert "region=AFR" in africa.text


def test_overdue_list_is_printable(pages: TestClient) -> None:
    page = pages.get("/overdue").text
    assert '<link rel="stylesheet" href="/static/pages.css">' in page
    css = pages.get("/static/pages.css")
    assert css.status_code == 200
    assert "@media print" in css.text


def test_overdue_csv_download_is_the_apis(pages: TestClient) -> None:
    response = pages.get("/api/v1/overdue", params={"as_of": "2010-06-30", "format": "csv"})
    assert response.status_code == 200
    assert response.text.splitlines()[0] == (
        "code,name,number,kind,due,days_overdue,basis,overdue_from,region,verified"
    )


def test_state_page_shows_the_whole_record_with_sources(pages: TestClient) -> None:
    response = pages.get("/states/GTM", params={"as_of": "2009-07-02"})
    assert response.status_code == 200
    shown = text_of(response.text)
    assert "Guatemala GTM" in shown
    assert "party, bound from 1 July 2003 (art. 87(1))" in shown
    assert "7 September 2000: Signature source: UNTC" in shown
    assert "14 March 2003: Ratification source: UNTC" in shown
    assert "1 initial report 1 July 2004 art. 73(1)(a) overdue" in shown
    assert "2 second periodic report 1 July 2009 art. 73(1)(b) overdue" in shown
    assert "3 third periodic report 1 July 2014 art. 73(1)(b) not yet due" in shown
    # Contacts are personal data: not on the public page.
    assert "Focal points" not in shown


def test_state_page_uses_the_name_of_the_date(pages: TestClient) -> None:
    shown = text_of(pages.get("/states/TUR", params={"as_of": "2010-01-01"}).text)
    assert shown.count("Turkey TUR") == 1
    assert "today: Türkiye" in shown
    assert "Türkiye TUR" in text_of(pages.get("/states/TUR").text)


def test_state_page_shows_declarations_with_their_source(pages: TestClient) -> None:
    shown = text_of(pages.get("/states/MEX").text)
    assert "15 September 2008: Declaration (article 77) source: unverified" in shown
    assert "77 (individual) yes 15 September 2008 – unverified" in shown


def test_states_list_links_every_state_with_an_action(pages: TestClient) -> None:
    shown = text_of(pages.get("/states", params={"as_of": "2001-06-01"}).text)
    assert "16 States parties and 10 other States with an action on record" in shown
    assert "Turkey TUR WEOG signatory 13 January 1999" in shown
    go = pages.get("/states/go", params={"code": "gtm"})
    assert go.status_code == 303 and go.headers["location"] == "/states/GTM"


def test_a_bad_as_of_date_is_explained_not_a_crash(pages: TestClient) -> None:
    for path in ("/", "/overdue", "/states", "/states/GTM", "/status", "/status.txt"):
        response = pages.get(path, params={"as_of": "2001-02-30"})
        assert response.status_code == 422, path
        assert "as_of: &#39;2001-02-30&#39; is not a date on the calendar" in response.text
        assert "Try another date" in response.text
    before = pages.get("/", params={"as_of": "1989-01-01"})
    assert before.status_code == 422
    assert "before the Convention was opened for signature" in before.text
    assert pages.get("/", params={"as_of": "yesterday"}).status_code == 422
    assert pages.get("/", params={"as_of": "9999-12-31"}).status_code == 422


def test_an_unknown_state_or_page_answers_404_in_html(pages: TestClient) -> None:
    unknown = pages.get("/states/XYZ")
    assert unknown.status_code == 404
    assert "unknown State code &#39;XYZ&#39;" in unknown.text
    malformed = pages.get("/states/G1")
    assert malformed.status_code == 422
    assert "is not an ISO 3166-1 alpha-3 code" in malformed.text
    nothing = pages.get("/no-such-page")
    assert nothing.status_code == 404
    assert "There is no page at /no-such-page." in nothing.text
    # The API keeps answering in JSON.
    assert pages.get("/api/v1/no-such-route").json() == {"detail": "Not Found"}


def test_bad_filters_are_explained(pages: TestClient) -> None:
    region = pages.get("/overdue", params={"region": "EUROPE"})
    assert region.status_code == 422
    assert "region: &#39;EUROPE&#39; is not one of AFR, APG, EEG, GRULAC, WEOG" in region.text
    sort = pages.get("/overdue", params={"sort": "random"})
    assert sort.status_code == 422
    assert "sort:" in sort.text


def test_pages_carry_security_headers(pages: TestClient) -> None:
    response = pages.get("/status")
    policy = response.headers["content-security-policy"]
    assert "script-src 'nonce-" in policy and "frame-ancestors 'none'" in policy
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce and f'<script nonce="{nonce.group(1)}">' in response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    # Browsing the public pages sets no cookie.
    assert "set-cookie" not in pages.get("/").headers


def test_overdue_is_grouped_by_state_by_default(pages: TestClient) -> None:
    response = pages.get("/overdue", params={"as_of": "2010-06-30", "region": "GRULAC"})
    assert response.status_code == 200
    shown = text_of(response.text)
    grouped = pages.get(
        "/api/v1/overdue", params={"as_of": "2010-06-30", "region": "GRULAC", "by": "state"}
    ).json()["states"]
    first = grouped[0]
    assert first["code"] == "BLZ"
    assert first["what"] == ["report 1", "report 2"]
    assert "Belize GRULAC report 1; report 2 2 July 2004 2,190" in shown
    # One row per State: Guatemala once, though it owes two reports.
    assert shown.count("Guatemala") == 1
    assert "Guatemala GRULAC report 1; report 2" in shown
    assert "format=csv&amp;region=GRULAC&amp;by=state" in response.text
    csv_text = pages.get(
        "/api/v1/overdue",
        params={"as_of": "2010-06-30", "region": "GRULAC", "by": "state", "format": "csv"},
    ).text
    assert csv_text.splitlines()[0] == (
        "code,name,region,items,what,oldest_due,overdue_since,days_overdue,verified"
    )
    assert "GTM,Guatemala,GRULAC,2,report 1; report 2,2004-07-01,2004-07-02," in csv_text
    bad = pages.get("/overdue", params={"view": "table"})
    assert bad.status_code == 422
    assert "view: &#39;table&#39; is not one of state, items" in bad.text
