"""Fixtures for the wallet tests: the issuing tests' settings (a KEK in the environment, the
host; autouse) and their ``world`` (providers with staff, published specifications)."""

from tests.web.issuing.conftest import issuing_settings, world  # noqa: F401
