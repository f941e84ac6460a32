"""Messaging with the PA: one conversation per young person, live events, read receipts,
availability and out-of-hours contacts, and check-ins; notifications are queued through
``notifications``. Messages are part of the record: nothing here deletes one."""
