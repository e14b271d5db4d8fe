"""One error type per kind of bad input; the CLI and the API each turn them into one answer."""


class ObligationsError(Exception):
    """Base of every error a user can cause; its message is meant to be shown as is."""


class InvalidInput(ObligationsError):
    """Malformed or impossible input (HTTP 422)."""


class NotFound(ObligationsError):
    """An unknown State code or record id (HTTP 404)."""


class Conflict(ObligationsError):
    """Input that contradicts the record (HTTP 409)."""


class DatabaseUnavailable(ObligationsError):
    """The database cannot be reached or opened now (HTTP 503, CLI exit 2)."""
