"""Append-only audit events and the young person's access log (the subject access export that
reads them is in ``records``). Audit events are never updated or deleted."""
