"""Oversight: the manager's figures (DOMAIN.md §8), the names behind each one, and the statutory
exports (SSDA903 OC3, Ofsted Annex A List 9), replayed as of any date from dated records.
Read-only: nothing here changes a young person's record, and every list starts from people.scope."""
