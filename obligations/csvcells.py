"""CSV cells that a spreadsheet would not read as a formula (CSV injection, OWASP)."""

from __future__ import annotations

# A spreadsheet evaluates a cell starting with one of these as a formula (or splits it).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """The cell with a leading single quote when it would start a formula; else unchanged."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def neutralise_value(value: object) -> object:
    """Text is neutralised; numbers and empty cells are written as they are."""
    return neutralise(value) if isinstance(value, str) else value


def restore(cell: str) -> str:
    """Undo `neutralise` when reading back a CSV the product wrote."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell
