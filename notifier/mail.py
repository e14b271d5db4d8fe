"""An outbox message as an e-mail: multipart text and HTML, with its CSV attachment if any."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

from notifier.config import NotifierConfig
from notifier.models import OutboxMessage
from notifier.outbox import addresses


def build_email(row: OutboxMessage, config: NotifierConfig) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config.mail_from
    message["To"] = ", ".join(addresses(row.to_addresses))
    cc = addresses(row.cc_addresses)
    if cc:
        message["Cc"] = ", ".join(cc)
    if config.secretariat and row.kind != "digest":
        message["Reply-To"] = ", ".join(config.secretariat)
    message["Subject"] = row.subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = row.message_id
    # RFC 3834: automatic mail; vacation responders should not answer it.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row.body_text)
    message.add_alternative(row.body_html, subtype="html")
    # After the parts are set: set_content() drops any Content-* header set before it.
    message["Content-Language"] = row.language
    if row.attachment_name and row.attachment_text is not None:
        message.add_attachment(
            row.attachment_text.encode("utf-8"),
            maintype="text",
            subtype="csv",
            filename=row.attachment_name,
        )
    return message
