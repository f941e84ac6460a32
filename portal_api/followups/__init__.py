"""Follow-ups: what a young person asked for that their PA must act on. Resolved, never deleted."""
