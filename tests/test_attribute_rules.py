"""The table attribute ruler gives spaCy's AttributeRuler's result, token for token."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG  # type: ignore[import-not-found]
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from kg.attribute_rules import FACTORY, TableAttributeRuler, use_table_attribute_ruler
from kg.ingest import read_documents
from kg.nlp import DEFAULT_MODEL
from kg.pipeline import nlp_text
from kg.resources import SAMPLE_DIR

ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]

WORDS = ["who", "is", "gon", "na", "go", "there", "are", "let", "'s", "y'", "all", "the", "\n"]
TAGS = ["WP", "VBZ", "VBG", "TO", "VB", "EX", "VBP", "NN", "POS", "PRP", "DT", "_SP", "TO"]
DEPS = ["nsubj", "ROOT", "aux", "expl", "det", "dep", "dobj", "punct"]

RULES: list[dict[str, Any]] = [
    {"patterns": [[{"TAG": "WP"}]], "attrs": {"POS": "PRON", "MORPH": "PronType=Int"}},
    {"patterns": [[{"TAG": {"IN": ["VBZ", "VBP"]}}]], "attrs": {"POS": "VERB"}},
    # A later rule wins over an earlier one for the same token.
    {"patterns": [[{"LOWER": "is", "TAG": "VBZ"}]], "attrs": {"POS": "AUX", "LEMMA": "be"}},
    {
        "patterns": [[{"TAG": {"NOT_IN": ["TO", ""]}, "DEP": {"IN": ["aux"]}}]],
        "attrs": {"POS": "AUX"},
    },
    {"patterns": [[{"DEP": {"NOT_IN": ["det", ""]}, "TAG": "DT"}]], "attrs": {"POS": "PRON"}},
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "go"}, "index": 0},
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": -1},
    {
        "patterns": [[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "are"]}}]],
        "attrs": {"POS": "VERB"},
        "index": 1,
    },
    {"patterns": [[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], "attrs": {"LEMMA": "you"}},
    {"patterns": [[{"LOWER": {"REGEX": "^th[ae]"}}]], "attrs": {"MORPH": "Definite=Def"}},
    # One rule, two patterns: one decided by the table, one by the Matcher.
    {
        "patterns": [[{"LOWER": "let"}], [{"LOWER": "let"}, {"LOWER": "'s", "OP": "?"}]],
        "attrs": {"LEMMA": "let"},
    },
    {"patterns": [[{"LOWER": "'s"}, {"OP": "*"}]], "attrs": {"LEMMA": "us"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE", "MORPH": "_"}},
    {"patterns": [[{"IS_SPACE": True, "DEP": {"NOT_IN": [""]}}]], "attrs": {"DEP": "dep"}},
    {"patterns": [[{"TEXT": "Who"}]], "attrs": {"LEMMA": "WHO"}},
    # TEXT is ORTH: two conditions on one attribute, both must hold (here they never do).
    {"patterns": [[{"TEXT": "Who", "ORTH": "who"}]], "attrs": {"LEMMA": "nobody"}},
]


def rulers(vocab: Any, rules: list[dict[str, Any]]) -> tuple[AttributeRuler, TableAttributeRuler]:
    ruler = AttributeRuler(vocab)
    ruler.add_patterns(rules)
    return ruler, TableAttributeRuler(ruler)


def random_doc(vocab: Any, rng: random.Random, with_deps: bool) -> Doc:
    n = rng.randint(1, 14)
    picks = [rng.randrange(len(WORDS)) for _ in range(n)]
    words = [WORDS[i].title() if rng.random() < 0.2 else WORDS[i] for i in picks]
    tags = [TAGS[i] if rng.random() < 0.8 else rng.choice(TAGS) for i in picks]
    kwargs: dict[str, Any] = {"words": words, "tags": tags}
    if with_deps:
        kwargs["deps"] = [rng.choice(DEPS) for _ in range(n)]
        kwargs["heads"] = [rng.randrange(n) for _ in range(n)]
    return Doc(vocab, **kwargs)


def same(a: Doc, b: Doc) -> bool:
    return bool(np.array_equal(a.to_array(ATTRS), b.to_array(ATTRS))) and [
        str(t.morph) for t in a
    ] == [str(t.morph) for t in b]


@pytest.mark.parametrize("with_deps", [True, False])
def test_random_documents_get_the_rulers_annotations(with_deps: bool) -> None:
    nlp = spacy.blank("en")
    ruler, table = rulers(nlp.vocab, RULES)
    rng = random.Random(7)
    changed = 0
    for _ in range(400):
        doc = random_doc(nlp.vocab, rng, with_deps)
        before = doc.to_array(ATTRS)
        expected, got = ruler(doc.copy()), table(doc.copy())
        assert same(expected, got), [(t.text, t.tag_, t.dep_) for t in doc]
        changed += not np.array_equal(before, expected.to_array(ATTRS))
    assert changed > 300  # the rules did apply


def test_rules_of_every_kind_were_tested() -> None:
    """The table, the fixed-length patterns and the Matcher all have rules to decide."""
    _, table = rulers(spacy.blank("en").vocab, RULES)
    assert len({rule for rule, _ in table._tabled}) >= 8
    assert len({rule for rule, _, _ in table._direct}) >= 4
    assert table._has_matcher


def test_an_index_outside_the_match_is_an_error_as_in_spacy() -> None:
    nlp = spacy.blank("en")
    rules = [
        {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "x"}, "index": 2}
    ]
    ruler, table = rulers(nlp.vocab, rules)
    doc = Doc(nlp.vocab, words=["gon", "na"])
    with pytest.raises(ValueError):
        ruler(doc.copy())
    with pytest.raises(ValueError, match="index 2 is outside a match"):
        table(doc.copy())


def test_an_empty_document_and_rules_without_one_token_patterns() -> None:
    nlp = spacy.blank("en")
    ruler, table = rulers(nlp.vocab, [RULES[5]])
    assert len(table(Doc(nlp.vocab, words=[]))) == 0
    doc = Doc(nlp.vocab, words=["Gon", "na", "go"])
    assert same(ruler(doc.copy()), table(doc.copy()))
    assert table(doc)[0].lemma_ == "go"


def test_a_pipeline_without_an_attribute_ruler_is_left_alone() -> None:
    nlp = spacy.blank("en")
    assert not use_table_attribute_ruler(nlp)
    assert nlp.pipe_names == []


def test_rules_that_set_other_attributes_keep_spacys_ruler() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "who"}]], {"NORM": "WHO"})
    assert not use_table_attribute_ruler(nlp)
    assert nlp.pipe_names == ["attribute_ruler"]


@pytest.fixture(scope="module")
def model_pair() -> tuple[Any, Any]:
    stock = spacy.load(DEFAULT_MODEL)
    table = spacy.load(DEFAULT_MODEL)
    assert use_table_attribute_ruler(table)
    return stock, table


def test_the_model_pipeline_gets_the_table_in_the_rulers_place(model_pair: Any) -> None:
    stock, table = model_pair
    position = stock.pipe_names.index("attribute_ruler")
    assert table.pipe_names[position] == FACTORY
    assert "attribute_ruler" not in table.pipe_names
    assert len(table.pipe_names) == len(stock.pipe_names)


TEXTS = [
    "There are two crossings. There's one at Rafah, and it ain't open, y'all.",
    "Who is gonna open it? Let's see: nothin' is certain, they gotta wait.\n\n  C'mon.",
    "EGYPT OPENS RAFAH CROSSING\n\nThe crossing opened on Wednesday.  Trucks   waited.",
]


def test_the_models_annotations_are_unchanged_on_news_text(model_pair: Any) -> None:
    stock, table = model_pair
    texts = TEXTS + [
        nlp_text(document) for document in read_documents([SAMPLE_DIR], lambda exc: None)
    ]
    assert len(texts) > len(TEXTS)
    for expected, got in zip(stock.pipe(texts), table.pipe(texts), strict=True):
        assert same(expected, got), expected.text[:60]
