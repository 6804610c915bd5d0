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
