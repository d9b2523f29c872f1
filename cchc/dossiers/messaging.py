"""Telling the applicant about their dossier (docs/online.md §6).

After a step that concerns the applicant — an online submission accepted, a
supplement requested, an apology with a new date, the result ready, a refusal —
`tell_applicant(event_id)` (run once the step's transaction commits) sends:

- an e-mail when the applicant gave an address (Django's mail with the commune's
  SMTP settings `CCHC_EMAIL_*`), from the Vietnamese template
  `dossiers/messages/<topic>.txt` (first line the subject);
- an SMS through the sender configured by `CCHC_SMS_SENDER` (the dotted path of a
  class implementing `SmsSender`). No provider is built in or pretended: without
  one the message is logged as "not sent, SMS is off" and the pages say so.

Every message is a `CitizenMessage` row with its outcome. Its `dedupe_key`
(event + channel) is unique and written before sending, so a step is told at most
once per channel, whoever calls this twice.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from .documents import lookup_url
from .models import Action, CitizenMessage, DossierEvent, MessageChannel, MessageOutcome

# The steps the applicant is told about, and their template.
TOPICS = {
    Action.ACCEPT: "accepted",
    Action.REQUEST_SUPPLEMENT: "supplement",
    Action.APOLOGIZE: "apology",
    Action.FINISH: "result",
    Action.REFUSE: "refusal",
}
SMS_OFF = "Tin nhắn SMS đang tắt: chưa cấu hình nhà cung cấp (CCHC_SMS_SENDER)."


class SmsSender(Protocol):
    """A provider of text messages. `send` raises on failure (the message is then
    logged as failed with the error); `name` is shown on the pages."""

    name: str

    def send(self, phone: str, text: str) -> None: ...


def sms_sender() -> SmsSender | None:
    path = getattr(settings, "SMS_SENDER", "")
    return import_string(path)() if path else None


def sms_status() -> str:
    """What the pages say about SMS."""
    sender = sms_sender()
    return f"Tin nhắn SMS: gửi qua {sender.name}." if sender else SMS_OFF


def _render(topic: str, event: DossierEvent) -> tuple[str, str]:
    d = event.dossier
    text = render_to_string(
        f"dossiers/messages/{topic}.txt",
        {
            "d": d,
            "event": event,
            "commune": d.commune,
            "follow_url": lookup_url(d.code),
            "supplement": d.supplement_requests.filter(event=event).first(),
        },
    ).strip()
    subject, _, body = text.partition("\n")
    return subject.strip(), body.strip()


def _sms_text(event: DossierEvent, subject: str) -> str:
    return f"{subject}. Tra cuu: {lookup_url(event.dossier.code)}"[:320]


def _claim(event: DossierEvent, channel: str, recipient: str, subject: str, body: str, topic: str):
    """Write the message row before sending; None when this event was already told."""
    try:
        with transaction.atomic():
            return CitizenMessage.objects.create(
                dossier=event.dossier,
                event=event,
                topic=topic,
                channel=channel,
                recipient=recipient,
                subject=subject[:300],
                body=body,
                outcome=MessageOutcome.FAILED,
                error="đang gửi",
                dedupe_key=f"event:{event.pk}:{channel}",
            )
    except IntegrityError:
        return None


def _finish(message: CitizenMessage, outcome: str, error: str = "") -> CitizenMessage:
    message.outcome, message.error = outcome, error[:2000]
    message.save(update_fields=["outcome", "error"])
    return message


def tell_applicant(event_id: int) -> list[CitizenMessage]:
    """Send the messages of one step (see the module docstring); the rows written now."""
    event = (
        DossierEvent.objects.select_related("dossier__commune", "dossier__procedure")
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.action not in TOPICS:
        return []
    topic = TOPICS[event.action]
    d = event.dossier
    subject, body = _render(topic, event)
    out = []
    if d.applicant_email:
        message = _claim(event, MessageChannel.EMAIL, d.applicant_email, subject, body, topic)
        if message is not None:
            try:
                send_mail(
                    subject, body, settings.DEFAULT_FROM_EMAIL, [d.applicant_email], fail_silently=False
                )
            except Exception as exc:  # any SMTP or network error is logged, not raised
                out.append(_finish(message, MessageOutcome.FAILED, f"{type(exc).__name__}: {exc}"))
            else:
                out.append(_finish(message, MessageOutcome.SENT))
    text = _sms_text(event, subject)
    message = _claim(event, MessageChannel.SMS, d.applicant_phone, subject, text, topic)
    if message is not None:
        sender = sms_sender()
        if sender is None:
            out.append(_finish(message, MessageOutcome.OFF, SMS_OFF))
        else:
            try:
                sender.send(d.applicant_phone, text)
            except Exception as exc:  # the provider's failure is logged, not raised
                out.append(_finish(message, MessageOutcome.FAILED, f"{type(exc).__name__}: {exc}"))
            else:
                out.append(_finish(message, MessageOutcome.SENT))
    return out
