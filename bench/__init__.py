"""Benchmarks for the portal API (see bench/README.md)."""
