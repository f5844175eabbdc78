"""``did:web``: a provider's issuer identity on the instance's own host, with its key history.

Why ``did:web``: a provider's identity is then tied to a domain it (through the instance)
controls, and its DID document is one HTTPS GET away for any verifier. Why a key *history*:
the brief's trust model asks that a credential signed years ago still verifies after the
provider rotated its key ("available over time"), so the DID document keeps every key it
ever used. A retired key stays in ``verificationMethod`` with ``revoked`` set to the moment
of retirement and is taken out of ``assertionMethod`` / ``authentication``; a verifier then
accepts it only for proofs ``created`` before that moment.

Specs:

- did:web, https://w3c-ccg.github.io/did-method-web/ — §3.2 "DID Method Specification"
  (the method-specific identifier: host, ``%3A``-encoded port, ``:``-separated path) and
  §3.3.2 "Read (Resolve)" (``/.well-known/did.json`` without a path, ``/<path>/did.json``
  with one; HTTPS only);
- Controlled Identifiers 1.0, https://www.w3.org/TR/cid-1.0/#verification-methods — the
  ``revoked`` and ``expires`` properties of a verification method (proofs at or after either
  instant are not to be verified), https://www.w3.org/TR/cid-1.0/#Multikey for ``Multikey``.

CID 1.0 defines no creation date for a verification method, yet a verifier must refuse a
proof that claims to predate the key (a forged backdated credential). The document therefore
carries ``created`` on each method, defined by a small inline context as Dublin Core
``created`` (the term Data Integrity proofs already use), so the document stays valid,
fully-defined JSON-LD.

Nothing here touches the network: fetching a document is the web layer's business (and the
verify pipeline takes documents through an injected resolver).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, unquote

from microcred.credentials.did_key import DID_CONTEXT, MULTIKEY_CONTEXT
from microcred.credentials.errors import CredentialError, DidResolutionError
from microcred.credentials.keys import PublicKey

DID_WEB_PREFIX = "did:web:"
#: Inline context defining the per-key ``created`` (see the module docstring).
KEY_CREATED_CONTEXT: Mapping[str, Any] = {
    "created": {
        "@id": "http://purl.org/dc/terms/created",
        "@type": "http://www.w3.org/2001/XMLSchema#dateTime",
    }
}
#: Relationships a microcred DID document grants its active key(s).
ACTIVE_RELATIONSHIPS = ("assertionMethod", "authentication")
#: Hosts for which plain ``http`` may be switched on (local development only, issue 4).
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1"})
#: Clock skew tolerated between a signer's and a verifier's clock.
CLOCK_SKEW = timedelta(minutes=5)

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_PORT = re.compile(r"[0-9]{1,5}")
#: DID Core ``idchar``: ALPHA / DIGIT / "." / "-" / "_" / pct-encoded.
_ID_SEGMENT = re.compile(r"(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})+")


class KeyStateError(DidResolutionError):
    """A verification method that exists but may not be used for this proof, with a code.

    Codes: ``verification-method-not-found``, ``verification-method-malformed``,
    ``controller-mismatch``, ``key-not-authorised``, ``key-not-yet-created``,
    ``key-revoked``, ``key-expired``, ``proof-created-missing``,
    ``proof-created-in-future``.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class KeyRecord:
    """One key a provider has used: its fragment (``key-1``), public key and lifetime.

    ``retired`` is ``None`` for the active key. A key is never deleted from the history.
    """

    key_id: str
    public_key_multibase: str
    created: datetime
    retired: datetime | None = None


# --- identifiers ------------------------------------------------------------------------


def did_for(host: str, path_segments: Sequence[str] = ()) -> str:
    """The ``did:web`` DID for ``host`` (``name`` or ``name:port``) and path segments.

    did:web §3.2: the port's colon is percent-encoded (``%3A``) because ``:`` separates path
    segments; each segment is percent-encoded to DID Core ``idchar``. E.g.
    ``did_for("example.com:8443", ["providers", "acme"])`` is
    ``did:web:example.com%3A8443:providers:acme``.
    """
    name, port = _split_host(host)
    encoded_host = name.lower() + (f"%3A{port}" if port else "")
    segments = []
    for segment in path_segments:
        _check_segment(segment)
        segments.append(quote(segment, safe="").replace("~", "%7E"))
    return ":".join([DID_WEB_PREFIX + encoded_host, *segments])


def did_to_url(did: str, *, allow_http_hosts: Collection[str] = ()) -> str:
    """The URL of the DID document of a ``did:web`` DID (did:web §3.3.2, Read).

    ``did:web:example.com`` -> ``https://example.com/.well-known/did.json``;
    ``did:web:example.com:a:b`` -> ``https://example.com/a/b/did.json``. Plain ``http`` only
    for hosts named in ``allow_http_hosts``, which may only hold ``localhost`` and
    ``127.0.0.1`` (a development setting, off by default, issue 4). Raises
    :class:`DidResolutionError` for anything that is not a well-formed ``did:web`` DID.
    """
    bad_http = set(allow_http_hosts) - LOOPBACK_HOSTS
    if bad_http:
        raise ValueError(
            f"http is allowed only for {sorted(LOOPBACK_HOSTS)}, not {sorted(bad_http)}"
        )
    host, segments = parse_did(did)
    name, _ = _split_host(host)
    scheme = "http" if name.lower() in allow_http_hosts else "https"
    path = "/".join(quote(segment, safe="") for segment in segments)
    return f"{scheme}://{host}/{path + '/' if path else '.well-known/'}did.json"


def parse_did(did: str) -> tuple[str, list[str]]:
    """``(host[:port], [decoded path segments])`` of a ``did:web`` DID (no fragment, query)."""
    if not isinstance(did, str) or not did.startswith(DID_WEB_PREFIX):
        raise DidResolutionError(f"{did!r} is not a did:web DID")
    parts = did[len(DID_WEB_PREFIX) :].split(":")
    for part in parts:
        if not _ID_SEGMENT.fullmatch(part):
            raise DidResolutionError(f"{did!r}: {part!r} is not a valid did:web segment")
    host = unquote(parts[0])
    try:
        _split_host(host)
    except ValueError as error:
        raise DidResolutionError(f"{did!r}: {error}") from None
    segments = [unquote(part) for part in parts[1:]]
    for segment in segments:
        try:
            _check_segment(segment)
        except ValueError as error:
            raise DidResolutionError(f"{did!r}: {error}") from None
    return host, segments


def _split_host(host: str) -> tuple[str, str]:
    name, colon, port = host.partition(":")
    if not _HOST.fullmatch(name) or len(name) > 253:
        raise ValueError(f"{host!r} is not a host name")
    if colon and (not _PORT.fullmatch(port) or not 0 < int(port) < 65536):
        raise ValueError(f"{host!r} has an invalid port")
    return name, port


def _check_segment(segment: str) -> None:
    if not segment or segment in (".", "..") or "/" in segment:
        raise ValueError(f"path segment {segment!r} is empty, a dot segment or holds '/'")


# --- the DID document -------------------------------------------------------------------


def method_id(did: str, key_id: str) -> str:
    """The verification method id, ``<did>#<key_id>``."""
    return f"{did}#{key_id}"


def build_did_document(did: str, keys: Iterable[KeyRecord]) -> dict[str, Any]:
    """The DID document of ``did`` listing every key ever used, oldest first.

    Active keys (``retired is None``) are listed in ``assertionMethod`` and
    ``authentication``; retired ones carry ``revoked`` (CID 1.0 §2.2) and no relationship,
    so nobody can sign with them again while old proofs still verify. Raises ``ValueError``
    for a duplicate key id, an invalid public key, naive datetimes, or a key retired
    before it was created.
    """
    parse_did(did)
    records = sorted(keys, key=lambda record: _utc(record.created, "created"))
    methods: list[dict[str, Any]] = []
    active: list[str] = []
    seen: set[str] = set()
    for record in records:
        if not record.key_id or "#" in record.key_id or record.key_id in seen:
            raise ValueError(f"key id {record.key_id!r} is empty, holds '#' or is repeated")
        seen.add(record.key_id)
        try:
            PublicKey.from_multibase(record.public_key_multibase)
        except CredentialError as error:
            raise ValueError(f"key {record.key_id!r}: {error.message}") from None
        identifier = method_id(did, record.key_id)
        method: dict[str, Any] = {
            "id": identifier,
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": record.public_key_multibase,
            "created": _stamp(record.created, "created"),
        }
        if record.retired is None:
            active.append(identifier)
        else:
            if _utc(record.retired, "retired") < _utc(record.created, "created"):
                raise ValueError(f"key {record.key_id!r} is retired before it was created")
            method["revoked"] = _stamp(record.retired, "retired")
        methods.append(method)
    document: dict[str, Any] = {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT, dict(KEY_CREATED_CONTEXT)],
        "id": did,
        "verificationMethod": methods,
    }
    for relationship in ACTIVE_RELATIONSHIPS:
        document[relationship] = list(active)
    return document


def _utc(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")
    return value.astimezone(UTC)


def _stamp(value: datetime, name: str) -> str:
    return _utc(value, name).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- resolving a verification method at a point in time ---------------------------------


def parse_datetime(value: object) -> datetime | None:
    """An XML Schema ``dateTimeStamp`` as an aware UTC datetime, or ``None`` if malformed.

    A value without a time zone is read as UTC (XSD ``dateTime`` allows it; VC 2.0 asks for
    a zone, which the validity check enforces separately).
    """
    if not isinstance(value, str) or not 19 <= len(value) <= 40 or "T" not in value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _ids(value: object) -> list[str]:
    """Ids in a relationship list: strings, or embedded methods' ``id``."""
    if not isinstance(value, list):
        return []
    found: list[str] = []
    for item in value:
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, Mapping) and isinstance(item.get("id"), str):
            found.append(item["id"])
    return found


def find_method(document: Mapping[str, Any], verification_method: str) -> Mapping[str, Any]:
    """The verification method ``verification_method`` of a DID document, or raise."""
    candidates = list(document.get("verificationMethod") or [])
    for relationship in ("assertionMethod", "authentication"):
        embedded = document.get(relationship)
        if isinstance(embedded, list):
            candidates.extend(item for item in embedded if isinstance(item, Mapping))
    for method in candidates:
        if isinstance(method, Mapping) and method.get("id") == verification_method:
            return method
    raise KeyStateError(
        "verification-method-not-found",
        f"the DID document of {document.get('id')!r} does not list {verification_method!r}",
    )


def resolve_method_at(
    document: Mapping[str, Any],
    verification_method: str,
    proof_purpose: str,
    signed_at: datetime | None,
    *,
    now: datetime | None = None,
) -> PublicKey:
    """The key of ``verification_method`` if it may verify a proof created at ``signed_at``.

    The rule ("available over time"): the method must be in the document, controlled by the
    DID the document is about, and Ed25519 Multikey; a proof must not claim a time before
    the key's ``created``, nor at or after its ``revoked`` or ``expires`` (CID 1.0 §2.2);
    the method must hold ``proof_purpose`` — or have been retired (``revoked``), since a
    microcred document drops retired keys from every relationship. Raises
    :class:`KeyStateError` (or :class:`DidResolutionError`) with a stable ``code``.
    """
    did = document.get("id")
    method = find_method(document, verification_method)
    if method.get("controller") != did:
        raise KeyStateError(
            "controller-mismatch",
            f"{verification_method!r} is controlled by {method.get('controller')!r}, "
            f"not by {did!r}",
        )
    multibase = method.get("publicKeyMultibase")
    if method.get("type") != "Multikey" or not isinstance(multibase, str):
        raise KeyStateError(
            "verification-method-malformed",
            f"{verification_method!r} is not a Multikey with publicKeyMultibase",
        )
    try:
        key = PublicKey.from_multibase(multibase)
    except CredentialError as error:
        raise KeyStateError("verification-method-malformed", error.message) from None
    times = {name: method.get(name) for name in ("created", "revoked", "expires")}
    parsed = {name: parse_datetime(value) for name, value in times.items() if value is not None}
    for name, moment in parsed.items():
        if moment is None:
            raise KeyStateError(
                "verification-method-malformed",
                f"{verification_method!r}: {name} {times[name]!r} is not a dateTime",
            )
    created, revoked, expires = (parsed.get(name) for name in ("created", "revoked", "expires"))
    if (revoked or expires) and signed_at is None:
        raise KeyStateError(
            "proof-created-missing",
            f"{verification_method!r} is retired, and the proof does not say when it was made",
        )
    if signed_at is not None:
        _check_window(verification_method, signed_at, created, revoked, expires, now)
    listed = verification_method in _ids(document.get(proof_purpose))
    if not listed and revoked is None:
        raise KeyStateError(
            "key-not-authorised",
            f"{verification_method!r} is not authorised for {proof_purpose!r}",
        )
    return key


def _check_window(
    verification_method: str,
    signed_at: datetime,
    created: datetime | None,
    revoked: datetime | None,
    expires: datetime | None,
    now: datetime | None,
) -> None:
    stamp = signed_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    if now is not None and signed_at > now + CLOCK_SKEW:
        raise KeyStateError(
            "proof-created-in-future", f"the proof claims to be made at {stamp}, in the future"
        )
    if created is not None and signed_at < created:
        raise KeyStateError(
            "key-not-yet-created",
            f"the proof claims to be made at {stamp}, before {verification_method!r} was "
            f"created ({created:%Y-%m-%dT%H:%M:%SZ})",
        )
    if revoked is not None and signed_at >= revoked:
        raise KeyStateError(
            "key-revoked",
            f"{verification_method!r} was retired at {revoked:%Y-%m-%dT%H:%M:%SZ}, "
            f"before the proof was made ({stamp})",
        )
    if expires is not None and signed_at >= expires:
        raise KeyStateError(
            "key-expired",
            f"{verification_method!r} expired at {expires:%Y-%m-%dT%H:%M:%SZ}, "
            f"before the proof was made ({stamp})",
        )
