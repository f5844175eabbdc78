"""W3C Bitstring Status List v1.0 (https://www.w3.org/TR/vc-bitstring-status-list/)."""

from __future__ import annotations

import base64
import gzip
import json
import random
import zlib
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.credentials.status_list import (
    DEFAULT_SIZE,
    MAX_DECODED_BYTES,
    MIN_ENTRIES,
    StatusList,
    StatusListError,
    StatusResult,
    allocate_index,
    check_status,
    status_entry,
    status_list_credential,
)

#: `#bitstringstatuslistcredential`, "Example BitstringStatusListCredential": an empty list
#: (every credential valid) of the minimum size.
SPEC_EXAMPLE_ENCODED_LIST = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
LIST_URL = "https://example.com/credentials/status/3"
ISSUER = "did:web:example.com:providers:uni"
VALID_FROM = datetime(2021, 4, 5, 14, 27, 40, tzinfo=UTC)


def _encode_raw(compressed: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()


def _list_credential(status_list: StatusList, url: str = LIST_URL) -> dict[str, Any]:
    return status_list_credential(
        url, ISSUER, status_list.purpose, status_list.encode(), VALID_FROM
    )


def _code(excinfo: pytest.ExceptionInfo[StatusListError]) -> str:
    return excinfo.value.code


# --- bit order and bits -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "byte", "value"),
    [(0, 0, 0x80), (1, 0, 0x40), (7, 0, 0x01), (8, 1, 0x80), (15, 1, 0x01), (131_071, -1, 0x01)],
)
def test_bit_order_index_zero_is_the_most_significant_bit(
    index: int, byte: int, value: int
) -> None:
    status_list = StatusList()
    status_list.set(index)
    raw = status_list.to_bytes()
    assert raw[byte] == value
    assert sum(raw) == value
    assert status_list.get(index)
    assert status_list.set_indexes() == [index]


def test_set_clear_get_and_count() -> None:
    status_list = StatusList(purpose="suspension")
    assert status_list.size == len(status_list) == DEFAULT_SIZE == 131_072
    assert not status_list.get(42)
    status_list.set(42)
    status_list.set(42)  # idempotent
    status_list.set(99)
    assert status_list.get(42) and status_list.count() == 2
    status_list.clear(42)
    assert not status_list.get(42) and status_list.get(99)
    status_list.set(99, False)
    assert status_list.count() == 0


@pytest.mark.parametrize("index", [-1, 131_072, 10**9])
def test_index_outside_the_list_is_a_range_error(index: int) -> None:
    with pytest.raises(StatusListError) as excinfo:
        StatusList().get(index)
    assert _code(excinfo) == "status-index-out-of-range"
    assert excinfo.value.spec_error == "RANGE_ERROR"


def test_index_must_be_an_int() -> None:
    with pytest.raises(TypeError):
        StatusList().set(True)
    with pytest.raises(TypeError):
        StatusList().get("3")  # type: ignore[arg-type]


@pytest.mark.parametrize("size", [0, 8, 131_064, 131_073])
def test_construction_refuses_short_or_ragged_lists(size: int) -> None:
    with pytest.raises(StatusListError) as excinfo:
        StatusList(size)
    assert _code(excinfo) in {"status-list-length", "status-list-size"}


def test_construction_refuses_unknown_purpose() -> None:
    with pytest.raises(StatusListError) as excinfo:
        StatusList(purpose="message")  # type: ignore[arg-type]
    assert _code(excinfo) == "status-purpose-unsupported"


def test_larger_lists_and_ecosystem_lower_bound() -> None:
    assert StatusList(2 * MIN_ENTRIES).size == 262_144
    assert StatusList(64, min_entries=64).size == 64


# --- encode / decode --------------------------------------------------------------------


def test_spec_example_encoded_list_decodes_to_an_empty_minimum_list() -> None:
    status_list = StatusList.decode(SPEC_EXAMPLE_ENCODED_LIST)
    assert status_list.size == 131_072
    assert len(status_list.to_bytes()) == 16 * 1024
    assert status_list.count() == 0


def test_empty_list_encodes_exactly_as_the_spec_example() -> None:
    """Our GZIP header (MTIME 0, XFL 0, OS 3) and level-9 deflate reproduce it byte for byte."""
    assert StatusList().encode() == SPEC_EXAMPLE_ENCODED_LIST


def test_encoding_is_deterministic_and_small() -> None:
    first, second = StatusList().encode(), StatusList().encode()
    assert first == second
    assert len(first) < 100
    status_list = StatusList()
    for index in (5, 77_777, 131_071):
        status_list.set(index)
    assert status_list.encode() == status_list.encode()
    assert status_list.encode() != first


def test_encoded_list_is_standard_gzip() -> None:
    status_list = StatusList()
    status_list.set(12_345)
    body = status_list.encode()[1:]
    raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert raw == status_list.to_bytes()


def test_decode_accepts_other_gzip_writers() -> None:
    bits = bytearray(16 * 1024)
    bits[0] = 0x80
    encoded = _encode_raw(gzip.compress(bytes(bits), compresslevel=1, mtime=1_700_000_000))
    decoded = StatusList.decode(encoded, "suspension")
    assert decoded.get(0) and decoded.count() == 1 and decoded.purpose == "suspension"


@settings(max_examples=40, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=DEFAULT_SIZE - 1), max_size=200))
def test_round_trip(indexes: set[int]) -> None:
    status_list = StatusList()
    for index in indexes:
        status_list.set(index)
    decoded = StatusList.decode(status_list.encode())
    assert decoded == status_list
    assert decoded.set_indexes() == sorted(indexes)


@pytest.mark.parametrize(
    "encoded",
    [
        SPEC_EXAMPLE_ENCODED_LIST[1:],  # no multibase prefix
        "z" + SPEC_EXAMPLE_ENCODED_LIST[1:],  # base58btc prefix
        "m" + SPEC_EXAMPLE_ENCODED_LIST[1:],  # base64 (standard alphabet) prefix
        "",
    ],
)
def test_decode_rejects_a_wrong_multibase_prefix(encoded: str) -> None:
    with pytest.raises(StatusListError, match="starting with 'u'") as excinfo:
        StatusList.decode(encoded)
    assert _code(excinfo) == "status-list-malformed"
    assert excinfo.value.spec_error == "MALFORMED_VALUE_ERROR"


@pytest.mark.parametrize(
    ("encoded", "message"),
    [
        (SPEC_EXAMPLE_ENCODED_LIST + "==", "without padding"),
        ("uH4sI+AAA/", "not valid base64url"),
        ("uH4sI AAA", "not valid base64url"),
        ("uABCDE", "not valid base64url"),  # length 5 (mod 4 == 1) cannot be base64
        (_encode_raw(zlib.compress(bytes(16 * 1024))), "not GZIP"),
        (_encode_raw(b"plain text, not compressed at all"), "not GZIP"),
        (_encode_raw(gzip.compress(bytes(16 * 1024))[:-12]), "truncated|corrupt"),
        (_encode_raw(gzip.compress(bytes(16 * 1024)) * 2), "after the GZIP member"),
    ],
)
def test_decode_rejects_malformed_values(encoded: str, message: str) -> None:
    with pytest.raises(StatusListError, match=message) as excinfo:
        StatusList.decode(encoded)
    assert _code(excinfo) == "status-list-malformed"


def test_decode_rejects_a_corrupted_gzip_checksum() -> None:
    compressed = bytearray(gzip.compress(bytes(16 * 1024)))
    compressed[-8] ^= 0xFF  # CRC-32 in the trailer
    with pytest.raises(StatusListError, match="corrupt"):
        StatusList.decode(_encode_raw(bytes(compressed)))


def test_decode_rejects_non_strings() -> None:
    with pytest.raises(StatusListError) as excinfo:
        StatusList.decode(b"uH4sI")  # type: ignore[arg-type]
    assert _code(excinfo) == "status-list-malformed"


def test_decode_stops_a_gzip_bomb() -> None:
    """100 MB of zeros compress to ~100 KB; decoding stops just past the 16 MiB limit."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1024 * 1024)
    bomb = b"".join(compressor.compress(chunk) for _ in range(100)) + compressor.flush()
    assert len(bomb) < 200_000
    with pytest.raises(StatusListError, match="GZIP bomb") as excinfo:
        StatusList.decode(_encode_raw(bomb))
    assert _code(excinfo) == "status-list-too-large"


def test_decode_refuses_an_absurdly_long_string_before_decoding() -> None:
    with pytest.raises(StatusListError) as excinfo:
        StatusList.decode("u" + "A" * (MAX_DECODED_BYTES * 2))
    assert _code(excinfo) == "status-list-too-large"


def test_decode_honours_a_smaller_max_bytes() -> None:
    with pytest.raises(StatusListError) as excinfo:
        StatusList.decode(SPEC_EXAMPLE_ENCODED_LIST, max_bytes=1024, min_entries=8)
    assert _code(excinfo) == "status-list-too-large"


def test_decode_rejects_a_list_below_the_herd_privacy_minimum() -> None:
    short = _encode_raw(gzip.compress(bytes(16 * 1024 - 1), mtime=0))
    with pytest.raises(StatusListError, match="herd privacy") as excinfo:
        StatusList.decode(short)
    assert _code(excinfo) == "status-list-length"
    assert excinfo.value.spec_error == "STATUS_LIST_LENGTH_ERROR"
    empty = _encode_raw(gzip.compress(b"", mtime=0))
    with pytest.raises(StatusListError, match="herd privacy"):
        StatusList.decode(empty)


# --- index allocation -------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    used=st.sets(st.integers(min_value=0, max_value=255), max_size=255),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_allocate_never_returns_a_used_index(used: set[int], seed: int) -> None:
    index = allocate_index(used, size=256, rng=random.Random(seed))
    assert 0 <= index < 256 and index not in used
    predicate_index = allocate_index(used.__contains__, size=256, rng=random.Random(seed))
    assert 0 <= predicate_index < 256 and predicate_index not in used


def test_allocate_hands_out_every_index_once_then_reports_full() -> None:
    rng = random.Random(4)
    used: set[int] = set()
    order = []
    for _ in range(64):
        index = allocate_index(used, size=64, rng=rng)
        assert index not in used
        used.add(index)
        order.append(index)
    assert used == set(range(64))
    assert order != sorted(order)  # random, not sequential
    with pytest.raises(StatusListError, match="open a new list") as excinfo:
        allocate_index(used, size=64, rng=rng)
    assert _code(excinfo) == "status-list-full"
    with pytest.raises(StatusListError):
        allocate_index(lambda _index: True, size=64, rng=rng)


def test_allocate_finds_the_last_free_index_of_a_nearly_full_list() -> None:
    used = set(range(DEFAULT_SIZE)) - {123_456}
    assert allocate_index(used) == 123_456
    assert allocate_index(used.__contains__) == 123_456


def test_allocate_defaults_to_the_system_csprng_over_the_full_list() -> None:
    drawn = {allocate_index(set()) for _ in range(50)}
    assert len(drawn) > 45  # 50 draws from 131,072 almost never collide
    assert all(0 <= index < DEFAULT_SIZE for index in drawn)
    assert max(drawn) > 1000  # not sequential from zero


# --- entry, list credential, check ------------------------------------------------------


def test_status_entry_shape() -> None:
    assert status_entry(LIST_URL, 94567, "revocation") == {
        "id": "https://example.com/credentials/status/3#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": LIST_URL,
    }


@pytest.mark.parametrize(
    ("url", "index"), [(LIST_URL, -1), (LIST_URL + "#x", 1), ("not a url", 1), (LIST_URL, True)]
)
def test_status_entry_refuses_bad_arguments(url: str, index: int) -> None:
    with pytest.raises(ValueError):
        status_entry(url, index, "revocation")


def test_status_list_credential_shape_and_context() -> None:
    credential = status_list_credential(
        LIST_URL,
        "did:example:12345",
        "revocation",
        SPEC_EXAMPLE_ENCODED_LIST,
        datetime(2021, 4, 5, 16, 27, 40, tzinfo=timezone(timedelta(hours=2))),
    )
    assert credential == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": LIST_URL,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": "did:example:12345",
        "validFrom": "2021-04-05T14:27:40Z",
        "credentialSubject": {
            "id": LIST_URL + "#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": SPEC_EXAMPLE_ENCODED_LIST,
        },
    }


def test_vc_v2_context_defines_the_status_list_terms() -> None:
    """Why the list credential needs no second context: VC 2.0 defines every term it uses."""
    from importlib.resources import files

    text = (files("microcred.credentials") / "contexts" / "credentials-v2.jsonld").read_text()
    context = json.loads(text)["@context"]
    for term in ("BitstringStatusListCredential", "BitstringStatusList"):
        assert term in context
    entry_terms = context["BitstringStatusListEntry"]["@context"]
    assert {"statusPurpose", "statusListIndex", "statusListCredential"} <= set(entry_terms)
    list_terms = context["BitstringStatusList"]["@context"]
    assert {"statusPurpose", "encodedList"} <= set(list_terms)


def test_status_list_credential_refuses_bad_inputs() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        status_list_credential(
            LIST_URL, ISSUER, "revocation", SPEC_EXAMPLE_ENCODED_LIST, datetime(2024, 1, 1)
        )
    with pytest.raises(StatusListError):
        status_list_credential(LIST_URL, ISSUER, "revocation", "uAAAA", VALID_FROM)
    credential = status_list_credential(
        LIST_URL,
        ISSUER,
        "suspension",
        SPEC_EXAMPLE_ENCODED_LIST,
        VALID_FROM,
        valid_until=VALID_FROM + timedelta(days=1),
    )
    assert credential["validUntil"] == "2021-04-06T14:27:40Z"


def test_check_status_reads_the_bit() -> None:
    status_list = StatusList()
    status_list.set(94567)
    credential = _list_credential(status_list)
    revoked = check_status(status_entry(LIST_URL, 94567, "revocation"), credential)
    assert revoked == StatusResult(purpose="revocation", set=True)
    assert not revoked.valid
    fine = check_status(status_entry(LIST_URL, 94568, "revocation"), credential)
    assert fine == StatusResult(purpose="revocation", set=False) and fine.valid


def test_check_status_on_the_spec_example() -> None:
    spec_list_credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": LIST_URL,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": "did:example:12345",
        "validFrom": "2021-04-05T14:27:40Z",
        "credentialSubject": {
            "id": "https://example.com/status/3#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": SPEC_EXAMPLE_ENCODED_LIST,
        },
    }
    spec_entry = {
        "id": "https://example.com/credentials/status/3#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": LIST_URL,
    }
    assert check_status(spec_entry, spec_list_credential) == StatusResult("revocation", False)


def test_check_status_accepts_a_list_with_several_purposes() -> None:
    credential = _list_credential(StatusList(purpose="suspension"))
    credential["credentialSubject"]["statusPurpose"] = ["revocation", "suspension"]
    result = check_status(status_entry(LIST_URL, 1, "suspension"), credential)
    assert result == StatusResult("suspension", False)


def _entry_with(**changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = dict(status_entry(LIST_URL, 10, "revocation"))
    for key, value in changes.items():
        if value is None:
            del entry[key]
        else:
            entry[key] = value
    return entry


@pytest.mark.parametrize(
    ("entry", "code", "spec_error"),
    [
        (
            _entry_with(statusPurpose="suspension"),
            "status-purpose-mismatch",
            "STATUS_VERIFICATION_ERROR",
        ),
        (_entry_with(statusListIndex="131072"), "status-index-out-of-range", "RANGE_ERROR"),
        (_entry_with(statusListIndex="99999999999"), "status-index-out-of-range", "RANGE_ERROR"),
        (_entry_with(statusListIndex=10), "status-entry-malformed", "MALFORMED_VALUE_ERROR"),
        (_entry_with(statusListIndex="-1"), "status-entry-malformed", "MALFORMED_VALUE_ERROR"),
        (_entry_with(statusListIndex="0x10"), "status-entry-malformed", "MALFORMED_VALUE_ERROR"),
        (_entry_with(statusListIndex=None), "status-entry-malformed", "MALFORMED_VALUE_ERROR"),
        (
            _entry_with(type="StatusList2021Entry"),
            "status-entry-malformed",
            "MALFORMED_VALUE_ERROR",
        ),
        (_entry_with(statusPurpose="message"), "status-purpose-unsupported", None),
        (_entry_with(statusPurpose=["revocation"]), "status-entry-malformed", None),
        (_entry_with(statusSize=2), "status-size-unsupported", "STATUS_VERIFICATION_ERROR"),
        (_entry_with(statusSize=True), "status-size-unsupported", None),
        (_entry_with(statusListCredential=None), "status-entry-malformed", None),
        (_entry_with(id=LIST_URL), "status-entry-malformed", None),
        (
            _entry_with(statusListCredential="https://example.com/credentials/status/4"),
            "status-list-mismatch",
            "STATUS_VERIFICATION_ERROR",
        ),
    ],
)
def test_check_status_mismatches_are_coded(
    entry: dict[str, Any], code: str, spec_error: str | None
) -> None:
    credential = _list_credential(StatusList())
    with pytest.raises(StatusListError) as excinfo:
        check_status(entry, credential)
    assert _code(excinfo) == code
    if spec_error is not None:
        assert excinfo.value.spec_error == spec_error


def test_check_status_accepts_an_explicit_status_size_of_one() -> None:
    credential = _list_credential(StatusList())
    assert check_status(_entry_with(statusSize=1), credential).set is False


def _broken_list_credentials() -> list[tuple[dict[str, Any], str]]:
    good = _list_credential(StatusList())
    cases: list[tuple[dict[str, Any], str]] = []

    def variant(code: str, **subject_changes: Any) -> None:
        credential = json.loads(json.dumps(good))
        credential["credentialSubject"].update(subject_changes)
        cases.append((credential, code))

    wrong_type = json.loads(json.dumps(good))
    wrong_type["type"] = ["VerifiableCredential", "StatusList2021Credential"]
    cases.append((wrong_type, "status-list-credential-malformed"))
    no_subject = json.loads(json.dumps(good))
    del no_subject["credentialSubject"]
    cases.append((no_subject, "status-list-credential-malformed"))
    variant("status-list-credential-malformed", type="StatusList2021")
    variant("status-list-credential-malformed", statusPurpose=[])
    variant("status-list-credential-malformed", statusPurpose=7)
    variant("status-list-malformed", encodedList=None)
    variant("status-list-malformed", encodedList="zABC")
    variant("status-list-length", encodedList=_encode_raw(gzip.compress(bytes(1024))))
    return cases


@pytest.mark.parametrize(("credential", "code"), _broken_list_credentials())
def test_check_status_refuses_broken_list_credentials(
    credential: dict[str, Any], code: str
) -> None:
    with pytest.raises(StatusListError) as excinfo:
        check_status(status_entry(LIST_URL, 10, "revocation"), credential)
    assert _code(excinfo) == code


def test_check_status_refuses_non_objects() -> None:
    credential = _list_credential(StatusList())
    with pytest.raises(StatusListError):
        check_status([], credential)  # type: ignore[arg-type]
    with pytest.raises(StatusListError):
        check_status(status_entry(LIST_URL, 1, "revocation"), "list")  # type: ignore[arg-type]


def test_check_status_without_list_id_and_with_subject_array() -> None:
    credential = _list_credential(StatusList())
    del credential["id"]
    credential["credentialSubject"] = [credential["credentialSubject"]]
    assert check_status(status_entry(LIST_URL, 3, "revocation"), credential).set is False
