"""Reusable fixtures and helpers that start real services for tests (and benchmarks): Redis, training workers."""
