"""The table lemmatizer gives spaCy's lemmatizer's lemmas, token for token."""

from __future__ import annotations

from typing import Any

import pytest
import spacy
from spacy.tokens import Doc

from kg.ingest import read_documents
from kg.lemmatizer import FACTORY, TableLemmatizer, use_table_lemmatizer
from kg.nlp import DEFAULT_MODEL, load_pipeline
from kg.pipeline import nlp_text
from kg.resources import SAMPLE_DIR


def lookup_nlp(overwrite: bool = False) -> Any:
    nlp = spacy.blank("en")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup", "overwrite": overwrite})
    lemmatizer.lookups.add_table("lemma_lookup", {"opened": "open", "crossings": "crossing"})
    return nlp


@pytest.mark.parametrize("overwrite", [False, True])
def test_lookup_mode_and_lemmas_already_set(overwrite: bool) -> None:
    stock, table = lookup_nlp(overwrite), lookup_nlp(overwrite)
    assert use_table_lemmatizer(table)
    words = ["Egypt", "opened", "the", "crossings", "opened"]
    docs = [Doc(nlp.vocab, words=words, lemmas=["", "OPEN", "", "", ""]) for nlp in (stock, table)]
    expected = [t.lemma_ for t in stock.get_pipe("lemmatizer")(docs[0])]
    got = [t.lemma_ for t in table.get_pipe(FACTORY)(docs[1])]
    assert got == expected
    assert got[1] == ("open" if overwrite else "OPEN")  # a lemma already set stays unless overwrite
    assert got[4] == "open"


def test_lemmatizers_whose_answer_may_depend_on_more_are_left_alone() -> None:
    nlp = spacy.blank("en")
    assert not use_table_lemmatizer(nlp)  # none
    with pytest.raises(ValueError, match="cannot table"):
        TableLemmatizer(object())


def test_an_empty_component_says_how_to_fill_it() -> None:
    nlp = spacy.blank("en")
    with pytest.raises(ValueError, match="use_table_lemmatizer"):
        TableLemmatizer()(nlp("Rafah"))


def test_the_models_lemmas_are_unchanged_on_news_text() -> None:
    stock = load_pipeline(DEFAULT_MODEL, table_components=False)
    table = load_pipeline(DEFAULT_MODEL)
    assert "lemmatizer" in stock.pipe_names and "lemmatizer" not in table.pipe_names
    position = stock.pipe_names.index("lemmatizer")
    assert table.pipe_names[position] == FACTORY
    texts = [
        "Israeli jets struck Gaza; wounded Palestinians were being evacuated. They've left.",
        "Who is gonna open it? Trucks carrying aid crossed, officials said.\n\n  C'mon.",
    ] + [nlp_text(d) for d in read_documents([SAMPLE_DIR], lambda exc: None)]
    for expected, got in zip(stock.pipe(texts), table.pipe(texts), strict=True):
        assert [t.lemma_ for t in got] == [t.lemma_ for t in expected], expected.text[:60]
