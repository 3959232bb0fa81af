"""Group-session tests use the create_session factory from tests/conftest.py."""
