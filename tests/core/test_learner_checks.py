"""Learner checks: identifiers for what they claim to be, grades against the grade scheme."""

from __future__ import annotations

import pytest

from microcred.standard.learner_checks import (
    LearnerInputError,
    allowed_grades,
    check_grade,
    check_identifier,
    grade_range,
)


@pytest.mark.parametrize(
    ("identifier", "scheme", "expected"),
    [
        ("ada@example.org", None, "email"),
        ("  ada.l+mc@sub.example.co.uk ", "email", "email"),
        ("jürgen@beispiel.de", None, "email"),
        ("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", None, "did"),
        ("S-12345", None, "other"),
        ("S 12345", "student-number", "student-number"),
        ("850101-1234", "national-id", "national-id"),
    ],
)
def test_good_identifiers(identifier: str, scheme: str | None, expected: str) -> None:
    assert check_identifier(identifier, scheme) == (identifier.strip(), expected)


@pytest.mark.parametrize(
    ("identifier", "scheme", "field"),
    [
        ("not an email", "email", "identifier"),
        ("ada@", None, "identifier"),
        ("@example.org", None, "identifier"),
        ("ada@example", None, "identifier"),
        ("ada..l@example.org", None, "identifier"),
        ("ada@-example.org", None, "identifier"),
        ("ada@example.123", None, "identifier"),
        ("did:", None, "identifier"),
        ("   ", None, "identifier"),
        ("line\nbreak", "student-number", "identifier"),
        ("12#34", "national-id", "identifier"),
        ("x", "passport", "scheme"),
    ],
)
def test_bad_identifiers_name_the_field(identifier: str, scheme: str | None, field: str) -> None:
    with pytest.raises(LearnerInputError) as caught:
        check_identifier(identifier, scheme)
    assert caught.value.field == field


def test_grade_schemes_as_they_are_written() -> None:
    assert grade_range({"en": "Dutch 1-10 scale; 5.5 or more to pass"}) == (1, 10)
    assert grade_range({"pt": "Escala de 0 a 20; aprovação com 10"}) == (0, 20)
    assert grade_range({"en": "German 1.0-5.0 scale; 4.0 or better to pass"}) == (1, 5)
    assert allowed_grades({"en": "Distinction / Merit / Pass / Unsuccessful"}) == {
        "distinction",
        "merit",
        "pass",
        "unsuccessful",
    }
    assert allowed_grades({"en": "Pass or fail"}) == {"pass", "fail"}
    assert allowed_grades({"en": "Standard grading: the learner will have passed"}) == set()


@pytest.mark.parametrize(
    ("grade", "scheme"),
    [
        ("7.5", {"en": "1-10"}),
        ("7,5", {"en": "1-10"}),
        ("Merit", {"en": "Distinction / Merit / Pass"}),
        ("anything the issuer writes", {"en": "Assessed by a panel"}),
        ("B+", None),
    ],
)
def test_grades_that_fit(grade: str, scheme: dict[str, str] | None) -> None:
    assert check_grade(grade, scheme) == grade


@pytest.mark.parametrize(
    ("grade", "scheme"),
    [
        ("11", {"en": "1-10"}),
        ("0.5", {"en": "1-10"}),
        ("good", {"en": "1-10"}),
        ("Excellent", {"en": "Distinction / Merit / Pass"}),
        ("", None),
        ("x" * 201, None),
    ],
)
def test_grades_that_do_not_fit_name_the_grade(grade: str, scheme: dict[str, str] | None) -> None:
    with pytest.raises(LearnerInputError) as caught:
        check_grade(grade, scheme)
    assert caught.value.field == "grade"
