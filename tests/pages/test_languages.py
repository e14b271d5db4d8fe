"""Which language the pages speak: ?lang= (kept in a cookie), else the cookie, else
Accept-Language, else English; the JSON API stays English whatever the page language."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.pages.conftest import csrf_of, make_token

HTML_LANG = re.compile(r'<html lang="([a-z]{2})">')


def language_of(html: str) -> str:
    found = HTML_LANG.search(html)
    assert found, "the page has no <html lang>"
    return found.group(1)


def test_accept_language_is_honoured_when_nothing_is_kept(pages: TestClient) -> None:
    swiss = pages.get("/", headers={"Accept-Language": "de-CH, fr-CH;q=0.9, en;q=0.5"})
    assert language_of(swiss.text) == "fr"
    assert "La Convention au" in swiss.text
    mexican = pages.get("/states", headers={"Accept-Language": "es-MX"})
    assert language_of(mexican.text) == "es"
    assert "Estados con algún acto depositario" in mexican.text
    # A language the Committee does not work in: English.
    german = pages.get("/", headers={"Accept-Language": "de-DE, de;q=0.9"})
    assert language_of(german.text) == "en"
    assert language_of(pages.get("/").text) == "en"


def test_a_chosen_language_is_kept_over_the_browser_s(pages: TestClient) -> None:
    chosen = pages.get("/status?lang=es", headers={"Accept-Language": "fr"})
    assert language_of(chosen.text) == "es"
    assert chosen.cookies.get("obligations_lang") == "es"
    assert "SameSite=lax" in chosen.headers["set-cookie"]
    later = pages.get("/overdue", headers={"Accept-Language": "fr"})
    assert language_of(later.text) == "es"
    assert "Informes atrasados al" in later.text
    # Every page offers the three languages, this page's query kept.
    page = pages.get("/overdue?region=AFR")
    assert 'href="/overdue?region=AFR&amp;lang=fr" hreflang="fr"' in page.text
    assert 'href="/overdue?region=AFR&amp;lang=en" hreflang="en"' in page.text


def test_an_unknown_language_changes_nothing(pages: TestClient) -> None:
    response = pages.get("/?lang=de")
    assert response.status_code == 200
    assert language_of(response.text) == "en"
    assert "obligations_lang" not in response.cookies


def test_the_status_paragraph_in_each_language(pages: TestClient) -> None:
    params = {"as_of": "2003-06-01"}
    english = pages.get("/status.txt", params=params).text
    french = pages.get("/status.txt", params={**params, "lang": "fr"}).text
    spanish = pages.get("/status.txt", params={**params, "lang": "es"}).text
    assert english.startswith("As at 1 June 2003, the International Convention")
    assert french.startswith(
        "Au 1er juin 2003, 21 États avaient ratifié la Convention internationale sur la "
        "protection des droits de tous les travailleurs migrants et des membres de leur famille "
        "ou y avaient adhéré, à savoir : Azerbaïdjan, Belize,"
    )
    assert "Mexique" in french and "Mexico" not in french
    assert "Tadjikistan et Uruguay." in french
    assert "la Convention entrera en vigueur le 1er juillet 2003" in french
    assert spanish.startswith("Al 1 de junio de 2003, 21 Estados habían ratificado la Convención")
    assert "Bolivia (Estado Plurinacional de)" in spanish and "México" in spanish
    assert "Tayikistán, Uganda y Uruguay." in spanish


def test_the_json_api_stays_english(pages: TestClient) -> None:
    pages.get("/?lang=fr")
    answer = pages.get("/api/v1/states/MEX", headers={"Accept-Language": "fr"})
    assert answer.status_code == 200
    assert answer.json()["name"] == "Mexico"


def test_errors_notices_and_sign_in_speak_the_page_s_language(
    pages: TestClient, engine: Engine
) -> None:
    missing = pages.get("/nowhere?lang=fr")
    assert missing.status_code == 404
    assert "<h1>Introuvable</h1>" in missing.text
    assert "Il n&#39;y a pas de page à l&#39;adresse /nowhere." in missing.text
    form = pages.get("/signin")
    assert "<h1>Se connecter</h1>" in form.text
    refused = pages.post("/signin", data={"token": "", "csrf_token": csrf_of(form.text)})
    assert refused.status_code == 401
    assert "Collez le jeton qui vous a été remis" in refused.text
    token = make_token(engine, name="Amina")
    pages.post("/signin", data={"token": token, "csrf_token": csrf_of(form.text), "next": "/"})
    assert "Connecté en tant que Amina." in pages.get("/").text
