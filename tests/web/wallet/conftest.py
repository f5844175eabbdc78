"""Fixtures of the wallet tests: the issuing tests' providers and published specifications."""

from tests.web.issuing.conftest import world  # noqa: F401
