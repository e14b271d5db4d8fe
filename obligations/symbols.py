"""The UN document symbols the Committee's documents bear (DOMAIN.md's conventions)."""

from __future__ import annotations


def report_symbol(code: str, first: int, last: int | None = None) -> str:
    """A State's report: CMW/C/<CODE>/<n>, or CMW/C/<CODE>/<n>-<m> for a combined report."""
    if last is None or last == first:
        return f"CMW/C/{code}/{first}"
    return f"CMW/C/{code}/{first}-{last}"


def list_of_issues_symbol(code: str, number: int) -> str:
    """A list of issues prior to reporting for report `number`: CMW/C/<CODE>/QPR/<n>."""
    return f"CMW/C/{code}/QPR/{number}"
