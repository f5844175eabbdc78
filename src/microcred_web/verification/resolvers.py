"""Database-backed resolvers for the core verify pipeline: this instance's own providers.

The core pipeline (:mod:`microcred.verify`) never touches the network or a database; it is
handed three small objects. These answer from this instance's database for what this
instance itself publishes, and — only when ``MICROCRED_FOREIGN_DID_WEB`` is on — hand every
*other* host's DID or status list to the core's guarded HTTPS resolvers
(:mod:`microcred.verify.foreign`). An address on this instance's own host is never fetched
over the network: what is not in the database does not exist.

- :class:`InstanceDidResolver`: ``did:web:<MICROCRED_HOST>:providers:<slug>`` -> the DID
  document the instance serves at ``/providers/<slug>/did.json`` (every key the provider ever
  used, retired ones marked), built by :func:`microcred_web.issuing.keys.did_document`;
  ``did:key`` is resolved from the DID itself; anything else is "cannot be resolved here".
- :class:`InstanceStatusLists`: the address stored on a status list (``<base
  URL>/status/<slug>/<purpose>/<n>`` when it was opened) -> the signed list credential the
  instance serves there; any other URL is "not available here" (the
  pipeline then reports "could not be checked": not verified, never "ok").
- :class:`InstanceQARegister`: an issuer DID of one of this instance's providers -> the
  provider's name and its QA results from the register; any other issuer is unknown.

With foreign resolution off, nothing is fetched from the network, so a foreign ``did:web``
issuer fails closed (the ``issuer`` check is an error), as the brief's trust model requires.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from microcred.credentials.did_key import DID_KEY_PREFIX
from microcred.credentials.did_web import DID_WEB_PREFIX, parse_did
from microcred.credentials.errors import CredentialError, DidResolutionError
from microcred.credentials.keystore import KeystoreError
from microcred.register.standing import QAResult as CoreResult
from microcred.verify.foreign import DidWebResolver, RemoteStatusLists
from microcred.verify.resolvers import DidKeyResolver, RegisterEntry
from microcred_web.issuing import identity
from microcred_web.issuing.errors import IssuingError
from microcred_web.register.models import Provider
from microcred_web.register.services import to_core_result


def provider_for_did(did: str) -> Provider | None:
    """The provider of this instance whose issuer DID is ``did``, else ``None``."""
    if not isinstance(did, str) or not did.startswith(DID_WEB_PREFIX):
        return None
    try:
        host, segments = parse_did(did)
    except CredentialError:
        return None
    if host.lower() != identity.host().lower():
        return None
    if len(segments) != len(identity.DID_PATH) + 1 or tuple(segments[:-1]) != identity.DID_PATH:
        return None
    provider = Provider.objects.filter(slug=segments[-1]).first()
    if provider is None or identity.did_for_provider(provider) != did:
        return None
    return provider


def _own_host(host: str) -> bool:
    return host.lower() == identity.host().lower()


def _did_host(did: str) -> str | None:
    try:
        return parse_did(did)[0]
    except CredentialError:
        return None


class InstanceDidResolver:
    """``did:key`` from the DID itself; ``did:web`` of this instance's providers from the DB;
    another host's ``did:web`` through ``foreign`` when given (else "cannot be resolved")."""

    def __init__(self, foreign: DidWebResolver | None = None) -> None:
        self._did_key = DidKeyResolver()
        self._foreign = foreign

    def resolve(self, did: str) -> Mapping[str, Any]:
        if isinstance(did, str) and did.startswith(DID_KEY_PREFIX):
            return self._did_key.resolve(did)
        from microcred_web.issuing import keys  # the issuing app owns the key records
        from microcred_web.issuing.models import ProviderKey

        host = _did_host(did) if isinstance(did, str) else None
        if self._foreign is not None and host is not None and not _own_host(host):
            return self._foreign.resolve(did)
        provider = provider_for_did(did)
        if provider is None:
            raise DidResolutionError(
                f"{did!r} is not a provider of this instance and cannot be resolved here "
                "(verification does not use the network)"
            )
        if not ProviderKey.objects.filter(provider=provider).exists():
            raise DidResolutionError(f"{did!r} has no issuer keys on this instance")
        return keys.did_document(provider)


class InstanceStatusLists:
    """Status-list credentials served by this instance, read from the database; another
    host's through ``foreign`` when given (else "not available here")."""

    def __init__(self, foreign: RemoteStatusLists | None = None) -> None:
        self._foreign = foreign

    def fetch(self, url: str) -> Mapping[str, Any] | None:
        from microcred_web.issuing import status  # the issuing app owns the lists

        # By the address stored on the list (the one its credentials name), not by the
        # settings: a list keeps the address it was opened under.
        record = status.find_list_at(url)
        if record is None:
            host = urlsplit(url).netloc if isinstance(url, str) else ""
            if self._foreign is not None and host and not _own_host(host):
                return self._foreign.fetch(url)
            return None
        try:
            return status.signed_list(record)
        except (KeystoreError, IssuingError):
            # Never signed since its last change, and no KEK here to sign it (a shell without
            # the service's environment): not available, rather than an internal error.
            return None


class InstanceQARegister:
    """The register of this instance: issuer DID -> provider -> its QA results."""

    def lookup(self, issuer: str) -> RegisterEntry | None:
        provider = provider_for_did(issuer)
        if provider is None:
            return None
        results = provider.qa_results.select_related("agency").prefetch_related(
            "covered_specifications"
        )
        return RegisterEntry(provider.name(), tuple(_with_urls(to_core_result(r)) for r in results))


def _with_urls(result: CoreResult) -> CoreResult:
    """Let a programme review match a credential, whose achievement id is the catalogue URL.

    The register names covered specifications by public id; a credential issued here names
    its specification by ``<base URL>/catalogue/specifications/<public id>/`` (see
    :mod:`microcred_web.issuing.issue`). Both spellings are accepted.
    """
    if not result.covered_specifications:
        return result
    base = identity.base_url()
    urls = {f"{base}/catalogue/specifications/{pid}/" for pid in result.covered_specifications}
    return replace(result, covered_specifications=result.covered_specifications | urls)
