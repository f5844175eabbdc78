"""Property: any credential we can sign verifies, and any change to a signed field breaks it."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.credentials import did_key
from microcred.credentials.data_integrity import add_proof, verify_proof
from microcred.credentials.keys import KeyPair

KEY = KeyPair.generate()
METHOD = did_key.verification_method_id(KEY.public)
CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]

_text = st.text(max_size=40)  # includes control characters, quotes, backslashes, non-ASCII
_slug = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
_datetime = st.datetimes(timezones=st.just(None)).map(
    lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ")
)


@st.composite
def credentials(draw: st.DrawFn) -> dict[str, Any]:
    achievement: dict[str, Any] = {
        "id": f"https://example.edu/achievements/{draw(_slug)}",
        "type": ["Achievement"],
        "name": draw(_text),
        "criteria": {"narrative": draw(_text)},
    }
    if draw(st.booleans()):
        achievement["description"] = draw(_text)
    if draw(st.booleans()):
        achievement["creditsAvailable"] = draw(
            st.floats(min_value=0.5, max_value=59, allow_nan=False).map(lambda x: round(x, 1))
        )
    return {
        "@context": CONTEXT,
        "id": f"urn:uuid:{draw(st.uuids())}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": f"https://example.edu/issuers/{draw(_slug)}",
            "type": ["Profile"],
            "name": draw(_text),
        },
        "validFrom": draw(_datetime),
        "name": draw(_text),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": achievement,
        },
    }


@settings(max_examples=40, deadline=None)
@given(
    credentials(),
    st.sampled_from(["eddsa-rdfc-2022", "eddsa-jcs-2022"]),
    _text,
)
def test_sign_then_verify_round_trip(
    credential: dict[str, Any], cryptosuite: str, new_name: str
) -> None:
    signed = add_proof(credential, KEY, METHOD, cryptosuite=cryptosuite)
    result = verify_proof(signed, did_key.resolve_verification_key)
    assert result.verified, result
    assert result.verified_document == credential

    if new_name != credential["name"]:
        signed["name"] = new_name
        tampered = verify_proof(signed, did_key.resolve_verification_key)
        assert (tampered.verified, tampered.code) == (False, "bad-signature")
