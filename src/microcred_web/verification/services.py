"""Verification for the web layer: the core pipeline with this instance's resolvers.

The API and the page call these functions and only translate HTTP. Input problems that mean
there is nothing to verify (not JSON, no credential, too large, a link to another site) raise
:class:`InputError` with a stable ``code``, a message for people and an HTTP status; anything
that *is* a credential goes through :func:`verify`, which never raises and answers with coded
checks (a tampered or unknown credential is a result with ``verified`` false, not an error).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve, reverse

from microcred.credentials.did_web import did_for
from microcred.credentials.obv3_read import read_credential
from microcred.standard.model import IssuedCredential
from microcred.standard.readers import ReadError, load_json
from microcred.verify import Check, Status, VerificationContext, VerificationResult
from microcred.verify import verify_credential as core_verify
from microcred.verify.checks import QA
from microcred.verify.context import MAX_CREDENTIAL_BYTES
from microcred.verify.foreign import DidWebResolver, RemoteStatusLists
from microcred_web.issuing import identity
from microcred_web.issuing.errors import IssuingError
from microcred_web.register.models import Agency, Provider, Specification
from microcred_web.verification import foreign
from microcred_web.verification.resolvers import (
    InstanceDidResolver,
    InstanceQARegister,
    InstanceStatusLists,
)

#: Largest credential accepted by the page and the API (the core pipeline's own limit).
MAX_BYTES = MAX_CREDENTIAL_BYTES
#: Members that mark a bare JSON object as a credential (rather than a stray object).
CREDENTIAL_MARKERS = ("@context", "type", "proof", "credentialSubject", "issuer")
FOREIGN_URL_MESSAGE = (
    "Only credentials hosted here can be opened by link; this page does not fetch "
    "credentials from other sites. Download the credential and upload it instead."
)


class InputError(Exception):
    """Nothing to verify: ``code`` (stable), ``message`` (for people), HTTP ``status``."""

    def __init__(self, code: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def verification_context() -> VerificationContext:
    """Resolvers for this instance: its providers' did:web, its status lists, its register;
    other hosts' did:web and status lists over HTTPS when ``MICROCRED_FOREIGN_DID_WEB`` is on
    (through the one shared, cached fetcher of :mod:`microcred_web.verification.foreign`,
    with a time budget per context: one verification never waits more than about twice the
    fetch deadline)."""
    remote = foreign.budget()
    return VerificationContext(
        did_resolver=InstanceDidResolver(DidWebResolver(remote) if remote else None),
        status_lists=InstanceStatusLists(RemoteStatusLists(remote) if remote else None),
        qa_register=InstanceQARegister(),
    )


def verify(data: bytes | str | Mapping[str, Any]) -> VerificationResult:
    """Verify one credential with this instance's resolvers (never raises for bad input)."""
    return core_verify(data, verification_context())


# --- getting the credential out of what was sent -------------------------------------------


def parse_json(raw: bytes, what: str = "the request body", limit: int = MAX_BYTES) -> Any:
    """Parse JSON within the size limit, or raise :class:`InputError` (400 / 413)."""
    if len(raw) > limit + 1024:  # a little room for the {"verifiableCredential": ...} wrapper
        raise InputError(
            "document-too-large",
            f"{what[:1].upper()}{what[1:]} is {len(raw):,} bytes; the limit is {limit:,}",
            413,
        )
    if not raw.strip():
        raise InputError("empty", f"{what[:1].upper()}{what[1:]} is empty: send a credential", 400)
    try:
        return load_json(raw, what)
    except ReadError as exc:
        raise InputError("not-json", str(exc), 400) from None


def credential_from_json(value: Any) -> Mapping[str, Any]:
    """The credential in a VC-API body (``{"verifiableCredential": {...}}``) or a bare one."""
    if not isinstance(value, Mapping):
        raise InputError(
            "no-credential",
            'Expected a JSON object: {"verifiableCredential": {...}} or the credential itself',
        )
    if "verifiableCredential" in value:
        credential = value["verifiableCredential"]
        if not isinstance(credential, Mapping):
            raise InputError(
                "no-credential", "verifiableCredential must be a JSON object (one credential)"
            )
        return credential
    if not any(name in value for name in CREDENTIAL_MARKERS):
        raise InputError(
            "no-credential",
            'No credential found: send {"verifiableCredential": {...}} or the credential itself '
            "(a JSON object with @context, type, issuer, credentialSubject and proof)",
        )
    return value


def credential_from_bytes(raw: bytes, what: str = "the request body") -> Mapping[str, Any]:
    return credential_from_json(parse_json(raw, what))


def credential_from_url(url: str, request_host: str | None = None) -> Mapping[str, Any]:
    """A credential published by this instance at ``url``; never fetches from the network.

    What this instance publishes at a public address today: the signed status-list
    credentials of its providers. Any other address on this host is "nothing here"; an
    address on another host is refused with :data:`FOREIGN_URL_MESSAGE`.
    """
    url = (url or "").strip()
    parts = urlsplit(url)
    hosts = {identity.host().lower()}
    if request_host:
        hosts.add(request_host.lower())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        if url.startswith("/") and not url.startswith("//"):
            path = parts.path
        else:
            raise InputError("bad-url", "The link must be a web address (https://...)", 400)
    elif parts.netloc.lower() not in hosts:
        raise InputError("foreign-url", FOREIGN_URL_MESSAGE, 400)
    else:
        path = parts.path
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is not None and match.view_name == "issuing:status-list":
        from microcred_web.issuing import status  # the issuing app owns the lists

        record = status.find_list(
            match.kwargs["slug"], match.kwargs["purpose"], int(match.kwargs["number"])
        )
        if record is not None:
            try:
                return status.signed_list(record)
            except IssuingError as exc:  # a list left unsigned before an upgrade, no KEK
                raise InputError(exc.code, exc.message, exc.status) from None
    raise InputError(
        "not-found", "No credential is published at that address on this instance", 404
    )


# --- what the page shows -------------------------------------------------------------------


@dataclass(frozen=True)
class CheckView:
    check: Check
    icon: str
    label: str

    @property
    def code(self) -> str:
        return self.check.code

    @property
    def status(self) -> str:
        return self.check.status.value

    @property
    def title(self) -> str:
        return CHECK_TITLES.get(self.check.code, self.check.code)


CHECK_TITLES = {
    "format": "Format",
    "proof": "Signature",
    "issuer": "Issuer identity",
    "status": "Revocation and suspension",
    "validity": "Validity period",
    "qa": "Quality assurance of the issuer",
    "annex1": "EU micro-credential elements (Annex I)",
}
_STATUS_WORDS = {
    Status.OK: ("✓", "Passed"),
    Status.WARNING: ("!", "Warning"),
    Status.ERROR: ("✗", "Failed"),
    Status.SKIPPED: ("–", "Not checked"),
}


@dataclass(frozen=True)
class Links:
    """Where the page can send a reader to learn more: pages of this instance only.

    A credential names its specification (the Achievement's id) and its issuer (a DID); when
    they are this instance's, the catalogue has a page for each. Addresses a foreign
    credential names are not links: the page does not vouch for another site.
    """

    specification: str | None = None
    provider: str | None = None
    #: The page of the agency the issuer's QA standing rests on (the QA check names it).
    agency: str | None = None
    agency_name: str | None = None


def _specification_page(achievement_id: object) -> str | None:
    prefix = f"{identity.base_url()}/catalogue/specifications/"
    if not isinstance(achievement_id, str) or not achievement_id.startswith(prefix):
        return None
    public_id = achievement_id.removeprefix(prefix).rstrip("/")
    spec = Specification.objects.filter(public_id=public_id).first()
    if spec is None or not spec.in_catalogue:
        return None
    return reverse("catalogue:specification", args=[public_id])


def _provider_page(issuer: object) -> str | None:
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    prefix = did_for(identity.host(), list(identity.DID_PATH)) + ":"
    if not isinstance(issuer_id, str) or not issuer_id.startswith(prefix):
        return None
    slug = issuer_id.removeprefix(prefix)
    if not Provider.objects.filter(slug=slug).exists():
        return None
    return reverse("catalogue:provider", args=[slug])


def links(document: Mapping[str, Any] | None) -> Links:
    """The catalogue pages of the credential's specification and provider, when local."""
    if not isinstance(document, Mapping):
        return Links()
    subject = document.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    achievement_id = achievement.get("id") if isinstance(achievement, Mapping) else None
    return Links(
        specification=_specification_page(achievement_id),
        provider=_provider_page(document.get("issuer")),
    )


@dataclass(frozen=True)
class Report:
    """A verification result arranged for the page."""

    result: VerificationResult
    checks: list[CheckView]
    credential: IssuedCredential | None
    qa: Check
    links: Links = Links()

    @property
    def verified(self) -> bool:
        return self.result.verified

    @property
    def outcome(self) -> str:
        """``verified``, ``not-verified`` or ``could-not-check`` (see the core's Outcome)."""
        return self.result.outcome.value

    @property
    def unchecked(self) -> int:
        return sum(1 for check in self.result.errors if check.unchecked)

    @property
    def warnings(self) -> int:
        return len(self.result.warnings)


_UNCHECKED_WORDS = ("?", "Could not be checked")


def report(result: VerificationResult) -> Report:
    checks = [
        CheckView(check, *(_UNCHECKED_WORDS if check.unchecked else _STATUS_WORDS[check.status]))
        for check in result.checks
    ]
    credential = None
    if result.document is not None:
        try:
            credential = read_credential(result.document)
        except Exception:  # a best-effort reading: the checks already say what is wrong
            credential = None
    qa = result.check(QA)
    found = links(result.document)
    agency = _agency(qa)
    if agency is not None:
        page = reverse("catalogue:agency", args=[agency.slug])
        found = replace(found, agency=page, agency_name=agency.acronym)
    return Report(result, checks, credential, qa, found)


def _agency(qa: Check) -> Agency | None:
    """The register's agency behind the issuer's QA standing, when the check names one."""
    key = (qa.details or {}).get("agency")
    if not isinstance(key, str) or not key:
        return None
    return Agency.objects.filter(public_id=key).first()
