"""Building the notifier from settings (the edge of the app, where settings are read)."""

from __future__ import annotations

from portal_api.config import Settings
from portal_api.notifications.notifier import (
    ChannelNotifier,
    Notifier,
    NotifyNotifier,
    RecordingNotifier,
    WebPushNotifier,
)


def make_notifier(settings: Settings) -> Notifier:
    if settings.notifier == "recording":
        # Links in the log where nothing real lives and there is no phone to receive them. Not
        # in "test": the tests read them from the recording, and prove no log holds one.
        return RecordingNotifier(show_links=settings.environment in ("demo", "dev"))
    channels: dict[str, Notifier] = {}
    if settings.notify_api_key:
        notify = NotifyNotifier(settings.notify_api_key, settings.notify_templates)
        channels["sms"] = channels["email"] = notify
    if settings.vapid_private_key:
        channels["push"] = WebPushNotifier(settings.vapid_private_key, settings.vapid_contact)
    if not channels:
        raise ValueError(
            "PORTAL_NOTIFIER=live needs PORTAL_NOTIFY_API_KEY and/or PORTAL_VAPID_PRIVATE_KEY"
        )
    return ChannelNotifier(channels)
