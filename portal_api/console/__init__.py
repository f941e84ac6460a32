"""The staff console's composite reads: a case's overview in one audited read, and the caseload
with what a PA scans for. Each reads several domains, so it sits above them."""
