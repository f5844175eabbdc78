"""Foreign issuers over HTTPS: a ``did:web`` resolver and a status-list fetcher.

Off unless a caller builds them: the core pipeline stays offline by default, and the web
layer (setting ``MICROCRED_FOREIGN_DID_WEB``) or ``microcred verify --online`` opts in. Both
fetch through :func:`microcred.net.fetch_json` (the SSRF guard, time and size limits, no
redirects) behind one shared :class:`RemoteDocuments` cache.

did:web, https://w3c-ccg.github.io/did-method-web/ §3.3.2 "Read (Resolve)": the DID
becomes an https URL (:func:`microcred.credentials.did_web.did_to_url`: ``/.well-known/
did.json`` without a path, ``/<path>/did.json`` with one, ``%3A`` for a port), the
document is fetched, and its ``id`` must equal the DID — otherwise a server could hand out
another issuer's document as its own.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Protocol

from microcred.credentials import did_key
from microcred.credentials.did_web import DID_WEB_PREFIX, did_to_url
from microcred.credentials.errors import DidResolutionError
from microcred.net.cache import ExpiringCache
from microcred.net.errors import FetchError
from microcred.net.https import FetchConfig, fetch_json

DID_ACCEPT = "application/did+json, application/did+ld+json;q=0.9, application/json;q=0.8"
STATUS_ACCEPT = "application/vc+ld+json, application/vc+json;q=0.9, application/json;q=0.8"


class ForeignDidError(DidResolutionError):
    """A foreign DID document that could not be fetched or is not the DID's, with a code.

    Codes: the :class:`~microcred.net.errors.FetchError` codes (``fetch-timeout``, ...),
    ``did-document-mismatch`` and ``did-document-malformed``.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class DocumentSource(Protocol):
    """Where the resolvers get a JSON value by URL (raises :class:`FetchError`)."""

    def get(self, url: str, accept: str) -> Any: ...


class RemoteDocuments:
    """Guarded fetches with a cache: successes for ``cache_ttl`` (or the server's shorter
    ``max-age``), failures for ``negative_ttl``; safe to share between threads."""

    def __init__(self, config: FetchConfig) -> None:
        self.config = config
        self._cache: ExpiringCache[tuple[str, Any]] = ExpiringCache(config.cache_entries)

    def get(self, url: str, accept: str, *, deadline: float | None = None) -> Any:
        """The JSON value at ``url`` (a private copy), or raise :class:`FetchError`.

        ``deadline`` (seconds) shortens the configured one for this fetch (a budget).
        """
        hit, entry = self._cache.get(url)
        if hit and entry is not None:
            kind, value = entry
            if kind == "error":
                raise FetchError(*value)
            return copy.deepcopy(value)
        config = self.config
        if deadline is not None and deadline < config.deadline:
            config = replace(config, deadline=deadline)
        try:
            fetched = fetch_json(url, config, accept=accept)
        except FetchError as exc:
            self._cache.put(url, ("error", (exc.code, exc.message)), self.config.negative_ttl)
            raise
        ttl = self.config.cache_ttl
        if fetched.max_age is not None:
            ttl = min(ttl, fetched.max_age)
        self._cache.put(url, ("ok", fetched.document), ttl)
        return copy.deepcopy(fetched.document)

    def clear(self) -> None:
        self._cache.clear()


class FetchBudget:
    """One verification's share of network time over a shared :class:`RemoteDocuments`.

    Why: a credential may name many status lists (and each list's issuer again); without a
    budget, a credential with fifty entries on slow servers would hold a web worker for fifty
    deadlines. Cached documents cost nothing; once ``seconds`` of fetching are spent, further
    fetches fail at once with ``fetch-timeout``.
    """

    def __init__(self, documents: RemoteDocuments, seconds: float) -> None:
        self._documents = documents
        self._left = seconds
        self._lock = threading.Lock()

    def get(self, url: str, accept: str) -> Any:
        with self._lock:
            left = self._left
        if left <= 0:
            raise FetchError(
                "fetch-timeout", f"{url} was not fetched: this verification's time is spent"
            )
        started = time.monotonic()
        try:
            return self._documents.get(url, accept, deadline=left)
        finally:
            with self._lock:
                self._left -= time.monotonic() - started


class DidWebResolver:
    """``did:web`` over HTTPS (and ``did:key`` from the DID itself)."""

    def __init__(self, documents: DocumentSource) -> None:
        self._documents = documents

    def resolve(self, did: str) -> Mapping[str, Any]:
        if isinstance(did, str) and did.startswith(did_key.DID_KEY_PREFIX):
            return did_key.resolve(did)
        if not isinstance(did, str) or not did.startswith(DID_WEB_PREFIX):
            raise DidResolutionError(f"{did!r} is neither did:web nor did:key: not resolvable")
        url = did_to_url(did)
        try:
            document = self._documents.get(url, DID_ACCEPT)
        except FetchError as exc:
            raise ForeignDidError(
                exc.code, f"the DID document at {url} could not be fetched: {exc.message}"
            ) from None
        if not isinstance(document, Mapping):
            raise ForeignDidError(
                "did-document-malformed", f"the DID document at {url} is not a JSON object"
            )
        if document.get("id") != did:
            raise ForeignDidError(
                "did-document-mismatch",
                f"the DID document at {url} is about {document.get('id')!r}, not {did!r}",
            )
        return document


class RemoteStatusLists:
    """Status-list credentials over HTTPS; a failure raises :class:`FetchError` with its code
    (the status check reports it as ``status-list-unavailable`` with that ``cause``)."""

    def __init__(self, documents: DocumentSource) -> None:
        self._documents = documents

    def fetch(self, url: str) -> Mapping[str, Any] | None:
        value = self._documents.get(url, STATUS_ACCEPT)
        if not isinstance(value, Mapping):
            raise FetchError("fetch-not-json", f"the status list at {url} is not a JSON object")
        return value
