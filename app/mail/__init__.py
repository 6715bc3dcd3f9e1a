"""E-mail: rendered in the recipient's language when sent, delivered by a background job."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from flask import current_app, render_template, request
from flask_babel import force_locale

from app import unit_of_work
from app.extensions import db, limiter
from app.jobs import enqueue, job
from app.jobs.queue import MAIL_QUEUE
from app.mail.models import MailDelivery
from app.observability.metrics import MAIL_SENT
from app.tenancy import clock

log = logging.getLogger(__name__)

# A form anyone may send that mails an address they type could mail anyone, under the
# city's name. Each address receives few such mails whichever form or city sends them, and
# each client may send few; the limits are shared by every such form (see public_mail_form).
MAILS_TO_ONE_ADDRESS = "3 per hour;10 per day"
MAILS_FROM_ONE_CLIENT = "5 per minute;30 per hour"


def _address() -> str:
    sent = request.form.get("email") or (request.get_json(silent=True) or {}).get("email")
    return f"mail-to:{str(sent or '').strip().lower()}"


def _client() -> str:
    return f"mail-from:{request.remote_addr}"


def public_mail_form(view):
    """Rate-limit a door that anyone may use to make Razem send an e-mail: per address
    (requests naming no address send nothing and are not counted) and per client."""
    per_address = limiter.shared_limit(
        MAILS_TO_ONE_ADDRESS,
        scope="public-mail-to-address",
        key_func=_address,
        methods=["POST"],
        exempt_when=lambda: _address() == "mail-to:",
    )
    per_client = limiter.shared_limit(
        MAILS_FROM_ONE_CLIENT, scope="public-mail-from-client", key_func=_client, methods=["POST"]
    )
    return per_address(per_client(view))


@dataclass(frozen=True)
class Attachment:
    """A text file sent with an e-mail, e.g. an event's .ics (text/calendar)."""

    filename: str
    mimetype: str
    text: str


def send_mail(
    to: str,
    subject: str,
    template: str,
    locale: str | None = None,
    attachments: list[Attachment] | None = None,
    **context,
) -> None:
    """Render templates/mail/<template>.txt now and queue its delivery."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = render_template(f"mail/{template}.txt", **context)
        subject = str(subject)
    arguments: dict[str, object] = {"to": to, "subject": subject, "body": body}
    if attachments:
        arguments["attachments"] = [asdict(attachment) for attachment in attachments]
    enqueue("mail.deliver", **arguments)


@job("mail.deliver", queue=MAIL_QUEUE, timeout=120)
def deliver(
    record, *, to: str, subject: str, body: str, attachments: list[dict] | None = None
) -> None:
    delivery = db.session.get(MailDelivery, (record.id, to))
    if delivery is not None and (delivery.handed_over_at or delivery.sent_at):
        log.info("mail %s went in an earlier run of job %s", delivery.message_id, record.id)
        return
    if delivery is None:
        delivery = MailDelivery(job_id=record.id, recipient=to, message_id=f"<{record.id}@razem>")
        db.session.add(delivery)
        unit_of_work.commit()  # recorded before the server is asked to take it
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = delivery.message_id
    message.set_content(body)
    for attachment in attachments or []:
        _, subtype = attachment["mimetype"].split("/")
        message.add_attachment(attachment["text"], subtype=subtype, filename=attachment["filename"])

    def handing_over() -> None:
        delivery.handed_over_at = clock.now()
        unit_of_work.commit()

    if current_app.config["MAIL_SERVER"]:
        try:
            _send_smtp(message, handing_over)
        except (smtplib.SMTPException, OSError):
            # The server refused or the line broke, and this run lives to say so: the next
            # run sends it.
            delivery.handed_over_at = None
            unit_of_work.commit()
            raise
    else:
        handing_over()
        _write_to_outbox(message)
    delivery.sent_at = clock.now()
    unit_of_work.commit()
    MAIL_SENT.inc()
    log.info("mail %s handed over", message["Message-ID"])


def _send_smtp(message: EmailMessage, handing_over: Callable[[], None]) -> None:
    """smtplib's send_message, with `handing_over` called between the envelope and the text."""
    config = current_app.config
    sender = parseaddr(message["From"])[1]
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.ehlo_or_helo_if_needed()
        code, answer = smtp.mail(sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, answer, sender)
        code, answer = smtp.rcpt(message["To"])
        if code not in (250, 251):
            raise smtplib.SMTPRecipientsRefused({message["To"]: (code, answer)})
        handing_over()
        code, answer = smtp.data(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
        if code != 250:
            raise smtplib.SMTPDataError(code, answer)


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
        (message.get_body(("plain",)) or message).get_content(),
    )
