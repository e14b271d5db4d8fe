"""SMTP with credentials over STARTTLS and smtps://, against aiosmtpd with a test CA."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy.orm import Session, sessionmaker

from notifier.outbox import list_messages
from notifier.service import run_sweep
from notifier.transports import transport_from
from tests.notifier.conftest import MailHandler, add_contact, config_for, free_port

AS_OF = date(2026, 11, 25)
USER, PASSWORD = "cmw-notifier", "s3cret pass"


class Credentials:
    """Accepts one user and password; records who logged in."""

    def __init__(self) -> None:
        self.logged_in: list[str] = []

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            USER.encode(),
            PASSWORD.encode(),
        )
        if ok:
            self.logged_in.append(USER)
        # handled=False: the server answers the refusal itself (535).
        return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> tuple[trustme.CA, Path]:
    ca = trustme.CA()
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return ca, path


def _server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


@pytest.fixture(params=["starttls", "smtps"])
def tls_server(
    request: pytest.FixtureRequest, authority: tuple[trustme.CA, Path]
) -> Iterator[tuple[str, MailHandler, Credentials]]:
    """A server that only accepts credentials over TLS; yields the URL to reach it with them."""
    ca, ca_file = authority
    handler, credentials, port = MailHandler(), Credentials(), free_port()
    options: dict[str, Any] = {
        "authenticator": credentials,
        "auth_require_tls": True,
    }
    if request.param == "starttls":
        options |= {"tls_context": _server_context(ca), "require_starttls": True}
        url = f"smtp://{USER}:s3cret%20pass@127.0.0.1:{port}?starttls=yes&cafile={ca_file}"
    else:
        # The whole connection is TLS; aiosmtpd only counts STARTTLS as TLS for AUTH.
        options |= {"ssl_context": _server_context(ca), "auth_require_tls": False}
        url = f"smtps://{USER}:s3cret%20pass@127.0.0.1:{port}?cafile={ca_file}"
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    yield url, handler, credentials
    controller.stop()


def test_mail_goes_out_over_tls_with_credentials(
    factory: sessionmaker[Session], tls_server: tuple[str, MailHandler, Credentials]
) -> None:
    url, handler, credentials = tls_server
    add_contact(factory, "MEX", "focal@sre.example.mx", language="es")
    config = config_for(url)
    run_sweep(factory, config, AS_OF, transport_from(config))
    assert credentials.logged_in == [USER]
    assert [r.envelope_to for r in handler.received] == [["focal@sre.example.mx"]]
    with factory() as session:
        assert [m.status for m in list_messages(session)] == ["sent"]


@pytest.mark.parametrize("fault", ["wrong password", "untrusted certificate"])
def test_a_refused_login_or_an_untrusted_certificate_is_kept_as_the_error(
    factory: sessionmaker[Session],
    tls_server: tuple[str, MailHandler, Credentials],
    fault: str,
) -> None:
    url, handler, _credentials = tls_server
    add_contact(factory, "MEX", "focal@sre.example.mx")
    if fault == "wrong password":
        bad_url, expected = url.replace("s3cret%20pass", "guess"), "535"
    else:  # no cafile: the test CA is not among the system's trusted ones
        bad_url, expected = url.split("cafile=")[0].rstrip("?&"), "CERTIFICATE_VERIFY_FAILED"
    config = config_for(bad_url)
    run_sweep(factory, config, AS_OF, transport_from(config))
    with factory() as session:
        (message,) = list_messages(session)
    assert message.status == "pending"
    assert message.attempts == 1
    assert expected in (message.last_error or "")
    assert handler.received == []
