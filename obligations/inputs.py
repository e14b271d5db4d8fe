"""Checking what a user typed: dates, report-number ranges, State codes, document symbols.

Each check raises InvalidInput with a message that names the field and what is wrong.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from obligations.errors import InvalidInput
from obligations.rules.dates import OPENED_FOR_SIGNATURE
from obligations.rules.precision import Precision, parse_partial
from obligations.symbols import report_symbol

MAX_REPORT_NUMBER = 99


def today() -> date:
    return datetime.now(UTC).date()


# Every date the tracker takes, in the API, the CLI and the pages alike.
EARLIEST_DATE = OPENED_FOR_SIGNATURE
LATEST_DATE = date(2099, 12, 31)


def parse_date(text: str | date, field: str = "date") -> date:
    """An ISO date (YYYY-MM-DD, nothing else) on the calendar, from 1990-12-18 to 2099-12-31."""
    if isinstance(text, datetime) or not isinstance(text, str | date):
        raise InvalidInput(f"{field}: {text!r} is not a date in the form YYYY-MM-DD")
    if isinstance(text, str):
        value = text.strip()
        # [0-9], not \d: other scripts' digits are not ISO dates.
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise InvalidInput(f"{field}: {text!r} is not a date in the form YYYY-MM-DD")
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"{field}: {text!r} is not a date on the calendar") from None
    else:
        day = text
    return check_date_range(day, field)


def check_date_range(day: date, field: str = "date") -> date:
    if day < EARLIEST_DATE:
        raise InvalidInput(
            f"{field}: {day.isoformat()} is before the Convention was opened for signature "
            f"({EARLIEST_DATE.isoformat()}); choose a later date"
        )
    if day > LATEST_DATE:
        raise InvalidInput(
            f"{field}: {day.isoformat()} is too far in the future; the tracker answers up to "
            f"{LATEST_DATE.isoformat()}"
        )
    return day


def parse_partial_date(text: str | date, field: str = "date") -> tuple[date, Precision]:
    """A date as a document gives it: YYYY-MM-DD, YYYY-MM or YYYY (kept as its period's end)."""
    if isinstance(text, date) and not isinstance(text, datetime):
        return check_date_range(text, field), Precision.DAY
    try:
        parsed = parse_partial(text) if isinstance(text, str) else None
    except ValueError:  # a year the calendar does not have (0000)
        parsed = None
    if parsed is None:
        raise InvalidInput(
            f"{field}: {text!r} is not a date in the form YYYY-MM-DD (or YYYY-MM, YYYY when "
            "the document gives only the month or year)"
        )
    # The period's end is what is kept: a year or month is in range when its end is.
    return check_date_range(parsed[0], field), parsed[1]


def check_record_date(day: date, field: str = "date") -> date:
    """A fact's date: not before the Convention was opened for signature, not in the future."""
    if day < OPENED_FOR_SIGNATURE:
        raise InvalidInput(
            f"{field}: {day.isoformat()} is before the Convention was opened for signature "
            f"({OPENED_FOR_SIGNATURE.isoformat()})"
        )
    if day > today():
        raise InvalidInput(f"{field}: {day.isoformat()} is in the future")
    return day


def parse_numbers(
    text: str | int | tuple[int, int] | list[int], field: str = "numbers"
) -> tuple[int, int]:
    """A report number `N` or an inclusive range `N-M` (a combined report), 1 <= N <= M."""
    if isinstance(text, int) and not isinstance(text, bool):
        first, last = text, text
    elif isinstance(text, tuple | list):
        if len(text) not in (1, 2) or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in text
        ):
            raise InvalidInput(f"{field}: give one report number or [first, last]")
        first, last = text[0], text[-1]
    else:
        match = re.fullmatch(r"\s*(\d{1,3})\s*(?:-\s*(\d{1,3})\s*)?", str(text))
        if not match:
            raise InvalidInput(f"{field}: {text!r} is not a report number N or a range N-M")
        first = int(match.group(1))
        last = int(match.group(2) or first)
    if first < 1 or last > MAX_REPORT_NUMBER:
        raise InvalidInput(f"{field}: report numbers run from 1 to {MAX_REPORT_NUMBER}")
    if last < first:
        raise InvalidInput(f"{field}: the range {first}-{last} is reversed or empty")
    return first, last


# The UN's regional groups, as the record's States carry them.
REGIONAL_GROUPS = ("AFR", "APG", "EEG", "GRULAC", "WEOG")


def parse_region(raw: str | None, field: str = "region") -> str | None:
    """A UN regional group code (any case), or None for all."""
    if raw is None or not raw.strip():
        return None
    code = raw.strip().upper()
    if code not in REGIONAL_GROUPS:
        raise InvalidInput(f"{field}: {raw!r} is not one of {', '.join(REGIONAL_GROUPS)}")
    return code


def parse_state_code(text: str, field: str = "state") -> str:
    code = text.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise InvalidInput(f"{field}: {text!r} is not an ISO 3166-1 alpha-3 code")
    return code


def parse_articles(
    values: str | list[int] | tuple[int, ...], field: str = "articles"
) -> tuple[int, ...]:
    if isinstance(values, str):
        parts = [p for p in re.split(r"[;,\s]+", values.strip()) if p]
        if not all(p.isdigit() for p in parts):
            raise InvalidInput(f"{field}: {values!r} must list 76 and/or 77")
        numbers = [int(p) for p in parts]
    else:
        numbers = list(values)
    if any(n not in (76, 77) for n in numbers):
        raise InvalidInput(f"{field}: only articles 76 and 77 take declarations, not {numbers}")
    return tuple(sorted(set(numbers)))


SYMBOL = re.compile(r"CMW/C/(?P<state>[A-Z]{3})/(?P<rest>[A-Za-z0-9/\-.]+)")
REPORT_SYMBOL = re.compile(r"(?P<first>\d{1,2})(?:-(?P<last>\d{1,2}))?")
CO_SYMBOL = re.compile(r"CO/(?P<number>\d{1,2})(?:-\d{1,2})?")


def check_symbol(symbol: str | None, code: str, field: str = "symbol") -> str | None:
    """A UN document symbol of the Committee naming this State: CMW/C/<ISO3>/..."""
    if symbol is None or not symbol.strip():
        return None
    value = symbol.strip()
    match = SYMBOL.fullmatch(value)
    if not match:
        raise InvalidInput(f"{field}: {value!r} is not a CMW document symbol (CMW/C/{code}/...)")
    if match.group("state") != code:
        raise InvalidInput(f"{field}: {value!r} names {match.group('state')}, not {code}")
    return value


def check_report_symbol(symbol: str | None, code: str, numbers: tuple[int, int]) -> str | None:
    """A report's symbol: CMW/C/<ISO3>/<n> or CMW/C/<ISO3>/<n>-<m>, matching the numbers."""
    value = check_symbol(symbol, code)
    if value is None:
        return None
    rest = value.split("/", 3)[3]
    match = REPORT_SYMBOL.fullmatch(rest)
    if not match:
        raise InvalidInput(
            f"symbol: {value!r} is not a report symbol (CMW/C/{code}/<n> or CMW/C/{code}/<n>-<m>)"
        )
    first = int(match.group("first"))
    last = int(match.group("last") or first)
    if (first, last) != numbers:
        expected = report_symbol(code, *numbers)
        raise InvalidInput(
            f"symbol: {value!r} does not match report numbers {expected.rsplit('/', 1)[1]} "
            f"(expected {expected})"
        )
    return value


def check_plain_text(value: str | None, field: str, max_length: int = 200) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if any(c in text for c in "\r\n\x00"):
        raise InvalidInput(f"{field}: must be a single line")
    if len(text) > max_length:
        raise InvalidInput(f"{field}: longer than {max_length} characters")
    return text or None
