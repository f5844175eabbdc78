"""The instance's public addresses: host, base URL, a provider's DID and status-list URLs.

Everything a credential names (issuer DID, status list, achievement URL) is built here, so the
web views and the signed credentials cannot disagree.

Why the database and not only the settings: a credential names its issuer
(``did:web:<host>:providers:<slug>``) and its status list (``<scheme>://<host>/status/...``)
for ever, so the host and scheme it was issued under must outlive any change of
``MICROCRED_HOST``, ``MICROCRED_DID_WEB_ALLOW_HTTP`` or ``MICROCRED_DEBUG`` (which sets the
latter's default). They are therefore recorded in :class:`InstanceIdentity` when the first
signing key is made, and from then on the recorded identity is the instance's identity: the
server, ``microcred issue`` and ``microcred verify`` all use it, whatever the shell exports.
Settings that disagree with it stop the server at start-up
(:mod:`~microcred_web.issuing.checks`) instead of being silently used.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings

from microcred.credentials.did_web import LOOPBACK_HOSTS, did_for, method_id
from microcred_web.register.models import Provider

DID_PATH = ("providers",)


@dataclass(frozen=True)
class PublicIdentity:
    """Host (with ``:port`` if not the default) and scheme of the instance's addresses."""

    host: str
    scheme: str

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.host}"

    def same_as(self, other: PublicIdentity) -> bool:
        return self.scheme == other.scheme and self.host.lower() == other.host.lower()


def allow_http_hosts() -> frozenset[str]:
    """Hosts for which did:web resolves over http: loopback only, and only when switched on."""
    return (
        LOOPBACK_HOSTS if getattr(settings, "MICROCRED_DID_WEB_ALLOW_HTTP", False) else frozenset()
    )


def configured() -> PublicIdentity:
    """The identity the settings give: ``https://<MICROCRED_HOST>``, or ``http://`` for a
    loopback host when ``MICROCRED_DID_WEB_ALLOW_HTTP`` is on."""
    name = str(settings.MICROCRED_HOST)
    scheme = "http" if name.partition(":")[0].lower() in allow_http_hosts() else "https"
    return PublicIdentity(name, scheme)


#: The recorded identity, remembered for the rest of one web request (None outside one).
#: A page that verifies a credential asks for the identity a dozen times (every DID and
#: status-list URL is compared with it); once recorded, the row never changes, so one read
#: per request is enough. Outside requests (commands, tests calling services) nothing is kept.
_per_request: ContextVar[dict[str, PublicIdentity] | None] = ContextVar(
    "microcred_identity_per_request", default=None
)


def request_started(**kwargs: object) -> None:
    _per_request.set({})


def request_finished(**kwargs: object) -> None:
    _per_request.set(None)


def recorded() -> PublicIdentity | None:
    """The identity recorded in the database, or None before the first signing key."""
    from microcred_web.issuing.models import InstanceIdentity  # models import this module

    kept = _per_request.get()
    if kept is not None and "identity" in kept:
        return kept["identity"]
    row = InstanceIdentity.objects.filter(singleton=1).values_list("host", "scheme").first()
    if row is None:
        return None
    identity = PublicIdentity(*row)
    if kept is not None:
        kept["identity"] = identity
    return identity


def current() -> PublicIdentity:
    """The instance's identity: the recorded one once there is one, else the configured one."""
    return recorded() or configured()


def record() -> PublicIdentity:
    """Record the configured identity unless one is recorded already; the recorded identity.

    Called when a signing key is made (no credential or status list exists without one), in
    the caller's transaction. The row carries its own date (``recorded``).
    """
    from microcred_web.issuing.models import InstanceIdentity

    wanted = configured()
    row, _ = InstanceIdentity.objects.get_or_create(
        singleton=1, defaults={"host": wanted.host, "scheme": wanted.scheme}
    )
    return PublicIdentity(row.host, row.scheme)


def mismatch() -> str | None:
    """Why the settings cannot be used with this database, or None when they agree."""
    kept = recorded()
    wanted = configured()
    if kept is None or kept.same_as(wanted):
        return None
    allow_http = "1" if kept.scheme == "http" else "0"
    return (
        f"this instance issued its credentials as {kept.base_url} (recorded in the database), "
        f"but the settings now give {wanted.base_url}. Every issuer DID "
        f"(did:web:{kept.host.replace(':', '%3A')}:providers:...) and status-list URL already "
        "signed names the recorded address, so the new one would orphan them all. Keep the "
        f"recorded identity: set MICROCRED_HOST={kept.host} and "
        f"MICROCRED_DID_WEB_ALLOW_HTTP={allow_http} (see docs/issuing.md, "
        '"The instance\'s identity is fixed")'
    )


def host() -> str:
    return current().host


def base_url() -> str:
    """``https://<host>`` (or ``http://`` for a loopback host in development), as recorded."""
    return current().base_url


def did_for_provider(provider: Provider) -> str:
    """``did:web:<host>:providers:<slug>`` (document at ``/providers/<slug>/did.json``)."""
    return did_for(host(), [*DID_PATH, provider.slug])


def verification_method(provider: Provider, key_id: str) -> str:
    return method_id(did_for_provider(provider), key_id)


def status_list_url(provider: Provider, purpose: str, number: int) -> str:
    """The address of a new status list; an opened list keeps the one stored on its record."""
    return f"{base_url()}/status/{provider.slug}/{purpose}/{number}"
