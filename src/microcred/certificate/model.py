"""What a certificate shows, as plain text in one language (no rule of how to get it)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Labels:
    """The fixed words of the certificate; the web layer passes them translated.

    ``{count}``, ``{url}`` and ``{title}`` are filled in by the renderer.
    """

    heading: str = "Certificate"
    kind: str = "European micro-credential"
    certifies: str = "This is to certify that"
    completed: str = "has successfully completed"
    awarded: str = "This micro-credential was awarded for"
    awarded_by: str = "Awarded by"
    issued: str = "Date of issue"
    achieved: str = "Date of achievement"
    ects: str = "ECTS credits"
    eqf: str = "EQF level"
    not_stated: str = "Not stated"
    outcomes: str = "Learning outcomes"
    more_outcomes: str = "… and {count} more learning outcomes, listed in the attached credential."
    shortened: str = "Shortened to fit on one page: the attached credential has the full text."
    qa: str = "Quality assurance of the issuer"
    scan: str = "Scan to verify this credential"
    attached: str = (
        "The signed credential is attached to this file (credential.json): "
        "it can be verified on its own, without this page."
    )
    qr_alt: str = "QR code that opens the verification of this credential: {url}"
    document_title: str = "{title}: certificate"


@dataclass(frozen=True)
class Certificate:
    """One certificate. Dates and numbers come formatted for the reader (``lang``)."""

    lang: str
    title: str
    provider: str
    issued_on: str
    verify_url: str
    #: The signed credential, exactly as issued (attached byte for byte).
    credential_json: bytes
    learner_name: str | None = None
    achieved_on: str | None = None
    ects: str | None = None
    eqf: str | None = None
    outcomes: tuple[str, ...] = ()
    qa_statement: str | None = None
    labels: Labels = field(default_factory=Labels)
