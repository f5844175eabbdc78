"""URL parameters -> SearchQuery: every bad value is a clear SearchQueryError, never a crash."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from microcred.catalogue import SearchQueryError
from microcred_web.catalogue.services import parse_query


def test_all_parameters_are_read() -> None:
    query = parse_query(
        QueryDict(
            "q=data+stewardship&eqf=6&eqf=7&language=fr&ects_min=2,5&ects_max=10"
            "&sort=ects&page=2&per_page=10&lang=fr&utm_source=x"
        )
    )
    assert query.text == "data stewardship"
    assert dict(query.filters) == {"eqf": ("6", "7"), "language": ("fr",)}
    assert (query.ects_min, query.ects_max) == (2.5, 10)
    assert (query.sort, query.page, query.per_page) == ("ects", 2, 10)


def test_empty_form_fields_mean_no_constraint() -> None:
    query = parse_query(QueryDict("q=&ects_min=&ects_max=&page=&sort=&eqf="))
    assert query.text == "" and not query.filters
    assert query.ects_min is None and query.page == 1 and query.sort == "relevance"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ("ects_min=abc", "Minimum ECTS must be a number"),
        ("ects_max=-3", "Maximum ECTS must be zero or more"),
        ("ects_min=nan", "Minimum ECTS must be zero or more"),
        ("ects_min=20&ects_max=5", "Minimum ECTS (20) is above maximum ECTS (5)"),
        ("page=two", "Page must be a whole number"),
        ("page=0", "Page must be 1 or more"),
        ("page=100000", "too deep"),
        ("per_page=1000", "Results per page must be from 1 to 100"),
        ("sort=price", "unknown sort"),
        ("q=" + "x" * 501, "at most 500"),
    ],
)
def test_bad_values_are_refused_with_a_message(params: str, message: str) -> None:
    with pytest.raises(SearchQueryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_query(QueryDict(params))
