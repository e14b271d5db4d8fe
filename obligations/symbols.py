"""The UN document symbols the Committee's documents bear (DOMAIN.md's conventions)."""

from __future__ import annotations


def report_symbol(code: str, first: int, last: int | None = None) -> str:
    """A State's report: CMW/C/<CODE>/<n>, or CMW/C/<CODE>/<n>-<m> for a combined report."""
    if last is None or last == first:
        return f"CMW/C/{code}/{first}"
    return f"CMW/C/{code}/{first}-{last}"


def follow_up_symbol(code: str, number: int) -> str:
    """Follow-up information on concluding observations number n: CMW/C/<CODE>/FCO/<n>."""
    return f"CMW/C/{code}/FCO/{number}"


def expected_symbol(code: str, kind: str, number: int) -> str:
    """The symbol an owed document will carry: a report's, or follow-up information's."""
    return follow_up_symbol(code, number) if kind == "follow_up" else report_symbol(code, number)


def list_of_issues_symbol(code: str, number: int) -> str:
    """A list of issues prior to reporting for report `number`: CMW/C/<CODE>/QPR/<n>."""
    return f"CMW/C/{code}/QPR/{number}"
