"""The secretariat's forms in the page's language: labels, hints, choices, a refused form's
problems next to their fields, the notice after a save and the facts in words; English stays
as it was."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from obligations import models
from obligations.db import session_factory
from tests.pages.conftest import csrf_of
from tests.pages.test_public_pages import text_of


def reports_of_gtm(engine: Engine) -> int:
    with session_factory(engine)() as session:
        query = select(func.count()).where(models.ReportReceived.state_code == "GTM")
        return session.scalar(query) or 0


def test_the_report_form_in_french_and_a_refusal_next_to_its_fields(
    officer: TestClient, engine: Engine
) -> None:
    form = officer.get("/record/report", params={"state": "GTM", "lang": "fr"})
    assert form.status_code == 200
    page = text_of(form.text)
    assert "Enregistrer un rapport reçu" in page
    assert "Numéro(s) du rapport (obligatoire)" in page
    assert "Un numéro (2), ou une plage pour un rapport valant ensemble" in page
    assert "simplifiée (réponses à une liste de points établie avant la soumission" in page
    assert "Choisir un État" in page and 'placeholder="AAAA-MM-JJ"' in form.text
    assert "Une liste de points établie avant la soumission du rapport" in page  # a tab
    assert "Report number(s)" not in page and "(required)" not in page

    # The language is kept in the cookie: the refused form answers in French too.
    before = reports_of_gtm(engine)
    refused = officer.post(
        "/record/report",
        data={"csrf_token": csrf_of(form.text), "state": "", "numbers": "", "received": ""},
    )
    assert refused.status_code == 422
    assert 'id="state-error">choisissez l&#39;État<' in refused.text
    assert 'id="numbers-error">indiquez un numéro de rapport, ou une plage telle que 2-3<' in (
        refused.text
    )
    assert 'id="received-error">indiquez une date (AAAA-MM-JJ)<' in refused.text
    assert "Non enregistré : certains champs sont à revoir." in refused.text
    assert reports_of_gtm(engine) == before

    saved = officer.post(
        "/record/report",
        data={
            "csrf_token": csrf_of(form.text),
            "state": "GTM",
            "numbers": "1",
            "received": "2010-03-02",
            "procedure": "standard",
        },
    )
    assert saved.status_code == 303
    state = officer.get("/states/GTM")
    notice = "Enregistré : rapport 1 de l&#39;État (Guatemala), reçu le 2 mars 2010."
    assert f'role="status">{notice}<' in state.text
    # The list of facts: each kind and each fact in words, in French.
    facts = text_of(state.text)
    assert "Rapport reçu id" in facts
    assert "rapport 1 de l'État (Guatemala), reçu le 2 mars 2010" in facts
    assert reports_of_gtm(engine) == before + 1

    english = officer.get("/record/report", params={"state": "GTM", "lang": "en"})
    assert "Report number(s) (required)" in text_of(english.text)


def test_the_observations_and_contact_forms_in_spanish(officer: TestClient) -> None:
    form = officer.get("/record/observations", params={"state": "GTM", "lang": "es"})
    page = text_of(form.text)
    assert "Registrar observaciones finales" in page
    assert "Número (obligatorio)" in page and "Aprobadas el (obligatorio)" in page
    assert "se fijará con arreglo al calendario previsible de exámenes" in page
    assert "no solicitan información de seguimiento" in page
    assert "AAAA-MM-DD, o AAAA-MM o AAAA cuando el documento solo indica eso." in page

    refused = officer.post(
        "/record/observations",
        data={"csrf_token": csrf_of(form.text), "state": "GTM", "number": "dos"},
    )
    assert refused.status_code == 422
    assert 'id="number-error">&#39;dos&#39; no es un número entero<' in refused.text
    assert 'id="symbol-error">indique la signatura, CMW/C/&lt;CODE&gt;/CO/&lt;n&gt;<' in (
        refused.text
    )
    assert 'id="adopted-error">indique la fecha en que se aprobaron<' in refused.text
    assert "No se registró: hay que revisar algunos campos." in refused.text

    facts = text_of(officer.get("/states/GTM").text)
    assert "Acto depositario id" in facts
    assert "firma de Guatemala de fecha 7 de septiembre de 2000" in facts

    contact = text_of(officer.get("/states/GTM/contacts/new").text)
    assert "Nombre (obligatorio)" in contact and "Tal como debe figurar en el saludo." in contact
    assert "principal (el mensaje se dirige a esta persona)" in contact
    assert "copia (recibe una copia)" in contact
