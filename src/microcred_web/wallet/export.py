"""Everything the wallet holds, as one archive; and deleting the whole account.

The archive is a ZIP: ``credentials/<entry id>.json`` for every credential (the signed JSON
exactly as stored, so each file verifies on its own anywhere), ``manifest.json`` (account,
addresses, entries with their metadata and collections) and ``README.txt`` saying what the
files are.

Deleting the account erases the learner's personal data here: the user, the account, its
addresses, entries, collections, share links and the one-time links sent to its addresses.
Credentials issued here stay with their issuer's record (``IssuedCredentialRecord``), which
holds no address, only its keyed hash, and which revocation needs.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from microcred_web.catalogue.labels import PAGE_LANGUAGE, pick
from microcred_web.issuing.audit import record_event
from microcred_web.wallet import entries as wallet_entries
from microcred_web.wallet.models import LearnerAccount, OneTimeLink, WalletEntry

README = """\
Your microcred wallet, exported {when}

credentials/   one file per credential in your wallet: the signed credential exactly as
               it was issued to you (or as you imported it). Each file can be verified on
               its own, on this site's /verify/ page or with any verifier of W3C Verifiable
               Credentials / Open Badges 3.0.
manifest.json  what the wallet knew about them: for each credential its title, provider,
               date of issue, where it came from (issued on this site or imported by you),
               when it was added, its status when exported, and the collections you put
               it in; also your account and its e-mail addresses.

Share links are not exported: they work only on this site.
"""


def credential_filename(entry: WalletEntry) -> str:
    return f"credentials/{entry.public_id}.json"


def manifest(account: LearnerAccount, now: Any = None) -> dict[str, Any]:
    now = now or timezone.now()
    rows = []
    for item in wallet_entries.summaries(wallet_entries.entries_of(account)):
        entry = item.entry
        rows.append(
            {
                "id": str(entry.public_id),
                "file": credential_filename(entry),
                "credential_id": wallet_entries.credential_of(entry).get("id"),
                "title": pick(item.title, [PAGE_LANGUAGE])[1],
                "provider": item.provider,
                "issued_on": item.issued_on.isoformat() if item.issued_on else None,
                "ects": item.ects,
                "eqf": item.eqf,
                "source": entry.source,
                "format": entry.format if entry.source == "imported" else "obv3",
                "added": entry.added.isoformat(),
                "status": item.status.code,
                "status_checked": item.status.checked.isoformat(),
                "collections": sorted(c.name for c in entry.collections.all()),
            }
        )
    return {
        "exported": now.isoformat(),
        "account": {
            "id": str(account.public_id),
            "created": account.created.isoformat(),
            "holder_did": account.holder_did or None,
            "addresses": [
                {
                    "email": a.email,
                    "verified": a.verified.isoformat() if a.verified else None,
                }
                for a in account.addresses.all()
            ],
        },
        "collections": [
            {
                "name": c.name,
                "entries": sorted(str(e.public_id) for e in c.entries.all() if e.removed is None),
            }
            for c in account.collections.prefetch_related("entries")
        ],
        "entries": rows,
    }


def archive(account: LearnerAccount) -> bytes:
    """The ZIP of the whole wallet (in memory: a wallet is at most some megabytes)."""
    now = timezone.now()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for entry in wallet_entries.entries_of(account):
            document = wallet_entries.credential_of(entry)
            zf.writestr(credential_filename(entry), json.dumps(document, ensure_ascii=False))
        zf.writestr(
            "manifest.json", json.dumps(manifest(account, now), ensure_ascii=False, indent=2)
        )
        zf.writestr("README.txt", README.format(when=now.strftime("%Y-%m-%d %H:%M UTC")))
    return buffer.getvalue()


def delete_account(account: LearnerAccount) -> dict[str, int]:
    """Erase the learner's personal data; answer what was deleted (counts only)."""
    with transaction.atomic():
        hashes = list(account.addresses.values_list("identifier_hash", flat=True))
        counts = {
            "entries": account.entries.count(),
            "collections": account.collections.count(),
            "shares": account.shares.count(),
            "addresses": len(hashes),
        }
        links = OneTimeLink.objects.filter(
            Q(identifier_hash__in=hashes) | Q(address__account=account)
        )
        counts["links"] = links.count()
        links.delete()
        user = account.user
        # The account and everything hanging on it go with the user (CASCADE).
        user.delete()
        # No personal data in the log: no name, no address, no account id.
        record_event(None, "wallet-delete", "learner account", details=counts)
    return counts
