"""Reading what an officer typed into a form: each field checked, each problem kept by name.

A field's label, hint and choices are English msgids (marked with N_), translated where the
form is shown; a problem is said in the page's language (the `gettext` a Reader is given)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from api.errors import field_message
from obligations.errors import InvalidInput
from obligations.i18n import N_
from obligations.inputs import parse_date, parse_numbers, parse_state_code

T = TypeVar("T")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text, date, number, select, radio, checkboxes, textarea, state
    required: bool = False
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    placeholder: str = ""


class FormInvalid(Exception):
    """One or more fields could not be read; `Reader.errors` says which and why."""


class Reader:
    """The submitted values, read field by field; a bad one is noted and reading goes on."""

    def __init__(self, values: Mapping[str, list[str]], gettext: Callable[[str], str] = N_) -> None:
        self.values = values
        self.errors: dict[str, str] = {}
        self.gettext = gettext

    def _enter(self, what: str) -> str:
        """'enter the date it was issued': `what` is a msgid of its own (marked with N_)."""
        return self.gettext("enter %(what)s") % {"what": self.gettext(what)}

    def raw(self, name: str) -> str:
        found = self.values.get(name) or [""]
        return found[0].strip()

    def text(self, name: str) -> str | None:
        return self.raw(name) or None

    def required(self, name: str, what: str) -> str | None:
        value = self.text(name)
        if value is None:
            self.errors[name] = self._enter(what)
        return value

    def date(self, name: str, required: bool = True) -> date | None:
        raw = self.raw(name)
        if not raw:
            if required:
                self.errors[name] = self.gettext("enter a date (YYYY-MM-DD)")
            return None
        return self._checked(name, raw, parse_date)

    def whole_number(self, name: str, what: str) -> int | None:
        raw = self.raw(name)
        if not raw:
            self.errors[name] = self._enter(what)
            return None
        if not re.fullmatch(r"\d{1,3}", raw):
            self.errors[name] = self.gettext("%(value)s is not a whole number") % {
                "value": repr(raw)
            }
            return None
        return int(raw)

    def numbers(self, name: str) -> tuple[int, int] | None:
        raw = self.raw(name).replace("–", "-")
        if not raw:
            self.errors[name] = self.gettext("enter a report number, or a range such as 2-3")
            return None
        return self._checked(name, raw, parse_numbers)

    def state_code(self, name: str) -> str | None:
        raw = self.raw(name)
        if not raw:
            self.errors[name] = self.gettext("choose the State")
            return None
        return self._checked(name, raw, parse_state_code)

    def _checked(self, name: str, raw: str, parse: Callable[[str, str], T]) -> T | None:
        """The parsed value, or None with the parser's message noted against the field."""
        try:
            return parse(raw, name)
        except InvalidInput as error:
            self.errors[name] = field_message(error)[1]
            return None

    def all_of(self, name: str) -> list[str]:
        return [v.strip() for v in self.values.get(name, []) if v.strip()]

    def done(self) -> None:
        if self.errors:
            raise FormInvalid(", ".join(self.errors))
