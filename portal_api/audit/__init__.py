"""Append-only audit events, the young person's access log and the subject access export.
Audit events are never updated or deleted."""
