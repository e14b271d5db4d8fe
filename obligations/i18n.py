"""The message catalogs: the Committee's three working languages, through gettext.

English is the source language (the msgids); French and Spanish come from
`obligations/locale/<lang>/LC_MESSAGES/messages.po`, compiled in memory at first use (so a
fresh checkout or `pip install -e .` needs no build step and no `.mo` is kept in the tree).
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
LANGUAGES = ("en", "fr", "es")
DEFAULT_LANGUAGE = "en"
# The language a page or message is being rendered in (templates' gettext reads it).
current: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog of a language; English (the msgids themselves) needs none."""
    if language not in LANGUAGES:
        raise ValueError(f"language: {language!r} is not one of {', '.join(LANGUAGES)}")
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    with catalog_path(language).open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    # Fuzzy entries are left out, as msgfmt does: a guess never reaches a reader.
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "extract, translate later"
    """Marks a string for extraction where it is defined; it is translated where it is used."""
    return message


def translate(message: str, language: str) -> str:
    return translations(language).gettext(message)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Renders inside this block speak `language` (see obligations.i18n_templates)."""
    token = current.set(language)
    try:
        yield
    finally:
        current.reset(token)


def current_gettext(message: str) -> str:
    return translations(current.get()).gettext(message)
