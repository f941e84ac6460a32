"""Whole records in and out: the import from a case-management system and the young person's
subject access export. They read and write many domains, so they sit above them; nothing below
imports from here."""
