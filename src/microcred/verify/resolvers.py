"""What the verify pipeline needs from the outside world, as small injectable protocols.

Why injected: the core never touches the network or a database (brief, trust model and
architecture). The CLI supplies documents from files, the web layer supplies this
instance's own providers from its database, tests supply dictionaries — and the one
pipeline behaves the same for all of them. The simple in-memory implementations here are
complete for ``did:key`` issuers and for any document handed over in advance; foreign
``did:web`` issuers over HTTPS are :mod:`microcred.verify.foreign` (opt-in).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple, Protocol

from microcred.credentials import did_key
from microcred.credentials.errors import DidResolutionError
from microcred.register.standing import QAResult


class DidResolver(Protocol):
    """Resolves a DID (no fragment) to its DID document, or raises DidResolutionError."""

    def resolve(self, did: str) -> Mapping[str, Any]: ...


class StatusListFetcher(Protocol):
    """Dereferences a ``statusListCredential`` URL; ``None`` when it is not available.

    A fetcher that tried and failed may raise :class:`microcred.net.FetchError` instead, so
    that the status check can say why (its ``cause``).
    """

    def fetch(self, url: str) -> Mapping[str, Any] | None: ...


class RegisterEntry(NamedTuple):
    """What the register knows of an issuer: its provider name and external QA results."""

    provider: str
    results: Sequence[QAResult]


class QARegister(Protocol):
    """Looks an issuer DID up in the register of providers; ``None`` when it is unknown."""

    def lookup(self, issuer: str) -> RegisterEntry | None: ...


class DidKeyResolver:
    """``did:key`` (Ed25519), resolved from the DID itself: no lookup, works offline."""

    def resolve(self, did: str) -> Mapping[str, Any]:
        return did_key.resolve(did)


class StaticDidResolver:
    """DID documents given in advance (this instance's providers, ``--did-document``, tests).

    A DID with no document here goes to ``fallback`` when one is given (another resolver,
    e.g. an instance's own); without one, ``did:key`` DIDs are resolved from the DID itself
    and any other is refused. A document whose ``id`` is not the DID it is registered under
    is refused: it would let one issuer's document vouch for another's keys.
    """

    def __init__(
        self,
        documents: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        fallback: DidResolver | None = None,
    ) -> None:
        self._documents = dict(documents or {})
        self._fallback = fallback

    def add(self, document: Mapping[str, Any]) -> None:
        """Register a document under its own ``id``."""
        identifier = document.get("id")
        if not isinstance(identifier, str):
            raise ValueError("a DID document needs an 'id'")
        self._documents[identifier] = document

    def resolve(self, did: str) -> Mapping[str, Any]:
        document = self._documents.get(did)
        if document is None:
            if self._fallback is not None:
                return self._fallback.resolve(did)
            if did.startswith(did_key.DID_KEY_PREFIX):
                return did_key.resolve(did)
            raise DidResolutionError(
                f"{did!r} cannot be resolved here (no DID document for it; verification "
                "does not use the network)"
            )
        if document.get("id") != did:
            raise DidResolutionError(f"the DID document given for {did!r} is about another DID")
        return document


class StaticStatusLists:
    """Status list credentials given in advance, by URL; others are asked of ``fallback``."""

    def __init__(
        self,
        lists: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        fallback: StatusListFetcher | None = None,
    ) -> None:
        self._lists = dict(lists or {})
        self._fallback = fallback

    def fetch(self, url: str) -> Mapping[str, Any] | None:
        found = self._lists.get(url)
        if found is None and self._fallback is not None:
            return self._fallback.fetch(url)
        return found


class FirstDidResolver:
    """Each resolver in turn; the first document wins, else the last resolver's error.

    Used by ``microcred verify --online`` next to an instance: the instance's own providers
    first, then the network for every other issuer.
    """

    def __init__(self, *resolvers: DidResolver) -> None:
        if not resolvers:
            raise ValueError("at least one resolver")
        self._resolvers = resolvers

    def resolve(self, did: str) -> Mapping[str, Any]:
        failure: DidResolutionError | None = None
        for resolver in self._resolvers:
            try:
                return resolver.resolve(did)
            except DidResolutionError as exc:
                failure = exc
        assert failure is not None
        raise failure


class FirstStatusLists:
    """Each fetcher in turn; the first list found wins (``None`` when none has it)."""

    def __init__(self, *fetchers: StatusListFetcher) -> None:
        self._fetchers = fetchers

    def fetch(self, url: str) -> Mapping[str, Any] | None:
        for fetcher in self._fetchers:
            found = fetcher.fetch(url)
            if found is not None:
                return found
        return None


class StaticQARegister:
    """A register held in memory: issuer DID -> (provider name, QA results)."""

    def __init__(self, entries: Mapping[str, tuple[str, Sequence[QAResult]]] | None = None) -> None:
        self._entries = {
            issuer: RegisterEntry(name, tuple(results))
            for issuer, (name, results) in (entries or {}).items()
        }

    def lookup(self, issuer: str) -> RegisterEntry | None:
        return self._entries.get(issuer)
