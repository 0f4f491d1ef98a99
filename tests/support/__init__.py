"""Reusable fixtures and helpers that start real services for tests (and benchmarks): Redis, training workers,
PostgreSQL (postgres_server.py), and a made-up class handwriting (handwriting.py)."""
