"""Messaging with the PA: one conversation per young person, live events, read receipts,
availability and out-of-hours contacts, check-ins, and notifications through an outbox.
Messages are part of the record: nothing here deletes one."""
