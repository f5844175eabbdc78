"""Learner identification on an OBv3 credential: salted identity hashes and disclosed names.

Annex I asks for "identification of the learner"; the brief asks for it with privacy. OBv3
carries it as ``credentialSubject.identifier``, a list of ``IdentityObject``
(https://www.imsglobal.org/spec/ob/v3p0/#identityobject):

* the learner's identifier (e-mail, student number, national id, ...) is **always hashed**
  with a salt, as an ``IdentityHash`` ``sha256$<hex>`` of the UTF-8 identifier followed by
  the salt (https://www.imsglobal.org/spec/ob/v3p0/#identityhash). Anyone who already knows
  the identifier can check it (:func:`identity_matches`); nobody can read it off the badge;
* names are shown only when the learner's record has them, in clear (``hashed: false``),
  because a hashed name identifies no one to a human reader. OBv3's AchievementSubject has
  no ``name`` property, so the whole name travels as identityType ``name`` (an OBv3
  enumeration value) and the given / family names and date of birth as the extension types
  ``ext:givenName``, ``ext:familyName`` and ``ext:dateOfBirth`` (OBv3 allows ``ext:`` values
  in place of the enumeration).

A learner DID, when the learner has one, goes in ``credentialSubject.id`` (set by the
builder), which is what wallets bind the credential to.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from datetime import date
from typing import Any

from microcred.standard.model import LearnerIdentification

__all__ = [
    "DATE_OF_BIRTH",
    "FAMILY_NAME",
    "GIVEN_NAME",
    "NAME",
    "disclosed_learner",
    "identity_hash",
    "identity_matches",
    "identity_objects",
    "identity_type",
    "learner_from_identity_objects",
    "new_salt",
]

NAME = "name"
GIVEN_NAME = "ext:givenName"
FAMILY_NAME = "ext:familyName"
DATE_OF_BIRTH = "ext:dateOfBirth"
_DISCLOSED_TYPES = frozenset({NAME, GIVEN_NAME, FAMILY_NAME, DATE_OF_BIRTH})

#: OBv3 IdentifierTypeEnum (https://www.imsglobal.org/spec/ob/v3p0/#identifiertypeenum).
OB_IDENTITY_TYPES = frozenset(
    {
        "name",
        "sourcedId",
        "systemId",
        "productId",
        "userName",
        "accountId",
        "emailAddress",
        "nationalIdentityNumber",
        "isbn",
        "issn",
        "lisSourcedId",
        "oneRosterSourcedId",
        "sisSourcedId",
        "ltiContextId",
        "ltiDeploymentId",
        "ltiToolId",
        "ltiPlatformId",
        "ltiUserId",
        "identifier",
    }
)
#: Our identifier schemes (as the readers and the CSV format write them) -> OBv3 types.
_SCHEME_ALIASES = {
    "email": "emailAddress",
    "e-mail": "emailAddress",
    "mail": "emailAddress",
    "student-number": "sisSourcedId",
    "national-id": "nationalIdentityNumber",
}
# The OBv3 schema's pattern for extension values, anchored: letters, digits, "." and "_".
_EXT_UNSAFE = re.compile(r"[^A-Za-z0-9._]")
_HASH = re.compile(r"^(?P<algorithm>sha256|md5)\$(?P<hex>[0-9A-Fa-f]+)$")


def new_salt() -> str:
    """A fresh random salt (128 bits, hex), one per credential.

    A salt per credential stops anyone linking two badges of one learner by comparing
    hashes, and stops a dictionary of e-mail addresses being hashed once for all badges.
    """
    return secrets.token_hex(16)


def identity_hash(identifier: str, salt: str) -> str:
    """``sha256$`` and the hex SHA-256 of the UTF-8 identifier followed by the salt.

    https://www.imsglobal.org/spec/ob/v3p0/#identityhash. The identifier is hashed exactly
    as recorded (no case folding), so the hash is reproducible from the record.
    """
    digest = hashlib.sha256((identifier + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def identity_type(scheme: str | None) -> str:
    """The OBv3 ``identityType`` for one of our identifier schemes.

    OBv3 enumeration values pass through; common aliases map onto them; anything else
    becomes an ``ext:`` value, so the scheme is kept rather than flattened to "identifier".
    """
    if not scheme:
        return "identifier"
    if scheme in OB_IDENTITY_TYPES or scheme.startswith("ext:"):
        return scheme
    base = scheme.split(":", 1)[0].lower()
    if base in _SCHEME_ALIASES:
        return _SCHEME_ALIASES[base]
    return "ext:" + _EXT_UNSAFE.sub("_", scheme)


def identity_objects(learner: LearnerIdentification, salt: str) -> list[dict[str, Any]]:
    """The ``IdentityObject`` list for ``credentialSubject.identifier`` (empty if nothing).

    Order: the hashed identifier first (what a relying party matches on), then the names
    and date of birth in clear, each only when the record has it.
    """
    objects: list[dict[str, Any]] = []
    if learner.identifier:
        hashed: dict[str, Any] = {
            "type": "IdentityObject",
            "identityType": identity_type(learner.identifier_scheme),
            "hashed": True,
            "identityHash": identity_hash(learner.identifier, salt),
        }
        if salt:
            hashed["salt"] = salt
        objects.append(hashed)
    disclosed: list[tuple[str, str | None]] = [
        (NAME, learner.name),
        (GIVEN_NAME, learner.given_name),
        (FAMILY_NAME, learner.family_name),
        (DATE_OF_BIRTH, learner.date_of_birth.isoformat() if learner.date_of_birth else None),
    ]
    for kind, value in disclosed:
        if value is not None:
            objects.append(
                {
                    "type": "IdentityObject",
                    "identityType": kind,
                    "hashed": False,
                    "identityHash": value,
                }
            )
    return objects


def identity_matches(identity: Mapping[str, Any], identifier: str) -> bool:
    """Whether ``identifier`` is the one an IdentityObject names (hashed or in clear).

    For a relying party that knows the learner's e-mail, say, and wants to know the badge
    is theirs. MD5 is accepted only because OBv3 still allows it for foreign badges.
    """
    value = identity.get("identityHash")
    if not isinstance(value, str):
        return False
    if identity.get("hashed") is not True:
        return hmac.compare_digest(value.encode("utf-8"), identifier.encode("utf-8"))
    match = _HASH.match(value)
    if match is None:
        return False
    salt = identity.get("salt")
    data = (identifier + (salt if isinstance(salt, str) else "")).encode("utf-8")
    if match["algorithm"] == "sha256":
        expected = hashlib.sha256(data).hexdigest()
    else:
        expected = hashlib.md5(data, usedforsecurity=False).hexdigest()
    return hmac.compare_digest(expected, match["hex"].lower())


def learner_from_identity_objects(
    identities: object, subject_id: str | None = None
) -> LearnerIdentification:
    """Read a learner back from ``credentialSubject.identifier`` (and ``id``), leniently.

    The first identity that is not a disclosed name becomes ``identifier`` (its hash when
    hashed, so the learner stays identifiable by those who hold the plain value) with its
    identityType as ``identifier_scheme``. Without one, the subject's DID or id serves.
    Anything malformed is skipped: an odd identity object must not hide the rest.
    """
    fields: dict[str, Any] = {}
    items = identities if isinstance(identities, list) else [identities]
    for item in items:
        if not isinstance(item, Mapping):
            continue
        kind, value = item.get("identityType"), item.get("identityHash")
        if not isinstance(kind, str) or not isinstance(value, str):
            continue
        if kind in _DISCLOSED_TYPES and item.get("hashed") is not True:
            if kind == DATE_OF_BIRTH:
                try:
                    fields.setdefault("date_of_birth", date.fromisoformat(value))
                except ValueError:
                    continue
            else:
                key = {NAME: "name", GIVEN_NAME: "given_name", FAMILY_NAME: "family_name"}
                fields.setdefault(key[kind], value)
        elif "identifier" not in fields:
            fields["identifier"] = value
            fields["identifier_scheme"] = kind
    if "identifier" not in fields and subject_id:
        fields["identifier"] = subject_id
        fields["identifier_scheme"] = "did" if subject_id.startswith("did:") else "id"
    return LearnerIdentification(**fields)


def disclosed_learner(
    learner: LearnerIdentification, salt: str, subject_id: str | None = None
) -> LearnerIdentification:
    """The learner as a reader of the credential sees it: identifier replaced by its hash.

    This is what :func:`learner_from_identity_objects` returns for a credential built from
    ``learner`` with ``salt``: the round trip is lossless except for the identifier, which
    is hashed on purpose.
    """
    return learner_from_identity_objects(identity_objects(learner, salt), subject_id)
