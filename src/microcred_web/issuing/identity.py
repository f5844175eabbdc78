"""The instance's public addresses: host, base URL, a provider's DID and status-list URLs.

Everything a credential names (issuer DID, status list) is built here from the settings
``MICROCRED_HOST`` and ``MICROCRED_DID_WEB_ALLOW_HTTP``, so the web views and the signed
credentials cannot disagree.
"""

from __future__ import annotations

from django.conf import settings

from microcred.credentials.did_web import LOOPBACK_HOSTS, did_for, method_id
from microcred_web.register.models import Provider

DID_PATH = ("providers",)


def host() -> str:
    return str(settings.MICROCRED_HOST)


def allow_http_hosts() -> frozenset[str]:
    """Hosts for which did:web resolves over http: loopback only, and only when switched on."""
    return (
        LOOPBACK_HOSTS if getattr(settings, "MICROCRED_DID_WEB_ALLOW_HTTP", False) else frozenset()
    )


def base_url() -> str:
    """``https://<host>``, or ``http://`` for a loopback host when the dev flag is on."""
    name = host().partition(":")[0].lower()
    scheme = "http" if name in allow_http_hosts() else "https"
    return f"{scheme}://{host()}"


def did_for_provider(provider: Provider) -> str:
    """``did:web:<host>:providers:<slug>`` (document at ``/providers/<slug>/did.json``)."""
    return did_for(host(), [*DID_PATH, provider.slug])


def verification_method(provider: Provider, key_id: str) -> str:
    return method_id(did_for_provider(provider), key_id)


def status_list_url(provider: Provider, purpose: str, number: int) -> str:
    return f"{base_url()}/status/{provider.slug}/{purpose}/{number}"
