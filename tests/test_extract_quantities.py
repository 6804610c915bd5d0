"""Tests for :mod:`kg.extract.quantities`: numbers, qualifiers, what is counted, credit."""

from __future__ import annotations

from datetime import date

import pytest

from kg.extract import Extractor
from kg.extract.quantities import parse_number
from kg.lexicon import Lexicon
from kg.model import Document, Extraction, QuantityClaim
from kg.nlp import load_pipeline


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("8,800", 8800.0),
        ("2.4 million", 2_400_000.0),
        ("ten", 10.0),
        ("Ten", 10.0),
        ("1,250,000", 1_250_000.0),
        ("3 billion", 3_000_000_000.0),
        ("forty", 40.0),
        ("twelve thousand", 12_000.0),
        ("0.5", 0.5),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["dozens", "hundreds", "several", "many"])
def test_parse_number_vague_amounts_are_none(text: str) -> None:
    assert parse_number(text) is None


# ---------------------------------------------------------------- on the model
@pytest.fixture(scope="module")
def extract():
    nlp = load_pipeline()
    extractor = Extractor(Lexicon.load())

    def run(text: str) -> Extraction:
        document = Document(text, "t.txt", published=date(2024, 3, 6))
        return extractor(document, nlp(document.masked_text()))

    return run


def only_claim(ex: Extraction) -> QuantityClaim:
    assert len(ex.claims) == 1, [(c.text, c.counted) for c in ex.claims]
    claim = ex.claims[0]
    assert ex.document.text[claim.start : claim.end] == claim.text
    s, e = claim.counted_span
    assert ex.document.text[s:e] == claim.counted
    return claim


@pytest.mark.slow
def test_exact_number_with_thousands_separator(extract) -> None:
    claim = only_claim(extract("Kenya said 8,800 refugees had crossed into Uganda."))
    assert claim.value == 8800.0
    assert (claim.qualifier, claim.approximate) == ("exact", False)
    assert claim.counted == "refugees"
    assert claim.predicate == "had crossed into Uganda"


@pytest.mark.slow
def test_million_with_about(extract) -> None:
    claim = only_claim(extract("About 2.4 million residents live in the valley."))
    assert claim.value == 2_400_000.0
    assert (claim.qualifier, claim.approximate) == ("approximate", True)
    assert claim.counted == "residents"
    assert claim.predicate == "live in the valley"


@pytest.mark.slow
def test_number_word(extract) -> None:
    claim = only_claim(extract("Ten ambulances waited at the border."))
    assert (claim.value, claim.qualifier) == (10.0, "exact")
    assert claim.counted == "ambulances"
    assert claim.predicate == "waited at the border"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "value", "qualifier", "counted"),
    [
        ("Some 600 trucks entered the port on Tuesday.", 600.0, "approximate", "trucks"),
        ("At least 45 fishermen were rescued off the coast.", 45.0, "at least", "fishermen"),
        ("As many as 300 students were stranded at the airport.", 300.0, "up to", "students"),
        ("Up to 70 patients will be moved to Amman.", 70.0, "up to", "patients"),
        ("Officials counted 200 or so tents in the camp.", 200.0, "approximate", "tents"),
    ],
)
def test_qualifiers(extract, text: str, value: float, qualifier: str, counted: str) -> None:
    claim = only_claim(extract(text))
    assert claim.value == value
    assert claim.qualifier == qualifier
    assert claim.approximate is True
    assert claim.counted == counted


@pytest.mark.slow
def test_counted_phrase_with_coordinated_adjectives(extract) -> None:
    claim = only_claim(extract("Doctors said 64 badly burned or injured children needed surgery."))
    assert claim.value == 64.0
    assert claim.counted == "badly burned or injured children"
    assert claim.predicate == "needed surgery"


@pytest.mark.slow
def test_predicate_of_passive_clause(extract) -> None:
    claim = only_claim(extract("At least 45 fishermen were rescued off the coast."))
    assert claim.predicate == "were rescued off the coast"


@pytest.mark.slow
def test_credit_from_x_said(extract) -> None:
    ex = extract("Kenya said 8,800 refugees had crossed into Uganda.")
    claim = only_claim(ex)
    assert claim.according_to_text == "Kenya"
    assert claim.according_to is not None
    assert ex.document.text[claim.according_to[0] : claim.according_to[1]] == "Kenya"


@pytest.mark.slow
def test_credit_from_according_to(extract) -> None:
    ex = extract("According to the Red Cross, 150 detainees were released.")
    claim = only_claim(ex)
    assert (claim.value, claim.counted) == (150.0, "detainees")
    assert claim.according_to_text == "Red Cross"
    assert claim.according_to is not None
    assert ex.document.text[claim.according_to[0] : claim.according_to[1]] == "Red Cross"


@pytest.mark.slow
def test_credit_to_an_unnamed_source(extract) -> None:
    claim = only_claim(extract("The ministry said 12 schools were damaged."))
    assert claim.according_to_text == "ministry"
    assert claim.counted == "schools"


@pytest.mark.slow
def test_no_credit_without_attribution(extract) -> None:
    claim = only_claim(extract("Ten ambulances waited at the border."))
    assert claim.according_to is None
    assert claim.according_to_text == ""


@pytest.mark.slow
def test_vague_numbers_make_no_claim(extract) -> None:
    assert extract("Dozens of families waited at the gate.").claims == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("two hundred", 200.0),
        ("seven hundred and fifty", 750.0),
        ("two hundred thousand", 200_000.0),
        ("thirty five", 35.0),
        ("thirty-five", 35.0),
        ("3 trillion", 3e12),
        ("two dozen", 24.0),
        ("a dozen", 12.0),
        ("one million two hundred thousand", 1_200_000.0),
    ],
)
def test_parse_number_adds_up_number_words(text: str, value: float) -> None:
    assert parse_number(text) == value


def test_parse_number_refuses_a_number_too_big_to_be_a_count() -> None:
    """A 310-digit figure is infinity as a float; writing it crashed the whole build."""
    assert parse_number("1" + "0" * 309) is None
    assert parse_number("1" + "0" * 20) is None
