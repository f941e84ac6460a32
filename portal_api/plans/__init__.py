"""Pathway plans: versions written with the young person, actions with owners and dates, the
young person's response, review dates, receipt of a copy, and the PDF. An agreed version is never
changed: a review makes a new version."""
