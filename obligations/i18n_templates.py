"""The catalogs in Jinja2: `_`, `gettext`, `ngettext`, `pgettext`, `npgettext` for templates
rendered inside `obligations.i18n.speaking(language)`.

They behave as jinja2.ext.i18n's "newstyle" gettext (`_("Due %(date)s", date=d)` formats, and
in an autoescaped template the message is markup and its values are escaped), but are called
directly: Jinja's own newstyle wrappers go through the context twice per message, which made a
mail several times slower to render (see bench/bench_rendering.py).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from obligations.i18n import current, translations


def _formatted(eval_ctx: EvalContext, text: str, variables: dict[str, Any]) -> str:
    # As Jinja's newstyle gettext: always formatted, so a literal percent sign is written %%.
    if eval_ctx.autoescape:
        return Markup(text) % variables
    return text % variables


# Messages without values are most of a mail's: each formatted once per language and escaping.
@lru_cache(maxsize=4096)
def _fixed(language: str, message: str, autoescape: bool) -> str:
    text = translations(language).gettext(message)
    return Markup(text) % {} if autoescape else text % {}


@pass_eval_context
def gettext(eval_ctx: EvalContext, message: str, **variables: Any) -> str:
    if not variables:
        return _fixed(current.get(), message, bool(eval_ctx.autoescape))
    return _formatted(eval_ctx, translations(current.get()).gettext(message), variables)


@pass_eval_context
def ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)
    text = translations(current.get()).ngettext(singular, plural, num)
    return _formatted(eval_ctx, text, variables)


@pass_eval_context
def pgettext(eval_ctx: EvalContext, context: str, message: str, **variables: Any) -> str:
    text = translations(current.get()).pgettext(context, message)
    return _formatted(eval_ctx, text, variables)


@pass_eval_context
def npgettext(
    eval_ctx: EvalContext, context: str, singular: str, plural: str, num: int, **variables: Any
) -> str:
    variables.setdefault("num", num)
    text = translations(current.get()).npgettext(context, singular, plural, num)
    return _formatted(eval_ctx, text, variables)


def install(environment: Environment) -> None:
    """Give an environment with the jinja2.ext.i18n extension the catalogs' callables."""
    # `{% trans %}` blocks compile to newstyle calls (values passed as keywords)...
    environment.newstyle_gettext = True  # type: ignore[attr-defined]
    # ... and policies fold a block's whitespace, as extraction (babel.cfg: trimmed) does.
    environment.policies["ext.i18n.trimmed"] = True
    environment.globals.update(
        _=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext
    )
