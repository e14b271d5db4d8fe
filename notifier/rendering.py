"""Rendering a message from notifier/templates/email/<message>/{subject,body}: one template
per message, its words translated through the message catalogs (obligations.i18n).

Text templates are rendered as written; HTML templates autoescape everything they show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context

from obligations import i18n_templates
from obligations.i18n import speaking, translations
from obligations.state_names import names_in_order, state_name
from obligations.wording import (
    basis_text,
    long_date,
    obligation_label,
    obligation_title,
    partial_date,
    report_title,
    whole_number,
)

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@pass_context
def _long_date(context: Context, day: date | str) -> str:
    # A string is a date the document gives only to the year or month: shown as given.
    if isinstance(day, date):
        return long_date(day, context["lang"])
    return partial_date(day, context["lang"])


@pass_context
def _on_date(context: Context, day: date | str) -> str:
    """'on 1 July 2004', or 'in 2020' / 'in July 2020' for a date known only to the year or
    month (as the document gives it)."""
    language = context["lang"]
    gettext = translations(language).gettext
    if isinstance(day, date):
        return gettext("on %(date)s") % {"date": long_date(day, language)}
    return gettext("in %(period)s") % {"period": partial_date(day, language)}


@pass_context
def _number(context: Context, value: int) -> str:
    return whole_number(value, context["lang"])


def _item(entry: Any) -> tuple[str, int, str]:
    if isinstance(entry, dict):
        return entry.get("kind", "report"), entry["number"], entry.get("basis", "")
    return getattr(entry, "kind", "report"), entry.number, getattr(entry, "basis", "")


@pass_context
def _report_title(context: Context, entry: Any) -> str:
    """A number's report title, or an owed item's title (a report or follow-up information)."""
    if isinstance(entry, int):
        return report_title(entry, context["lang"])
    return obligation_title(*_item(entry), context["lang"])


@pass_context
def _obligation_label(context: Context, entry: Any) -> str:
    return obligation_label(*_item(entry), context["lang"])


@pass_context
def _basis(context: Context, basis: str) -> str:
    return basis_text(basis, context["lang"])


@pass_context
def _state_name(context: Context, state: Any) -> str:
    """A State's name in the message's language (`state` has a code and the record's name)."""
    if isinstance(state, dict):
        return state_name(state["code"], state["name"], context["lang"])
    return state_name(state.code, state.name, context["lang"])


@pass_context
def _state_names(context: Context, states: list[dict[str, str]]) -> list[str]:
    """States' names in the message's language, in that language's alphabetical order."""
    return names_in_order(((s["code"], s["name"]) for s in states), context["lang"])


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        extensions=["jinja2.ext.i18n"],
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates ship with the package: compiled once, never checked again for changes (a
        # check is a stat of every file on every render).
        auto_reload=False,
        cache_size=400,
    )
    env.filters.update(
        long_date=_long_date,
        on_date=_on_date,
        number=_number,
        report_title=_report_title,
        obligation_label=_obligation_label,
        basis=_basis,
        state_name=_state_name,
        state_names=_state_names,
    )
    i18n_templates.install(env)
    return env


def render(message: str, language: str, context: dict[str, Any]) -> Rendered:
    env = environment()
    values = {**context, "lang": language}
    folder = f"email/{message}"
    with speaking(language):
        subject = env.get_template(f"{folder}/subject.txt").render(values)
        return Rendered(
            # A header is one line, whatever the data held.
            subject=" ".join(subject.split()),
            text=env.get_template(f"{folder}/body.txt").render(values),
            html=env.get_template(f"{folder}/body.html").render(values),
        )
