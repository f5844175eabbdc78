"""What ``GET /api/v1/health`` checks: each part an orchestrator or an operator must know of.

Why each check is real but cheap: a load balancer polls this every few seconds, on every
worker. The database answers a query; the search index is read (its document count, set
against the published specifications in the database: a difference means a lost or pending
update, repaired by ``reindex``); the key-encryption key is parsed and opens one existing
provider key (AES-GCM on a few dozen bytes); the learner-identifier key is looked for. No
answer carries a secret, a path or an exception text: only states and counts that are public
anyway (the catalogue shows how many specifications it holds).

States: ``ok``; ``missing`` (not configured); ``error`` (configured or present but unusable:
a malformed or wrong KEK, an index that cannot be read, a database that does not answer);
``stale`` (the index disagrees with the database). The whole is ``ok`` only when every part
is, ``degraded`` when the database answers but something else is not ok (reads are served,
issuing may not be), ``error`` when the database does not answer.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from django.db import DatabaseError, connection

import microcred
from microcred.credentials.keystore import KeyEncryptionKey, KeystoreError

#: The environment variables of the learner-identifier key (helper process: issue 9).
IDENTIFIER_KEY_VARIABLES = ("MICROCRED_IDENTIFIER_KEY", "MICROCRED_IDENTIFIER_KEY_FILE")


@dataclass
class Component:
    status: str
    detail: str = ""
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Report:
    status: str
    version: str
    database: str
    components: dict[str, Component]

    @property
    def http_status(self) -> int:
        return 200 if self.status == "ok" else 503


def _database() -> Component:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return Component("error", "the database does not answer")
    return Component("ok")


def _search_index() -> Component:
    from microcred.catalogue import SearchIndexError
    from microcred_web.catalogue import services

    try:
        published = services.catalogue_count()
    except DatabaseError:
        return Component("error", "the database does not answer")
    try:
        indexed = services.get_index().count()
    except (SearchIndexError, OSError, ValueError):
        return Component("error", "the search index cannot be read; run `reindex`")
    counts = {"documents": indexed, "published": published}
    if indexed != published:
        return Component(
            "stale", "the search index disagrees with the database; run `reindex`", counts
        )
    return Component("ok", counts=counts)


def _kek() -> Component:
    try:
        kek = KeyEncryptionKey.from_env()
    except KeystoreError as error:
        if error.code == "kek-missing" and not any(
            os.environ.get(name) for name in ("MICROCRED_KEK", "MICROCRED_KEK_FILE")
        ):
            return Component("missing", "no key-encryption key: issuing and revoking refused")
        return Component("error", f"the key-encryption key cannot be used ({error.code})")
    from microcred.credentials import keystore
    from microcred_web.issuing.models import ProviderKey

    try:
        key = ProviderKey.objects.select_related("provider").order_by("-pk").first()
    except DatabaseError:
        return Component("error", "the database does not answer")
    if key is None:
        return Component("ok", "no provider key yet")
    owner = keystore.key_owner_ad(key.provider.public_id, key.key_id)
    try:
        keystore.unseal(key.sealed_private, kek, owner)
    except KeystoreError as error:
        why = f"the key-encryption key does not open provider keys ({error.code})"
        return Component("error", why)
    return Component("ok")


def _identifier_key() -> Component:
    value = os.environ.get(IDENTIFIER_KEY_VARIABLES[0], "").strip()
    path = os.environ.get(IDENTIFIER_KEY_VARIABLES[1], "").strip()
    if value and path:
        return Component("error", "both MICROCRED_IDENTIFIER_KEY and its _FILE are set")
    if path:
        try:
            with open(path, encoding="ascii") as handle:
                value = handle.read().strip()
        except (OSError, UnicodeDecodeError):
            return Component("error", "the identifier key file cannot be read")
    if not value:
        return Component("missing", "no learner-identifier key (MICROCRED_IDENTIFIER_KEY)")
    return Component("ok")


def _status_lists() -> Component:
    from microcred_web.issuing import status

    try:
        unsigned = status.unsigned_count()
    except DatabaseError:
        return Component("error", "the database does not answer")
    if unsigned:
        return Component(
            "stale",
            "status lists changed by an earlier version are not signed yet",
            {"unsigned": unsigned},
        )
    return Component("ok")


def check() -> Report:
    """Run every check; never raises."""
    database = _database()
    if database.status != "ok":
        components = {"database": database}
        return Report("error", microcred.__version__, connection.vendor, components)
    components = {
        "database": database,
        "search_index": _search_index(),
        "kek": _kek(),
        "identifier_key": _identifier_key(),
        "status_lists": _status_lists(),
    }
    overall = "ok" if all(c.status == "ok" for c in components.values()) else "degraded"
    return Report(overall, microcred.__version__, connection.vendor, components)
