"""E-mail: rendered in the recipient's language when sent, delivered by a background job."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from app.jobs import enqueue, job

log = logging.getLogger(__name__)


def send_mail(to: str, subject: str, template: str, locale: str | None = None, **context) -> None:
    """Render templates/mail/<template>.txt now and queue its delivery."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = render_template(f"mail/{template}.txt", **context)
        subject = str(subject)
    enqueue("mail.deliver", to=to, subject=subject, body=body)


@job("mail.deliver")
def deliver(record, *, to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="razem")
    message.set_content(body)
    if current_app.config["MAIL_SERVER"]:
        _send_smtp(message)
    else:
        _write_to_outbox(message)


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def _write_to_outbox(message: EmailMessage) -> None:
    outbox = Path(current_app.config["MAIL_OUTBOX"])
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{message['Message-ID'].strip('<>')}.eml"
    path.write_bytes(bytes(message))
    log.warning(
        "mail to %s: %s (saved in %s)\n%s",
        message["To"],
        message["Subject"],
        path,
        message.get_content(),
    )
