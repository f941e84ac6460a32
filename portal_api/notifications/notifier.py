"""Sending notifications: GOV.UK Notify (SMS, email) and Web Push, behind one interface, with a
recording fake for tests and the demo. Notifications never carry message text."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from typing import Protocol

import requests

from portal_api.models import NotificationOutbox

logger = logging.getLogger(__name__)

# What each template says. A phone's lock screen is not private: no names of places, no text.
TEXTS = {
    "new_message_for_young_person": "You have a new message from your PA.",
    "new_message_for_staff": "A young person has sent you a message.",
    "need_help_now": "A young person has asked for help now. Open the portal.",
    "check_in_due": "How are you doing? Your PA has asked for a quick check-in.",
    "concern_for_staff": "A young person has raised a concern about where they live.",
    "urgent_concern_for_staff": "A young person has raised an urgent concern about where they "
    "live. Open the portal.",
    # Links for one person only, sent to an address (``payload["to"]``), never to staff.
    "invite": "{council}: your personal adviser has invited you to your app. Choose a password "
    "with this link within {hours} hours: {link}",
    "password_reset": "{council}: to choose a new password for your app, open this link within "
    "{minutes} minutes: {link} If you did not ask for it, ignore this message.",
}
# The outbox payload key that holds a link with a token in it: sent, then wiped from the row
# (audit.export leaves out payload keys like it, too).
SECRET_LINK = "secret_link"  # noqa: S105 - a payload key, not a secret
# The outbox payload key listing the ways to try if no phone takes a push (never sent on).
FALLBACK = "then"


class NotifierError(Exception):
    """A send failed; ``gone`` means the address no longer exists (remove the push subscription)."""

    def __init__(self, message: str, *, gone: bool = False) -> None:
        super().__init__(message)
        self.gone = gone


@dataclass(frozen=True)
class Delivery:
    channel: str  # sms, email, push
    to: str  # phone number, email address, or push endpoint
    template: str
    text: str
    keys: dict[str, str] = field(default_factory=dict)  # push: p256dh, auth
    # Notify fills ((name)) placeholders in its template from these (a reset link, say).
    personalisation: dict[str, str] = field(default_factory=dict)
    # The recipient's language: a push carries only the template and this, and the app's
    # service worker words it from its own catalogue (en, ar, ps).
    lang: str = "en"


class Notifier(Protocol):
    async def send(self, delivery: Delivery) -> None: ...


class RecordingNotifier:
    """Keeps what would have been sent (tests and the demo); can be told to fail.

    With ``show_links`` (the demo and development: see ``wiring``) an invite or reset link is
    written to the log, since there is no phone to receive it; nowhere else, because the link
    signs someone in."""

    def __init__(self, *, show_links: bool = False) -> None:
        self.sent: list[Delivery] = []
        self.fail_next: list[NotifierError] = []
        self.show_links = show_links

    async def send(self, delivery: Delivery) -> None:
        if self.fail_next:
            raise self.fail_next.pop(0)
        self.sent.append(delivery)
        link = delivery.personalisation.get("link")
        if self.show_links and link:
            logger.warning(
                "not sent (recording notifier): %s by %s to %s: %s",
                delivery.template,
                delivery.channel,
                delivery.to,
                link,
            )


class NotifyNotifier:
    """GOV.UK Notify: each template is set up in Notify with the text above; we pass its id."""

    def __init__(self, api_key: str, template_ids: dict[str, str]) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        self._client = NotificationsAPIClient(api_key)  # type: ignore[no-untyped-call,unused-ignore]
        self._templates = template_ids

    async def send(self, delivery: Delivery) -> None:
        from notifications_python_client.errors import HTTPError

        # A Notify template is an SMS or an email template: what goes either way (an invite, a
        # reset link) is set up twice, as ``invite_sms`` and ``invite_email``.
        template_id = self._templates.get(
            f"{delivery.template}_{delivery.channel}"
        ) or self._templates.get(delivery.template)
        if template_id is None:
            raise NotifierError(f"no Notify template id for {delivery.template}")
        call = (
            self._client.send_sms_notification
            if delivery.channel == "sms"
            else self._client.send_email_notification
        )
        target = (
            {"phone_number": delivery.to}
            if delivery.channel == "sms"
            else {"email_address": delivery.to}
        )
        try:
            # The client is synchronous (requests): keep it off the event loop.
            await asyncio.to_thread(
                call,
                template_id=template_id,
                personalisation=delivery.personalisation or None,
                **target,
            )
        except HTTPError as exc:
            raise NotifierError(f"Notify said {exc.status_code}") from exc


class WebPushNotifier:
    def __init__(self, vapid_private_key: str, contact: str) -> None:
        self._key = vapid_private_key
        self._claims = {"sub": contact}

    async def send(self, delivery: Delivery) -> None:
        from pywebpush import WebPushException, webpush

        try:
            await asyncio.to_thread(
                webpush,
                subscription_info={"endpoint": delivery.to, "keys": delivery.keys},
                # Never text, not even ours: the phone words it in the young person's language.
                data=json.dumps({"template": delivery.template, "lang": delivery.lang}),
                vapid_private_key=self._key,
                vapid_claims=dict(self._claims),
                timeout=10,
            )
        except WebPushException as exc:
            status = exc.response.status_code if exc.response is not None else None
            raise NotifierError(f"push service said {status}", gone=status in (404, 410)) from exc
        except (OSError, requests.RequestException) as exc:
            # Unreachable push service: a failed try like any other, retried later.
            raise NotifierError(f"push service unreachable: {type(exc).__name__}") from exc


class ChannelNotifier:
    """Routes each delivery to the notifier for its channel."""

    def __init__(self, by_channel: dict[str, Notifier]) -> None:
        self._by_channel = by_channel

    async def send(self, delivery: Delivery) -> None:
        notifier = self._by_channel.get(delivery.channel)
        if notifier is None:
            raise NotifierError(f"no notifier set up for {delivery.channel}")
        await notifier.send(delivery)


def personalisation_for(row: NotificationOutbox) -> dict[str, str]:
    """What fills the template's ((placeholders)): the payload, with its link as ``link``."""
    fields = {k: str(v) for k, v in row.payload.items() if k not in ("to", SECRET_LINK, FALLBACK)}
    if SECRET_LINK in row.payload:
        fields["link"] = str(row.payload[SECRET_LINK])
    return fields


def text_for(row: NotificationOutbox) -> str:
    text = TEXTS.get(row.template, "You have a new notification in the portal.")
    fields = personalisation_for(row)
    return text.format_map(fields) if "{" in text else text
