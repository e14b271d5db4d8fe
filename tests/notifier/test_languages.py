"""A focal point reads the mail in its own language: names, dates and words from the catalogs,
sent through a real SMTP server, with the secretariat's address to reply to."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from notifier.service import run_digest, run_sweep
from notifier.transports import transport_from
from tests.notifier.conftest import SmtpServer, add_contact, config_for

# The first of a month: French writes it "1er".
FIRST_OF_APRIL = date(2026, 4, 1)


def sweep_mexico(factory: sessionmaker[Session], smtp: SmtpServer, language: str):
    add_contact(factory, "MEX", f"focal-{language}@sre.example.mx", language)
    config = config_for(smtp.url)
    run_sweep(factory, config, FIRST_OF_APRIL, transport_from(config))
    [received] = smtp.handler.received
    return received.message


def text_and_html(message) -> tuple[str, str]:
    plain = str(message.get_body(("plain",)).get_content())
    html = str(message.get_body(("html",)).get_content())
    return plain, html


def test_a_french_speaking_focal_point_gets_a_french_mail(
    factory: sessionmaker[Session], smtp: SmtpServer
) -> None:
    message = sweep_mexico(factory, smtp, "fr")
    text, html = text_and_html(message)

    assert message["Content-Language"] == "fr"
    assert message["Reply-To"] == "cmw@ohchr.example.org"
    assert message["Subject"] == "ICRMW – Mexique : 2 rapports en retard"
    assert text.startswith("Madame, Monsieur,")
    # Mexico's fourth and fifth periodic reports fell due on 1 July 2019 and 2024.
    assert "2 rapports attendus de l'État partie (Mexique)" in text
    assert "ne les avait pas reçus au 1er avril 2026" in text
    assert "Rapport 4, quatrième rapport périodique (cote prévue CMW/C/MEX/4)" in text
    assert "attendu le 1er juillet 2019" in text
    assert "Mexico" not in text and "Mexico" not in html
    assert "1 avril" not in text and "1 juillet" not in text
    assert '<html lang="fr">' in html
    assert "<strong>Mexique</strong>" in html
    assert "<td>1er juillet 2024</td>" in html
    assert "Secrétariat du Comité des travailleurs migrants" in text
    assert "cmw@ohchr.example.org" in text


def test_a_spanish_speaking_focal_point_gets_a_spanish_mail(
    factory: sessionmaker[Session], smtp: SmtpServer
) -> None:
    message = sweep_mexico(factory, smtp, "es")
    text, html = text_and_html(message)

    assert message["Content-Language"] == "es"
    assert message["Reply-To"] == "cmw@ohchr.example.org"
    assert message["Subject"] == "ICRMW – México: 2 informes atrasados"
    assert text.startswith("Estimado/a punto focal:")
    assert "2 informes de México en virtud de la Convención Internacional" in text
    assert "no los había recibido al 1 de abril de 2026" in text
    assert "Informe 4, cuarto informe periódico (signatura prevista CMW/C/MEX/4)" in text
    assert "vencía el 1 de julio de 2019" in text
    assert "Mexico" not in text and "Mexico" not in html
    assert '<html lang="es">' in html
    assert "<strong>México</strong>" in html
    assert "Secretaría del Comité de Trabajadores Migratorios" in text


def test_the_english_mail_keeps_the_record_s_name(
    factory: sessionmaker[Session], smtp: SmtpServer
) -> None:
    message = sweep_mexico(factory, smtp, "en")
    text, _ = text_and_html(message)
    assert message["Subject"] == "ICRMW: 2 reports of Mexico overdue"
    assert "had not received them as at 1 April 2026" in text


def test_the_digest_in_french_names_states_and_dates_in_french(
    factory: sessionmaker[Session], smtp: SmtpServer
) -> None:
    add_contact(factory, "GTM", "ana@minex.gob.gt", "es")
    config = config_for(smtp.url, digest_language="fr")
    run_digest(factory, config, date(2024, 7, 8), transport_from(config))
    [received] = smtp.handler.received
    text = str(received.message.get_body(("plain",)).get_content()).replace("\r\n", "\n")
    assert received.message["Subject"].startswith(
        "Rapports au titre de l'ICRMW au 8 juillet 2024 :"
    )
    assert "Rapports au titre de l'ICRMW au 8 juillet 2024" in text
    assert "Guatemala (GTM) : 3 en retard\n" in text
    assert "  - Rapport 3, troisième rapport périodique, attendu le 1er juillet 2014" in text
    # Names from CLDR: Mexico is "Mexique", Belize keeps its name, Morocco is "Maroc".
    assert "Mexique (MEX)" in text and "Maroc (MAR)" in text
    assert "Mexico" not in text
    assert "Aucun point focal enregistré, donc aucun rappel n'est envoyé à : " in text
