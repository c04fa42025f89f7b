"""End-to-end tests share the session ``baseline`` fixture from ``tests/conftest.py``."""
