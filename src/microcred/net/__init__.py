"""Guarded HTTPS fetching of public JSON documents (foreign DID documents and status lists).

The verify pipeline itself never touches the network; a caller that wants foreign
``did:web`` issuers resolved hands it resolvers built on :func:`fetch_json` (see
:mod:`microcred.verify.foreign`). Everything about *how* a document may be fetched lives
here, in one place: which addresses may be contacted (:mod:`microcred.net.addresses`), the
HTTPS request with its time and size limits (:mod:`microcred.net.https`) and the cache
(:mod:`microcred.net.cache`). Standard library only — see
docs/decisions/0011-foreign-did-web-http-client.md.
"""

from microcred.net.addresses import AddressPolicy
from microcred.net.cache import ExpiringCache
from microcred.net.errors import FetchError
from microcred.net.https import FetchConfig, Fetched, fetch_json

__all__ = ["AddressPolicy", "ExpiringCache", "FetchConfig", "FetchError", "Fetched", "fetch_json"]
