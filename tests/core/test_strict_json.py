"""Only JSON is JSON: ``NaN``, ``Infinity`` and numbers that overflow (``1e999999``) are refused
with a message naming the value and its position, wherever outside documents are read."""

from __future__ import annotations

import json

import pytest

from microcred.standard import strict_json
from microcred.standard.readers import ReadError, load_json
from microcred.verify import verify_credential


@pytest.mark.parametrize(
    ("text", "named", "where"),
    [
        ('{"ects": NaN}', "NaN", "line 1, column 10"),
        ('{"a": 1,\n "ects": Infinity}', "Infinity", "line 2, column 10"),
        ("[1, -Infinity]", "-Infinity", "line 1, column 5"),
        ('{"ects": 1e999999}', "1e999999", "line 1, column 10"),
        ('{"s": "NaN and 1e999999 in a string", "x": -1.5E400}', "-1.5E400", "line 1, column 44"),
        ("[" + "9" * 5000 + "]", "5,000 digits", "line 1, column 2"),
    ],
)
def test_values_python_accepts_but_json_does_not_are_refused(
    text: str, named: str, where: str
) -> None:
    with pytest.raises(ReadError) as caught:
        load_json(text.encode(), "the body")

    message = str(caught.value)
    assert message.startswith("the body is not valid JSON: ")
    assert named in message and where in message


def test_json_itself_still_reads_as_before() -> None:
    text = '{"s": "NaN", "n": [0, -0.5, 1e308, 12345678901234567890], "t": true, "z": null}'

    assert load_json(text.encode()) == json.loads(text)
    assert strict_json.loads(text) == json.loads(text)


def test_syntax_errors_keep_their_position() -> None:
    with pytest.raises(json.JSONDecodeError):
        strict_json.loads('{"a": }')


def test_the_verification_pipeline_reports_not_json() -> None:
    result = verify_credential(b'{"@context": [], "credentialSubject": {"ects": NaN}}')

    assert result.verified is False
    [check] = [c for c in result.checks if c.code == "format"]
    assert check.details.get("reason") == "not-json" or "NaN" in check.message
