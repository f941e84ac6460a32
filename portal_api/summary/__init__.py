"""The phone's home screen: one call, one query, composed from every domain's piece of it.
It only reads; each piece belongs to its own domain."""
