"""Database plumbing: the declarative base, engine and session, and the Alembic migrations."""
