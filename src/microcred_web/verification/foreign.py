"""The instance's settings for foreign issuers, as the core's guarded HTTPS fetcher.

One :class:`~microcred.verify.foreign.RemoteDocuments` (and so one cache) per distinct
configuration, shared by every request and thread of the process: the cache is what keeps a
batch of verifications from fetching the same DID document again and again.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from microcred.net.addresses import AddressPolicy, parse_networks
from microcred.net.https import FetchConfig
from microcred.verify.foreign import FetchBudget, RemoteDocuments

#: One verification's network time, in fetch deadlines (the DID document and a status list).
BUDGET_DEADLINES = 2

_SHARED: dict[FetchConfig, RemoteDocuments] = {}
_LOCK = threading.Lock()


def enabled() -> bool:
    return bool(getattr(settings, "MICROCRED_FOREIGN_DID_WEB", False))


def fetch_config() -> FetchConfig:
    """The guard's configuration from the ``MICROCRED_FOREIGN_*`` settings."""
    try:
        networks = parse_networks(getattr(settings, "MICROCRED_FOREIGN_ALLOWED_NETWORKS", []))
        return FetchConfig(
            connect_timeout=float(settings.MICROCRED_FOREIGN_CONNECT_TIMEOUT),
            read_timeout=float(settings.MICROCRED_FOREIGN_READ_TIMEOUT),
            deadline=float(settings.MICROCRED_FOREIGN_DEADLINE),
            max_bytes=int(settings.MICROCRED_FOREIGN_MAX_BYTES),
            ca_file=settings.MICROCRED_FOREIGN_CA_FILE,
            policy=AddressPolicy(networks),
            resolver=getattr(settings, "MICROCRED_FOREIGN_RESOLVER", None),
            cache_ttl=float(settings.MICROCRED_FOREIGN_CACHE_TTL),
            negative_ttl=float(settings.MICROCRED_FOREIGN_NEGATIVE_TTL),
            cache_entries=int(settings.MICROCRED_FOREIGN_CACHE_SIZE),
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"MICROCRED_FOREIGN_*: {exc}") from None


def remote_documents() -> RemoteDocuments | None:
    """The shared fetcher when foreign resolution is on, else ``None``."""
    if not enabled():
        return None
    config = fetch_config()
    with _LOCK:
        shared = _SHARED.get(config)
        if shared is None:
            if len(_SHARED) > 8:  # settings changed many times (tests): forget old caches
                _SHARED.clear()
            shared = _SHARED[config] = RemoteDocuments(config)
        return shared


def budget() -> FetchBudget | None:
    """A time budget over the shared fetcher for one verification, or ``None`` when off."""
    documents = remote_documents()
    if documents is None:
        return None
    return FetchBudget(documents, BUDGET_DEADLINES * documents.config.deadline)
