"""Tests for :mod:`kg.nlp`: loading the pipeline and kg's own components."""

from __future__ import annotations

import pytest

from kg.errors import KGError, ModelError
from kg.nlp import (
    DEFAULT_MODEL,
    GAZETTEER_COMPONENT,
    PARAGRAPH_COMPONENT,
    GazetteerTagger,
    load_pipeline,
    truecase_headlines,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def test_load_pipeline_is_cached(nlp) -> None:
    assert load_pipeline() is nlp
    assert load_pipeline(DEFAULT_MODEL) is load_pipeline(DEFAULT_MODEL)


def test_unknown_model_raises_model_error_naming_it() -> None:
    name = "kg_test_no_such_model_9f2c"
    with pytest.raises(ModelError, match=name) as info:
        load_pipeline(name)
    assert isinstance(info.value, KGError)
    assert "--model" in str(info.value)


def test_missing_model_folder_raises_model_error(tmp_path) -> None:
    folder = tmp_path / "not-a-model"
    with pytest.raises(ModelError, match="not-a-model"):
        load_pipeline(str(folder))


def test_pipe_names_and_order(nlp) -> None:
    names = nlp.pipe_names
    assert GAZETTEER_COMPONENT == "kg_gazetteer"
    assert PARAGRAPH_COMPONENT == "kg_paragraphs"
    assert names.count("kg_gazetteer") == 1
    assert names.count("kg_paragraphs") == 1
    assert names.index("kg_conll_ner") == names.index("ner") + 1
    assert names.index("kg_reconcile") == names.index("kg_conll_ner") + 1
    assert names.index("kg_gazetteer") == names.index("kg_reconcile") + 1
    assert names.index("kg_consistency") == names.index("kg_gazetteer") + 1
    assert names.index("kg_paragraphs") < names.index("parser")
    assert isinstance(nlp.get_pipe("kg_gazetteer"), GazetteerTagger)


def test_paragraph_breaks_start_sentences(nlp) -> None:
    text = "Aid convoy reaches Kassala\nTrucks carrying flour entered the town on Monday"
    doc = nlp(text)
    starts = [s.start_char for s in doc.sents]
    assert text.index("Trucks") in starts
    second = doc[[t.text for t in doc].index("Trucks")]
    assert second.is_sent_start


def test_blank_line_between_paragraphs(nlp) -> None:
    text = "Photo: Hanna Lind for the agency\n\nNorway sent two planes to Oslo airport."
    doc = nlp(text)
    sentences = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert sentences == [
        "Photo: Hanna Lind for the agency",
        "Norway sent two planes to Oslo airport.",
    ]


def test_no_break_inside_a_line(nlp) -> None:
    doc = nlp("Norway sent two planes to Oslo airport on Monday")
    assert len(list(doc.sents)) == 1


def test_gazetteer_component_sets_kb_ids(nlp) -> None:
    doc = nlp("Lorries queued at the Rafah crossing while Norway sent aid.")
    found = {(e.text, e.label_, e.kb_id_) for e in doc.ents}
    assert ("Rafah crossing", "FAC", "Facility|rafah border crossing") in found
    assert ("Norway", "GPE", "Q20") in found


def test_headlines_in_capitals_and_in_title_case_are_recased() -> None:
    body = "Police said a woman shot two co-workers at the Kraft plant in New York."
    caps = truecase_headlines("WOMAN SHOT TWO CO-WORKERS IN NEW YORK\n" + body)
    assert caps.split("\n")[0] == "Woman shot two co-workers in New York"
    title = truecase_headlines("Woman Shot Two Co-Workers At Kraft Plant In New York\n" + body)
    # words the article writes only in lower case are lowered; names and "New" of "New
    # York" (which the article capitalises) stay
    assert title.split("\n")[0] == "Woman shot two co-workers at Kraft plant in New York"
    # a capitalised line further down (a table, a list of names) is left alone
    table = truecase_headlines(body + "\nWoman Plant Police Report Two")
    assert table.split("\n")[1] == "Woman Plant Police Report Two"
    assert len(title) == len(body) + len("Woman Shot Two Co-Workers At Kraft Plant In New York") + 1


def test_a_title_case_headline_gives_no_names_made_of_common_words(nlp) -> None:
    text = (
        "Muslim Woman Shoots Co-workers At Kraft Plant\n"
        "A woman who was suspended from her job shoots two co-workers at the Kraft plant, "
        "police said. The woman, Yvonne Hiller, was charged with murder."
    )
    doc = nlp(truecase_headlines(text))
    headline = [e.text for e in doc.ents if e.end_char <= text.index("\n")]
    assert not any("Shoots" in e or "shoots" in e for e in headline)
