"""Domain-free helpers: schema bases, pagination, dates."""
