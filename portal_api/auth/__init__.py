"""Accounts, sign-in, sessions and invites. The ONLY package that imports fastapi_users (it is in
maintenance mode), so it can be replaced without touching the rest of the portal."""
