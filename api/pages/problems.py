"""What a page answers instead of its content: an error to show, or the sign-in page."""

from __future__ import annotations


class PageProblem(Exception):
    """A request the page cannot answer; its message is shown to the user as is."""

    def __init__(self, status: int, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.title = title


class SignInRequired(Exception):
    """A secretariat page asked for without a live session: go and sign in, then come back."""

    def __init__(self, back_to: str) -> None:
        super().__init__(back_to)
        self.back_to = back_to
