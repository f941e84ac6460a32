"""Notifications: the notifier interface and its senders (GOV.UK Notify, Web Push, a recording
fake), the outbox rows written in the request's transaction and the worker that delivers them.
It knows no domain, so auth and every domain can queue a notification; it never carries message
text."""
