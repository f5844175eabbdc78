"""What one verification runs with: the injected resolvers, the clock and the limits.

Why a context object: the CLI, the API and the web page all call the same pipeline and
differ only in where documents come from; and tests need a fixed ``now`` to check validity
windows and key retirement reproducibly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from microcred.credentials.loader import ContextLoader, default_loader
from microcred.verify.resolvers import (
    DidResolver,
    QARegister,
    StaticDidResolver,
    StaticStatusLists,
    StatusListFetcher,
)

#: Largest credential accepted, in bytes of JSON. An OBv3 credential with an embedded badge
#: image stays well under this; more is either a mistake or an attack on canonicalisation.
MAX_CREDENTIAL_BYTES = 2 * 1024 * 1024
#: Deepest nesting accepted. OBv3 credentials nest about 8 levels.
MAX_CREDENTIAL_DEPTH = 32
#: Most JSON values (objects, arrays, scalars) accepted in one credential.
MAX_CREDENTIAL_NODES = 100_000


@dataclass(frozen=True)
class VerificationContext:
    """Resolvers, clock, JSON-LD loader and limits for :func:`verify_credential`.

    ``qa_register`` ``None`` means there is no register to consult (the ``qa`` check is
    then ``skipped``); ``now`` ``None`` means the current time at each call.
    """

    did_resolver: DidResolver = field(default_factory=StaticDidResolver)
    status_lists: StatusListFetcher = field(default_factory=StaticStatusLists)
    qa_register: QARegister | None = None
    now: datetime | None = None
    loader: ContextLoader | None = None
    max_bytes: int = MAX_CREDENTIAL_BYTES
    max_depth: int = MAX_CREDENTIAL_DEPTH
    max_nodes: int = MAX_CREDENTIAL_NODES

    def current_time(self) -> datetime:
        """``now`` as an aware UTC datetime."""
        if self.now is None:
            return datetime.now(UTC)
        if self.now.utcoffset() is None:
            return self.now.replace(tzinfo=UTC)
        return self.now.astimezone(UTC)

    def context_loader(self) -> ContextLoader:
        return self.loader if self.loader is not None else default_loader()
