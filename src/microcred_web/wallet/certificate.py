"""The printable certificate of a wallet entry: the entry's credential read into the core's
:class:`~microcred.certificate.Certificate` in the learner's language, and rendered.

Each certificate gets its own share link (``made_for="pdf"``): its QR code opens the share
page, which verifies the credential when it is scanned. Only the digest of a token is stored,
so an earlier link's token cannot be put into a new PDF; a new link per download is the honest
way (the learner sees and can revoke them all with their other links).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import orjson
from django.utils import formats, translation
from django.utils.translation import gettext as _

from microcred.certificate import Certificate, Labels, render_pdf
from microcred.credentials.obv3_read import read_credential
from microcred.standard.model import IssuedCredential, LangMap
from microcred.verify.checks import QA
from microcred_web.catalogue import labels as catalogue_labels
from microcred_web.verification import services
from microcred_web.wallet.models import WalletEntry
from microcred_web.wallet.sharing import create_share, share_url


def entry_credential(entry: WalletEntry) -> Mapping[str, Any]:
    """The signed credential of an entry (the issuer's record for one issued here)."""
    if entry.issued is not None:
        return dict(entry.issued.credential)
    return dict(entry.credential or {})


def labels() -> Labels:
    """The certificate's words in the active language."""
    return Labels(
        heading=_("Certificate"),
        kind=_("European micro-credential"),
        certifies=_("This is to certify that"),
        completed=_("has successfully completed"),
        awarded=_("This micro-credential was awarded for"),
        awarded_by=_("Awarded by"),
        issued=_("Date of issue"),
        achieved=_("Date of achievement"),
        ects=_("ECTS credits"),
        eqf=_("EQF level"),
        not_stated=_("Not stated"),
        outcomes=_("Learning outcomes"),
        more_outcomes=_("… and {count} more learning outcomes, listed in the attached credential."),
        shortened=_("Shortened to fit on one page: the attached credential has the full text."),
        qa=_("Quality assurance of the issuer"),
        scan=_("Scan to verify this credential"),
        attached=_(
            "The signed credential is attached to this file (credential.json): "
            "it can be verified on its own, without this page."
        ),
        qr_alt=_("QR code that opens the verification of this credential: {url}"),
        document_title=_("{title}: certificate"),
    )


def _text(value: LangMap | None, languages: list[str]) -> str:
    return catalogue_labels.pick(value, languages)[1]


def _day(moment: datetime | None) -> str | None:
    return formats.date_format(moment.date(), "DATE_FORMAT") if moment else None


def _number(value: float | None) -> str | None:
    if value is None:
        return None
    return formats.number_format(int(value) if float(value).is_integer() else value)


def learner_name(credential: IssuedCredential) -> str | None:
    """The learner's name as the credential carries it: ``name``, else given + family."""
    learner = credential.learner
    if learner.name:
        return learner.name
    parts = [part for part in (learner.given_name, learner.family_name) if part]
    return " ".join(parts) or None


def qa_statement(document: Mapping[str, Any]) -> str | None:
    """The QA statement the verify page shows: the register's standing on the day of issue."""
    check = services.verify(document).check(QA)
    return check.message or None


def certificate_of(document: Mapping[str, Any], verify_url: str) -> Certificate:
    """The certificate of a signed credential, in the active language."""
    lang = translation.get_language() or "en"
    languages = [lang.lower(), lang.split("-")[0].lower()]
    credential = read_credential(document)
    spec = credential.specification
    bodies = [_text(body.name, languages) for body in spec.awarding_bodies]
    issuer = document.get("issuer")
    issuer_name = issuer.get("name") if isinstance(issuer, Mapping) else None
    provider = ", ".join(b for b in bodies if b) or (
        issuer_name if isinstance(issuer_name, str) else ""
    )
    return Certificate(
        lang=lang,
        title=_text(spec.title, languages) or _("Micro-credential"),
        provider=provider or _("Not stated"),
        issued_on=_day(credential.issued_on) or _("Not stated"),
        achieved_on=_day(credential.achieved_on),
        ects=_number(spec.workload.ects if spec.workload else None),
        eqf=str(spec.level.eqf) if spec.level and spec.level.eqf else None,
        learner_name=learner_name(credential),
        outcomes=tuple(
            text for text in (_text(o.text, languages) for o in spec.learning_outcomes) if text
        ),
        qa_statement=qa_statement(document),
        verify_url=verify_url,
        credential_json=orjson.dumps(document),
        labels=labels(),
    )


def certificate_pdf(entry: WalletEntry) -> bytes:
    """A new certificate of the learner's own entry, with a new ``pdf`` share link in its QR."""
    document = entry_credential(entry)
    _share, token = create_share(
        entry.account, entry=entry, made_for="pdf", label=_("Printed certificate")
    )
    return render_pdf(certificate_of(document, share_url(token)))
