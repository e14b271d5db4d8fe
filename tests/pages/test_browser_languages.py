"""The pages in French and Spanish, in headless Chromium: the browser's language honoured,
the switch on every page, the choice kept from page to page."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.pages.test_browser import LiveSite, browser, shot, site  # noqa: F401 - fixtures

__all__ = ["browser", "site"]


def test_a_french_browser_gets_french_pages(site: LiveSite, browser: Browser) -> None:
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{site.url}/?as_of=2026-04-01")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("La Convention au 1er avril 2026")
    expect(page.locator(".figure").first).to_contain_text("États parties")
    shot(page, "fr-01-dashboard")

    # The list of States and a State, in French: names from CLDR or the UN's table.
    page.get_by_role("link", name="États", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("États ayant accompli")
    page.get_by_role("link", name="Mexique", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mexique")
    expect(page.locator("#reports")).to_have_text("Rapports (article 73)")
    expect(page.locator("table").first).to_contain_text("rapport initial")
    expect(page.locator("table").first).to_contain_text("1er juillet 2004")
    shot(page, "fr-02-state")

    # The status paragraph as the Secretary-General's report would put it in French.
    page.get_by_role("link", name="État de la Convention", exact=True).click()
    paragraph = page.locator("#status-paragraph")
    expect(paragraph).to_contain_text("Au 1er avril 2026, 60 États avaient ratifié la Convention")
    expect(paragraph).to_contain_text("Mexique")
    expect(paragraph).to_contain_text("République arabe syrienne")
    shot(page, "fr-03-status")
    context.close()


def test_the_switch_keeps_the_choice_over_the_browser_s_language(
    site: LiveSite, browser: Browser
) -> None:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{site.url}/overdue")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reports overdue as at")

    # The switch, by its name in its own language; the page stays where it was.
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Informes atrasados al")
    assert "/overdue" in page.url
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    assert cookies.get("obligations_lang") == "es"

    # Kept on the next page, reached by a link without ?lang=.
    page.get_by_role("link", name="Situación de la Convención", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#status-paragraph")).to_contain_text("Estados habían ratificado")
    shot(page, "es-01-status")

    # Back to French, then English: each choice kept, whatever the browser says.
    page.get_by_role("navigation", name="Idioma").get_by_role("link", name="Français").click()
    page.goto(f"{site.url}/states")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("navigation", name="Langue").get_by_role("link", name="English").click()
    page.goto(f"{site.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("The Convention as at")
    context.close()


def test_the_french_and_spanish_pages_fit_a_phone(site: LiveSite, browser: Browser) -> None:
    # Longer words than English (the regional groups' names in a filter, say) must not widen
    # the page past the phone's width.
    for language in ("fr", "es"):
        page = browser.new_page(viewport={"width": 390, "height": 844})
        for path in ("/", "/overdue", "/overdue?view=items", "/states", "/states/MEX", "/status"):
            separator = "&" if "?" in path else "?"
            page.goto(f"{site.url}{path}{separator}lang={language}")
            expect(page.locator("html")).to_have_attribute("lang", language)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (language, path, width)
            shot(page, f"phone-{language}-{path.strip('/').replace('?', '-') or 'dashboard'}")
        page.close()
