"""The Secretary-General's status paragraph, as at dates on each side of entry into force.

DOMAIN.md gives the paragraph's form (the issue quotes it); the expected texts below are
read off the bundled depositary record by hand, one per sentence the paragraph can end with.
"""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date

import pytest
from fastapi.testclient import TestClient

from api.pages.paragraph import status_paragraph
from obligations.queries import PartyView, SignatoryView, StatusView

CONVENTION = (
    "the International Convention on the Protection of the Rights of All Migrant Workers "
    "and Members of Their Families"
)

BEFORE_ENTRY_INTO_FORCE = (
    f"As at 1 June 2001, {CONVENTION} had been ratified or acceded to by 16 States, namely, "
    "Azerbaijan, Bolivia, Bosnia and Herzegovina, Cape Verde, Colombia, Egypt, Ghana, Guinea, "
    "Mexico, Morocco, Philippines, Senegal, Seychelles, Sri Lanka, Uganda and Uruguay. "
    "In addition, 10 States, namely, Bangladesh, Chile, Comoros, Guatemala, Guinea-Bissau, "
    "Paraguay, Sao Tome and Principe, Sierra Leone, Tajikistan and Turkey, signed the "
    "Convention. In accordance with paragraph 1 of its article 87, the Convention will enter "
    "into force on the first day of the month following a period of three months after the "
    "date of the deposit of the twentieth instrument of ratification or accession; four more "
    "instruments of ratification or accession are needed."
)

# El Salvador and Guatemala deposited on 14 March 2003: the twentieth and twenty-first.
TWENTIETH_DEPOSITED = (
    f"As at 14 March 2003, {CONVENTION} had been ratified or acceded to by 21 States, namely, "
    "Azerbaijan, Belize, Bolivia, Bosnia and Herzegovina, Cape Verde, Colombia, Ecuador, Egypt, "
    "El Salvador, Ghana, Guatemala, Guinea, Mexico, Morocco, Philippines, Senegal, Seychelles, "
    "Sri Lanka, Tajikistan, Uganda and Uruguay. In addition, 10 States, namely, Bangladesh, "
    "Burkina Faso, Chile, Comoros, Guinea-Bissau, Paraguay, Sao Tome and Principe, "
    "Sierra Leone, Togo and Turkey, signed the Convention. The twentieth instrument of "
    "ratification or accession having been deposited on 14 March 2003, the Convention will "
    "enter into force on 1 July 2003, in accordance with paragraph 1 of its article 87."
)

IN_FORCE = (
    f"As at 1 July 2003, {CONVENTION} had been ratified or acceded to by 22 States, namely, "
    "Azerbaijan, Belize, Bolivia, Bosnia and Herzegovina, Cape Verde, Colombia, Ecuador, Egypt, "
    "El Salvador, Ghana, Guatemala, Guinea, Mali, Mexico, Morocco, Philippines, Senegal, "
    "Seychelles, Sri Lanka, Tajikistan, Uganda and Uruguay. In addition, 10 States, namely, "
    "Bangladesh, Burkina Faso, Chile, Comoros, Guinea-Bissau, Paraguay, Sao Tome and Principe, "
    "Sierra Leone, Togo and Turkey, signed the Convention. The Convention entered into force "
    "on 1 July 2003, in accordance with paragraph 1 of its article 87."
)

# Names as used on the date: Libyan Arab Jamahiriya, Turkey, Serbia and Montenegro.
WITH_FORMER_NAMES = (
    f"As at 1 January 2005, {CONVENTION} had been ratified or acceded to by 27 States, namely, "
    "Azerbaijan, Belize, Bolivia, Bosnia and Herzegovina, Burkina Faso, Cape Verde, Colombia, "
    "Ecuador, Egypt, El Salvador, Ghana, Guatemala, Guinea, Kyrgyzstan, Libyan Arab "
    "Jamahiriya, Mali, Mexico, Morocco, Philippines, Senegal, Seychelles, Sri Lanka, "
    "Tajikistan, Timor-Leste, Turkey, Uganda and Uruguay. In addition, 16 States, namely, "
    "Argentina, Bangladesh, Cambodia, Chile, Comoros, Gabon, Guinea-Bissau, Indonesia, Lesotho, "
    "Liberia, Paraguay, Peru, Sao Tome and Principe, Serbia and Montenegro, Sierra Leone and "
    "Togo, signed the Convention. The Convention entered into force on 1 July 2003, in "
    "accordance with paragraph 1 of its article 87."
)


@pytest.mark.parametrize(
    ("as_of", "paragraph"),
    [
        ("2001-06-01", BEFORE_ENTRY_INTO_FORCE),
        ("2003-03-14", TWENTIETH_DEPOSITED),
        ("2003-07-01", IN_FORCE),
        ("2005-01-01", WITH_FORMER_NAMES),
    ],
)
def test_status_paragraph_as_at_a_date(pages: TestClient, as_of: str, paragraph: str) -> None:
    page = pages.get("/status", params={"as_of": as_of})
    assert page.status_code == 200
    assert f'<p id="status-paragraph" class="paragraph">{html.escape(paragraph)}</p>' in page.text
    download = pages.get("/status.txt", params={"as_of": as_of})
    assert download.status_code == 200
    assert download.headers["content-type"] == "text/plain; charset=utf-8"
    assert download.headers["content-disposition"] == (
        f'attachment; filename="icrmw-status-{as_of}.txt"'
    )
    assert download.text == paragraph + "\n"


def test_today_uses_current_names_in_alphabetical_order(pages: TestClient) -> None:
    text = pages.get("/status.txt", params={"as_of": "2026-11-25"}).text
    assert "by 60 States, namely, Albania, Algeria, Argentina," in text
    # Accents do not count in the order: Côte d'Ivoire between Congo and Ecuador.
    assert "Colombia, Congo, Côte d'Ivoire, Ecuador," in text
    assert "Türkiye, Uganda, Uruguay, Venezuela (Bolivarian Republic of) and Zimbabwe." in text
    assert "In addition, 11 States, namely, Armenia," in text
    assert "Palau, Serbia and Sierra Leone, signed the Convention." in text


def test_before_any_instrument_the_paragraph_says_so(pages: TestClient) -> None:
    text = pages.get("/status.txt", params={"as_of": "1991-01-01"}).text
    assert text.startswith(
        f"As at 1 January 1991, {CONVENTION} had not been ratified or acceded to by any State. "
    )
    assert "20 more instruments of ratification or accession are needed." in text


def test_small_numbers_are_words_and_one_is_singular() -> None:
    status = StatusView(
        as_of=date(1993, 3, 1),
        treaty="ICRMW",
        entry_into_force=None,
        in_force=False,
        instruments_needed=19,
        parties=[PartyView("EGY", "Egypt", "accession", date(1993, 2, 19), None)],
        signatories=[SignatoryView("MEX", "Mexico", date(1991, 5, 22))],
        declarations={},
    )
    assert status_paragraph(status, None) == (
        f"As at 1 March 1993, {CONVENTION} had been ratified or acceded to by one State, namely, "
        "Egypt. In addition, one State, namely, Mexico, signed the Convention. In accordance "
        "with paragraph 1 of its article 87, the Convention will enter into force on the first "
        "day of the month following a period of three months after the date of the deposit of "
        "the twentieth instrument of ratification or accession; 19 more instruments of "
        "ratification or accession are needed."
    )
    last = replace(status, instruments_needed=1)
    assert status_paragraph(last, None).endswith(
        "one more instrument of ratification or accession is needed."
    )


def test_the_copy_button_is_an_addition_to_a_page_that_works_without_it(
    pages: TestClient,
) -> None:
    page = pages.get("/status", params={"as_of": "2001-06-01"}).text
    # Hidden until the script finds a clipboard; the download link needs no script.
    assert '<button type="button" id="copy-paragraph" hidden>Copy the paragraph</button>' in page
    assert 'href="/status.txt?as_of=2001-06-01" download>Download as plain text</a>' in page
