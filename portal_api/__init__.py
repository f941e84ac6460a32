"""Care leaver portal."""
