"""Which language a page speaks: `?lang=` (then kept in a cookie), else the cookie, else the
browser's Accept-Language (negotiated by Babel), else English. The JSON API stays English."""

from __future__ import annotations

import gettext

from babel import negotiate_locale
from fastapi import Request, Response

from obligations.i18n import DEFAULT_LANGUAGE, LANGUAGES, translations

COOKIE = "obligations_lang"
YEAR = 365 * 24 * 3600
# Each language named in itself, for the switch.
NAMES = {"en": "English", "fr": "Français", "es": "Español"}


def accepted(header: str) -> list[str]:
    """Accept-Language's languages, most wanted first ('fr-CH, fr;q=0.9, en;q=0.8')."""
    weighted = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and quality > 0:
            weighted.append((-quality, position, tag.strip().replace("-", "_")))
    return [tag for _, _, tag in sorted(weighted)]


def chosen(request: Request) -> str | None:
    """The language asked for in the query, if it is one of ours."""
    asked = request.query_params.get("lang", "").strip().lower()
    return asked if asked in LANGUAGES else None


def of_request(request: Request) -> str:
    kept = request.cookies.get(COOKIE)
    if chosen(request):
        return chosen(request) or DEFAULT_LANGUAGE
    if kept in LANGUAGES:
        return str(kept)
    preferred = accepted(request.headers.get("accept-language", ""))
    # Babel matches 'fr_CH' to 'fr' (no aliases: our codes are bare languages).
    found = negotiate_locale(preferred, LANGUAGES, sep="_", aliases={})
    return found or DEFAULT_LANGUAGE


def keep(request: Request, response: Response) -> None:
    """A language chosen with `?lang=` is kept for the next pages."""
    language = chosen(request)
    if language:
        response.set_cookie(COOKIE, language, max_age=YEAR, samesite="lax", httponly=True)


def translator(request: Request) -> gettext.NullTranslations:
    """The catalog of the request's language, for words made in Python (notices, errors)."""
    return translations(of_request(request))
