"""Tests for :mod:`kg.extract.timex`: dates normalised against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from kg.extract.timex import normalise_date

# A Wednesday.
PUBLISHED = date(2024, 3, 6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Monday", "2024-03-04"),
        ("on Friday", "2024-03-01"),
        ("Thursday", "2024-02-29"),  # back across the end of February of a leap year
        ("last Monday", "2024-03-04"),
        ("Monday morning", "2024-03-04"),
        ("Tuesday", "2024-03-05"),
    ],
)
def test_weekday_resolves_to_the_latest_such_day_before_publication(
    text: str, expected: str
) -> None:
    assert normalise_date(text, PUBLISHED) == expected


def test_weekday_of_the_publication_day_is_the_publication_day() -> None:
    assert normalise_date("Wednesday", PUBLISHED) == "2024-03-06"
    assert normalise_date("on Wednesday", date(2023, 11, 15)) == "2023-11-15"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 2", "2024-03-02"),
        ("2 March", "2024-03-02"),
        ("the 2nd of March", "2024-03-02"),
        ("Sept. 9", "2023-09-09"),
        ("Tuesday, March 5", "2024-03-05"),
        ("March 13", "2024-03-13"),  # up to a week ahead stays in the publication year
        ("March 14", "2023-03-14"),  # more than a week ahead is last year's
    ],
)
def test_month_day_without_year_takes_the_publication_year(text: str, expected: str) -> None:
    assert normalise_date(text, PUBLISHED) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 March 2021", "2021-03-02"),
        ("March 2, 2022", "2022-03-02"),
        ("Friday, 17 June 2016", "2016-06-17"),
        ("2019-08-30", "2019-08-30"),
    ],
)
def test_month_day_with_year_ignores_the_publication_date(text: str, expected: str) -> None:
    assert normalise_date(text, PUBLISHED) == expected
    assert normalise_date(text, date(2030, 1, 1)) == expected
    assert normalise_date(text, None) == expected


def test_year_rollover_december_date_in_a_january_article() -> None:
    assert normalise_date("December 30", date(2024, 1, 3)) == "2023-12-30"
    assert normalise_date("28 December", date(2024, 1, 3)) == "2023-12-28"
    # while a date a few days ahead stays in the new year
    assert normalise_date("January 5", date(2024, 1, 3)) == "2024-01-05"


def test_weekday_across_new_year() -> None:
    # 2024-01-01 was a Monday: the Friday before is in 2023
    assert normalise_date("Friday", date(2024, 1, 1)) == "2023-12-29"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", "2024-03-06"),
        ("tonight", "2024-03-06"),
        ("yesterday", "2024-03-05"),
        ("tomorrow", "2024-03-07"),
        ("Today", "2024-03-06"),
    ],
)
def test_relative_days(text: str, expected: str) -> None:
    assert normalise_date(text, PUBLISHED) == expected


def test_yesterday_on_new_years_day_is_last_year() -> None:
    assert normalise_date("yesterday", date(2024, 1, 1)) == "2023-12-31"


@pytest.mark.parametrize(
    "text", ["Monday", "today", "yesterday", "March 2", "the 2nd of March", "Tuesday, March 5"]
)
def test_without_publication_date_relative_expressions_stay_unresolved(text: str) -> None:
    assert normalise_date(text, None) is None


def test_without_publication_date_explicit_dates_and_years_resolve() -> None:
    assert normalise_date("4 July 2011", None) == "2011-07-04"
    assert normalise_date("in 2019", None) == "2019"
    assert normalise_date("1999", None) == "1999"


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("February 30", PUBLISHED),
        ("February 30, 2023", PUBLISHED),
        ("30 February 2023", None),
        ("2023-02-30", None),
        ("April 31", PUBLISHED),
        ("February 29", date(2023, 3, 6)),  # 2023 is not a leap year
        ("2023-13-01", None),
    ],
)
def test_impossible_dates_are_none(text: str, published: date | None) -> None:
    assert normalise_date(text, published) is None


def test_leap_day_in_a_leap_year_resolves() -> None:
    assert normalise_date("February 29", PUBLISHED) == "2024-02-29"


@pytest.mark.parametrize("text", ["next week", "the coming days", "soon", "recently"])
def test_vague_expressions_are_none(text: str) -> None:
    assert normalise_date(text, PUBLISHED) is None
