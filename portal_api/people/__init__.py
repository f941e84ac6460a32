"""Organisations, teams, staff and young people: who they are, their legal status, and who may
see them."""
