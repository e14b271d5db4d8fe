"""The templates' gettext: a message without values is formatted once per language and
escaping, and every template still gets its own language's words, escaped as it escapes."""

from __future__ import annotations

from jinja2 import DictLoader, Environment, select_autoescape

from obligations import i18n_templates
from obligations.i18n import speaking

TEMPLATE = '{{ _("Dear focal point,") }} {{ _("<b>100%%</b>") }} {{ "<i>" }}'


def environment() -> Environment:
    env = Environment(
        extensions=["jinja2.ext.i18n"],
        loader=DictLoader({"mail.html": TEMPLATE, "mail.txt": TEMPLATE}),
        autoescape=select_autoescape(enabled_extensions=("html",)),
    )
    i18n_templates.install(env)
    return env


def test_a_message_without_values_in_each_language_and_escaping_alternately() -> None:
    env = environment()
    expected = {
        ("fr", "html"): "Madame, Monsieur, <b>100%</b> &lt;i&gt;",
        ("fr", "txt"): "Madame, Monsieur, <b>100%</b> <i>",
        ("en", "html"): "Dear focal point, <b>100%</b> &lt;i&gt;",
        ("en", "txt"): "Dear focal point, <b>100%</b> <i>",
        ("es", "txt"): "Estimado/a punto focal: <b>100%</b> <i>",
    }
    for _ in range(2):
        for (language, kind), text in expected.items():
            with speaking(language):
                assert env.get_template(f"mail.{kind}").render() == text
