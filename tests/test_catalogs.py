"""The message catalogs are complete: the .pot holds every message the code and templates
use, and French and Spanish translate each one (every plural form, nothing fuzzy)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from obligations.i18n import LOCALE_DIR, catalog_path, translations

ROOT = Path(__file__).resolve().parent.parent
FIX = "run `make messages`, then translate what it reports (see README, Translations)"


def read(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def keys(catalog: Catalog) -> set[tuple[str | None, str]]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


def test_the_pot_holds_exactly_what_the_code_and_templates_say(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same extraction as `make messages`, into a scratch file.
    monkeypatch.chdir(ROOT)
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "N_"]
        + ["--ignore-dirs", ".* __pycache__", "-o", str(fresh), "."]
    )
    extracted, kept = keys(read(fresh)), keys(read(LOCALE_DIR / "messages.pot"))
    assert extracted, "extraction found no message at all"
    missing, stale = sorted(extracted - kept, key=str), sorted(kept - extracted, key=str)
    assert not missing, f"messages.pot lacks {missing}: {FIX}"
    assert not stale, f"messages.pot holds messages no longer used {stale}: {FIX}"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_message_is_translated(language: str) -> None:
    template = keys(read(LOCALE_DIR / "messages.pot"))
    catalog = read(catalog_path(language))
    absent = sorted(template - keys(catalog), key=str)
    assert not absent, f"{language}: not in the catalog {absent}: {FIX}"
    untranslated, fuzzy = [], []
    for message in catalog:
        if not message.id or (message.context, _first(message.id)) not in template:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(_first(message.id))
        if message.fuzzy:
            fuzzy.append(_first(message.id))
    assert not untranslated, f"{language}: untranslated {untranslated}: {FIX}"
    assert not fuzzy, f"{language}: fuzzy (check and clear the flag) {fuzzy}: {FIX}"
    # Placeholders: a translation names the same %(…)s as its message.
    problems = [(_first(m.id), [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not problems, f"{language}: {problems}"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_compiled_catalog_translates(language: str) -> None:
    expected = {"fr": "rapport initial", "es": "informe inicial"}[language]
    assert translations(language).gettext("initial report") == expected


def _first(message_id: str | tuple[str, ...]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]
