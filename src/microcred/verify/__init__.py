"""Verification of credentials: one pipeline, coded checks (brief, "Verification result").

Public surface: :func:`verify_credential`, the :class:`VerificationContext` it runs with,
the resolver protocols and their in-memory implementations, and the result types.
"""

from microcred.verify.checks import (
    CHECK_ORDER,
    UNCHECKED_REASONS,
    Check,
    Outcome,
    Status,
    VerificationResult,
)
from microcred.verify.context import VerificationContext
from microcred.verify.pipeline import verify_credential
from microcred.verify.resolvers import (
    DidKeyResolver,
    DidResolver,
    QARegister,
    RegisterEntry,
    StaticDidResolver,
    StaticQARegister,
    StaticStatusLists,
    StatusListFetcher,
)

__all__ = [
    "CHECK_ORDER",
    "UNCHECKED_REASONS",
    "Check",
    "DidKeyResolver",
    "DidResolver",
    "Outcome",
    "QARegister",
    "RegisterEntry",
    "StaticDidResolver",
    "StaticQARegister",
    "StaticStatusLists",
    "Status",
    "StatusListFetcher",
    "VerificationContext",
    "VerificationResult",
    "verify_credential",
]
