"""Tests for :mod:`kg.extract.entities` on the real model: gazetteer corrections, titles,
affiliations, honorifics and definite descriptions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from kg.extract import Extractor
from kg.lexicon import Lexicon
from kg.model import Document, Extraction, Mention
from kg.nlp import KG_ENTITY_COMPONENTS, load_pipeline

pytestmark = pytest.mark.slow

PUBLISHED = date(2024, 3, 6)


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="module")
def extract(nlp) -> Callable[[str], Extraction]:
    extractor = Extractor(Lexicon.load())

    def run(text: str) -> Extraction:
        document = Document(text, "t.txt", published=PUBLISHED)
        return extractor(document, nlp(document.masked_text()))

    return run


def named(extraction: Extraction, text: str) -> Mention:
    found = [m for m in extraction.mentions if m.text == text and not m.nominal]
    assert len(found) == 1, [(m.text, m.label) for m in extraction.mentions]
    return found[0]


def test_offsets_point_into_the_text(extract) -> None:
    ex = extract("Foreign Ministry spokesperson Tariq Mansour said the Erez crossing was calm.")
    assert ex.mentions
    for m in ex.mentions:
        assert ex.document.text[m.start : m.end] == m.text
        s, e = m.sentence
        assert s <= m.start and m.end <= e


# ---------------------------------------------------------------- gazetteer corrections
def test_crossing_the_model_calls_a_person_becomes_a_facility(nlp, extract) -> None:
    text = "Lorries queued at the Rafah crossing for days."
    with nlp.select_pipes(disable=list(KG_ENTITY_COMPONENTS)):
        raw = nlp(text)
    assert [(e.text, e.label_) for e in raw.ents if "Rafah" in e.text] == [("Rafah", "PERSON")]
    m = named(extract(text), "Rafah crossing")
    assert m.label == "FAC"
    assert m.kb_key == "Facility|rafah border crossing"


def test_town_the_model_calls_a_person_becomes_a_gpe(nlp, extract) -> None:
    text = "Medics set up tents in Sheikh Zuweid last week."
    with nlp.select_pipes(disable=list(KG_ENTITY_COMPONENTS)):
        raw = nlp(text)
    assert {e.label_ for e in raw.ents if "Zuweid" in e.text} == {"PERSON"}
    m = named(extract(text), "Sheikh Zuweid")
    assert m.label == "GPE"
    assert m.kb_key == "City|sheikh zuweid"


def test_model_entity_with_determiner_is_trimmed_and_keyed(extract) -> None:
    ex = extract("The convoy waited near the Kerem Shalom crossing.")
    m = named(ex, "Kerem Shalom crossing")
    assert (m.label, m.kb_key) == ("FAC", "Facility|kerem shalom crossing")


def test_countries_get_their_wikidata_key(extract) -> None:
    ex = extract("Norway and Kenya sent observers.")
    assert named(ex, "Norway").kb_key == "Q20"
    assert named(ex, "Kenya").kb_key == "Q114"


def test_lowercase_us_is_never_the_united_states(extract) -> None:
    ex = extract("Let us hope, she told us, that the aid arrives.")
    assert not any(m.kb_key == "Q30" for m in ex.mentions)
    assert not any(m.text.casefold() == "us" for m in ex.mentions)


def test_uppercase_us_is_the_united_states_but_us_is_not(extract) -> None:
    text = "None of us expected the US to act."
    ex = extract(text)
    us = [m for m in ex.mentions if m.kb_key == "Q30"]
    assert [(m.text, m.start) for m in us] == [("US", text.index("US"))]


# ---------------------------------------------------------------- titles and affiliations
def test_spokesperson_of_a_ministry(extract) -> None:
    text = "Foreign Ministry spokesperson Tariq Mansour said the talks had resumed."
    m = named(extract(text), "Tariq Mansour")
    assert m.label == "PERSON"
    assert m.titles == ("spokesperson",)
    assert m.affiliation is not None
    assert text[m.affiliation[0] : m.affiliation[1]] == "Foreign Ministry"


def test_spokesman_of_another_ministry(extract) -> None:
    text = "Defence Ministry spokesman Ilan Carmi declined to comment."
    m = named(extract(text), "Ilan Carmi")
    assert m.titles == ("spokesman",)
    assert m.affiliation is not None
    assert text[m.affiliation[0] : m.affiliation[1]] == "Defence Ministry"


def test_president_title(extract) -> None:
    m = named(extract("President Amadou Sow arrived in the capital on Sunday."), "Amadou Sow")
    assert m.titles == ("President",)
    assert m.affiliation is None


def test_multi_word_title(extract) -> None:
    m = named(extract("Prime Minister Helga Strand met the delegation."), "Helga Strand")
    assert m.titles == ("Prime Minister",)


def test_honorific_before_the_name_is_neither_name_nor_title(extract) -> None:
    ex = extract("Mr Pieter de Wit said the vote would go ahead.")
    m = named(ex, "Pieter de Wit")
    assert m.titles == ()
    assert not any(x.text.startswith("Mr") for x in ex.mentions)


def test_honorific_inside_the_model_entity_is_stripped(extract) -> None:
    ex = extract("The minister thanked Mrs Olga Petrenko for her work.")
    m = named(ex, "Olga Petrenko")
    assert m.label == "PERSON"
    assert m.titles == ()


def test_title_from_apposition(extract) -> None:
    ex = extract("Yusuf Demir, the spokesperson of the movement, said the fighters would withdraw.")
    assert named(ex, "Yusuf Demir").titles == ("spokesperson",)


# ---------------------------------------------------------------- definite descriptions
def test_the_crossing_after_a_named_crossing_is_nominal(extract) -> None:
    text = "Lorries waited at the Rafah crossing. Later the crossing opened."
    ex = extract(text)
    antecedent = named(ex, "Rafah crossing")
    nominal = [m for m in ex.mentions if m.nominal]
    assert len(nominal) == 1
    m = nominal[0]
    assert (m.text, m.start) == ("crossing", text.rindex("crossing"))
    assert m.antecedent == (antecedent.start, antecedent.end)
    assert m.label == "FAC"
    assert m.kb_key == "Facility|rafah border crossing"


def test_the_bridge_after_a_named_bridge(extract) -> None:
    text = "Jordan closed the Allenby Bridge on Monday. The bridge reopened a week later."
    ex = extract(text)
    nominal = [m for m in ex.mentions if m.nominal]
    assert [(m.text, m.start) for m in nominal] == [("bridge", text.rindex("bridge"))]
    assert text[nominal[0].antecedent[0] : nominal[0].antecedent[1]] == "Allenby Bridge"


def test_two_named_crossings_make_the_crossing_ambiguous(extract) -> None:
    ex = extract(
        "Trucks waited at the Erez crossing while the Kerem Shalom crossing stayed shut. "
        "The crossing was quiet."
    )
    assert not any(m.nominal for m in ex.mentions)


def test_the_crossing_before_any_name_is_not_nominal(extract) -> None:
    ex = extract("The crossing was quiet. Later lorries reached the Rafah crossing.")
    assert not any(m.nominal for m in ex.mentions)
