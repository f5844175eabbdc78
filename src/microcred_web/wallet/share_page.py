"""What a public share page shows: each credential verified now, and the page's metadata.

The page is built from the verification pipeline's own result (the /verify/ page's
:func:`~microcred_web.verification.services.report`), so a share page never says more than a
verifier would: a credential the issuer revoked after the link was made says "revoked" on the
next view.

The metadata (Open Graph, Twitter card, schema.org JSON-LD) describes the *credential*, never
the learner: link previews are copied and cached by the platforms a link is pasted into, out of
the learner's reach once the link is revoked. The learner's name appears only in the page
itself (the credential's "Learner" element), which stops answering the moment the link is
revoked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.urls import reverse
from django.utils.translation import gettext as _

from microcred.credentials.obv3_read import read_credential
from microcred.verify.checks import STATUS, VALIDITY
from microcred_web.catalogue import labels
from microcred_web.verification import services
from microcred_web.wallet.models import ShareLink, WalletEntry
from microcred_web.wallet.sharing import credential_of, share_url

LINKEDIN_ADD = "https://www.linkedin.com/profile/add"
#: What the robots meta tag and the X-Robots-Tag header say unless the learner opted in.
NOINDEX = "noindex, nofollow"
INDEX = "index, follow"
SITE_NAME = "microcred"


@dataclass(frozen=True)
class Shown:
    """One credential on a share page, verified at view time."""

    entry: WalletEntry
    credential: dict[str, Any] | None
    report: services.Report
    title: str
    issuer: str
    #: "revoked", "suspended", "expired" or "" — said in a banner at the top.
    alarm: str
    detail_url: str
    json_url: str
    linkedin_url: str

    @property
    def verified(self) -> bool:
        return self.report.verified


@dataclass(frozen=True)
class Metadata:
    title: str
    description: str
    url: str
    robots: str
    #: schema.org JSON-LD of the page, served beside it at ``ld_url`` (not inlined: the page
    #: runs under a CSP with no inline script elements, data blocks included).
    ld: dict[str, Any]
    ld_url: str
    og_type: str = "website"
    site_name: str = SITE_NAME


@dataclass
class SharePage:
    share: ShareLink
    items: list[Shown]
    #: The one credential whose detail is shown (an entry's link, or one of a collection).
    focus: Shown | None
    meta: Metadata
    collection_name: str = ""
    languages: list[str] = field(default_factory=list)
    #: The token of the page's own address (links within the page need it).
    share_token: str = ""


# --- reading a credential for a page --------------------------------------------------------


def title_of(report: services.Report, languages: Iterable[str]) -> str:
    credential = report.credential
    if credential is not None:
        _lang, text = labels.pick(credential.specification.title, list(languages))
        if text:
            return text
    return _("Credential")


def entry_title(entry: WalletEntry, languages: Iterable[str] = ()) -> str:
    """The title of an entry's credential as written in it, without verifying (the learner's
    own pages: the share page verifies)."""
    credential = credential_of(entry)
    if credential is not None:
        try:
            spec = read_credential(credential).specification
        except Exception:  # an odd imported file: it still has a place in the list
            spec = None
        if spec is not None:
            _lang, text = labels.pick(spec.title, [*languages, labels.PAGE_LANGUAGE])
            if text:
                return text
    return _("Credential")


def issuer_name(document: Mapping[str, Any] | None, report: services.Report) -> str:
    """The issuer as the credential names it, else the register's name, else the first
    awarding body."""
    issuer = document.get("issuer") if isinstance(document, Mapping) else None
    name = issuer.get("name") if isinstance(issuer, Mapping) else None
    if isinstance(name, str) and name.strip():
        return name.strip()
    provider = report.qa.details.get("provider")
    if isinstance(provider, str) and provider:
        return provider
    if report.credential is not None and report.credential.specification.awarding_bodies:
        _lang, text = labels.pick(report.credential.specification.awarding_bodies[0].name, [])
        return text
    return ""


def alarm_of(report: services.Report) -> str:
    status = report.result.check(STATUS)
    if status.reason in ("revoked", "suspended"):
        return str(status.reason)
    if report.result.check(VALIDITY).reason == "expired":
        return "expired"
    return ""


def _datetime(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def linkedin_url(
    *,
    name: str,
    organization: str,
    issued: datetime | None,
    valid_until: datetime | None,
    cert_url: str,
    cert_id: str,
) -> str:
    """LinkedIn's "Add to profile" link for a certification, its fields filled in.

    Parameters as LinkedIn's Add to Profile documents them: ``startTask=CERTIFICATION_NAME``,
    ``name``, ``organizationName``, ``issueYear`` / ``issueMonth``, ``expirationYear`` /
    ``expirationMonth`` (only when the credential has an end of validity), ``certUrl``,
    ``certId``.
    """
    params: dict[str, str] = {"startTask": "CERTIFICATION_NAME", "name": name}
    if organization:
        params["organizationName"] = organization
    if issued is not None:
        params["issueYear"] = str(issued.year)
        params["issueMonth"] = str(issued.month)
    if valid_until is not None:
        params["expirationYear"] = str(valid_until.year)
        params["expirationMonth"] = str(valid_until.month)
    params["certUrl"] = cert_url
    if cert_id:
        params["certId"] = cert_id
    return f"{LINKEDIN_ADD}?{urlencode(params)}"


def show(share: ShareLink, token: str, entry: WalletEntry, languages: list[str]) -> Shown:
    """Verify one entry's credential now and arrange it for the page."""
    credential = credential_of(entry)
    report = services.report(services.verify(credential if credential is not None else {}))
    document = report.result.document or credential
    title = title_of(report, languages)
    issuer = issuer_name(document, report)
    if share.collection is not None:
        detail = reverse("wallet:share-item", args=[token, entry.public_id])
        download = reverse("wallet:share-item-json", args=[token, entry.public_id])
        page_url = share_url(token) + str(entry.public_id) + "/"
    else:
        detail = reverse("wallet:share", args=[token])
        download = reverse("wallet:share-json", args=[token])
        page_url = share_url(token)
    issued = report.credential.issued_on if report.credential is not None else None
    cert_id = document.get("id") if isinstance(document, Mapping) else None
    linkedin = linkedin_url(
        name=title,
        organization=issuer,
        issued=issued or _datetime((document or {}).get("validFrom")),
        valid_until=_datetime((document or {}).get("validUntil")),
        cert_url=page_url,
        cert_id=cert_id if isinstance(cert_id, str) else "",
    )
    return Shown(
        entry, credential, report, title, issuer, alarm_of(report), detail, download, linkedin
    )


# --- metadata ------------------------------------------------------------------------------


def credential_ld(item: Shown, url: str) -> dict[str, Any]:
    """schema.org ``EducationalOccupationalCredential`` of one credential (no learner data)."""
    data: dict[str, Any] = {
        "@type": "EducationalOccupationalCredential",
        "name": item.title,
        "credentialCategory": "micro-credential",
        "url": url,
    }
    credential = item.report.credential
    if credential is not None:
        spec = credential.specification
        _lang, description = labels.pick(spec.description, [])
        if description:
            data["description"] = description
        if spec.level is not None and spec.level.eqf:
            data["educationalLevel"] = {
                "@type": "DefinedTerm",
                "name": f"EQF level {spec.level.eqf}",
                "termCode": str(spec.level.eqf),
                "inDefinedTermSet": "https://europass.europa.eu/en/european-qualifications-framework-eqf",
            }
        if credential.issued_on is not None:
            data["dateCreated"] = credential.issued_on.date().isoformat()
        if spec.languages:
            data["inLanguage"] = spec.languages
    if item.issuer:
        organization: dict[str, Any] = {"@type": "Organization", "name": item.issuer}
        if item.report.links.provider:
            organization["url"] = _absolute(item.report.links.provider)
        data["recognizedBy"] = organization
    return data


#: The name of a share page's schema.org document, beside the page.
SCHEMA_FILE = "schema.jsonld"


def _path(url: str) -> str:
    return urlsplit(url).path


def _absolute(path: str) -> str:
    from microcred_web.issuing import identity

    return identity.base_url() + path


def describe(item: Shown) -> str:
    """The preview text: what the credential is, never who holds it."""
    parts: list[str] = []
    credential = item.report.credential
    if credential is not None:
        spec = credential.specification
        if spec.workload is not None and spec.workload.ects is not None:
            parts.append(_("%(ects)s ECTS") % {"ects": labels.ects_text(spec.workload.ects)})
        if spec.level is not None and spec.level.eqf:
            parts.append(_("EQF level %(level)s") % {"level": spec.level.eqf})
    what = _("A micro-credential issued by %(issuer)s") % {"issuer": item.issuer or _("its issuer")}
    if parts:
        what += " (" + ", ".join(parts) + ")"
    return what + ". " + _("Open the link to verify it.")


def metadata(
    share: ShareLink, token: str, items: list[Shown], focus: Shown | None, collection_name: str
) -> Metadata:
    url = share_url(token)
    robots = INDEX if share.indexable else NOINDEX
    if focus is not None:
        page_url = url if share.collection is None else url + str(focus.entry.public_id) + "/"
        ld: dict[str, Any] = {"@context": "https://schema.org", **credential_ld(focus, page_url)}
        return Metadata(
            focus.title, describe(focus), page_url, robots, ld, _path(page_url) + SCHEMA_FILE
        )
    ld = {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": collection_name,
        "url": url,
        "numberOfItems": len(items),
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "item": credential_ld(item, url + str(item.entry.public_id) + "/"),
            }
            for position, item in enumerate(items, start=1)
        ],
    }
    description = _("%(count)s micro-credentials: %(titles)s.") % {
        "count": len(items),
        "titles": "; ".join(item.title for item in items),
    }
    return Metadata(collection_name, description, url, robots, ld, _path(url) + SCHEMA_FILE)


# --- the page ------------------------------------------------------------------------------


def build(
    share: ShareLink,
    token: str,
    languages: list[str],
    entries: list[WalletEntry],
    focus: WalletEntry | None = None,
) -> SharePage:
    """The page of a link: its entry verified, or its collection's entries each verified
    (and one of them in detail when ``focus`` is given)."""
    if share.collection is None:
        items = [show(share, token, entry, languages) for entry in entries]
        chosen = items[0] if items else None
        return SharePage(
            share, items, chosen, metadata(share, token, items, chosen, ""), "", languages, token
        )
    name = share.collection.name
    if focus is not None:
        chosen = show(share, token, focus, languages)
        return SharePage(
            share,
            [chosen],
            chosen,
            metadata(share, token, [chosen], chosen, name),
            name,
            languages,
            token,
        )
    items = [show(share, token, entry, languages) for entry in entries]
    return SharePage(
        share, items, None, metadata(share, token, items, None, name), name, languages, token
    )
