"""Dashboard tests reuse the issuing fixtures: a KEK in the environment, two providers with
staff (``staff_a``, ``staff_b``), an operator, a user with no membership, a published
specification of each provider."""

from __future__ import annotations

from tests.web.issuing.conftest import (  # noqa: F401 (fixtures)
    HOST,
    IssuingWorld,
    issuing_settings,
    verify_with_instance,
    world,
)
