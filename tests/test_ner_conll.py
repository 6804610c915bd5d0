"""Tests for kg's CoNLL-2003 name recogniser and its reconciliation with the English model.

The reconciliation tests build documents by hand on ``spacy.blank("en")``: the English model's
entities in ``doc.ents``, the CoNLL model's names in ``doc.spans["kg_conll"]``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, Span

from kg.errors import ModelError
from kg.nlp import (
    CONLL_MODEL_DIR,
    CONLL_SPANS,
    ConllRecognizer,
    consistent_entities,
    load_pipeline,
    reconcile_entities,
)


@pytest.fixture(scope="module")
def blank() -> spacy.language.Language:
    return spacy.blank("en")


def make(
    nlp: spacy.language.Language,
    text: str,
    ents: list[tuple[str, str]],
    names: list[tuple[str, str]],
) -> Doc:
    """A document of ``text`` whose English entities and CoNLL names are (text, label) pairs,
    each found at its first occurrence."""
    doc = nlp.make_doc(text)

    def span(part: str, label: str) -> Span:
        start = text.index(part)
        found = doc.char_span(start, start + len(part), label=label)
        assert found is not None, part
        return found

    doc.ents = [span(p, lbl) for p, lbl in ents]
    doc.spans[CONLL_SPANS] = [span(p, lbl) for p, lbl in names]
    return doc


def ents(doc: Doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


# ---------------------------------------------------------------- reconciliation rule
def test_a_date_survives_next_to_a_person(blank) -> None:
    doc = make(
        blank,
        "Marta Kowalczyk arrived on Tuesday.",
        ents=[("Marta", "ORG"), ("Tuesday", "DATE")],
        names=[("Marta Kowalczyk", "PER")],
    )
    assert ents(reconcile_entities(doc)) == [("Marta Kowalczyk", "PERSON"), ("Tuesday", "DATE")]


def test_the_conll_type_wins_over_the_english_one(blank) -> None:
    doc = make(
        blank,
        "Fenwick Rowing Club won 3 races.",
        ents=[("Fenwick", "PERSON"), ("3", "CARDINAL")],
        names=[("Fenwick Rowing Club", "ORG")],
    )
    assert ents(reconcile_entities(doc)) == [("Fenwick Rowing Club", "ORG"), ("3", "CARDINAL")]


def test_a_location_keeps_the_english_finer_type(blank) -> None:
    doc = make(
        blank,
        "Boats crossed Lake Orvana to Tessburg and Kelvale.",
        ents=[("Lake Orvana", "LOC"), ("Tessburg", "PERSON")],
        names=[("Lake Orvana", "LOC"), ("Tessburg", "LOC"), ("Kelvale", "LOC")],
    )
    assert ents(reconcile_entities(doc)) == [
        ("Lake Orvana", "LOC"),
        ("Tessburg", "GPE"),  # no English location type: GPE
        ("Kelvale", "GPE"),
    ]


def test_misc_takes_the_english_type_or_is_left_out(blank) -> None:
    doc = make(
        blank,
        "Danish fans watched the Nordvik Cup and paid 3 million Swiss francs.",
        ents=[("Danish", "NORP"), ("Nordvik Cup", "ORG"), ("3 million Swiss francs", "MONEY")],
        names=[("Danish", "MISC"), ("Nordvik Cup", "MISC"), ("Swiss", "MISC")],
    )
    # "Nordvik Cup" is some other kind of name: neither kept nor an ORG; the amount stays.
    assert ents(reconcile_entities(doc)) == [
        ("Danish", "NORP"),
        ("3 million Swiss francs", "MONEY"),
    ]


def test_a_name_inside_a_left_out_compound_stays(blank) -> None:
    doc = make(
        blank,
        "The Tessburg-based Orvana Trust sued Pellham.",
        ents=[("Tessburg", "ORG"), ("Orvana Trust", "ORG"), ("Pellham", "GPE")],
        names=[("Tessburg-based", "MISC"), ("Orvana Trust", "ORG"), ("Pellham", "LOC")],
    )
    assert ents(reconcile_entities(doc)) == [
        ("Tessburg", "ORG"),  # the relation rules read "-based" as a place
        ("Orvana Trust", "ORG"),
        ("Pellham", "GPE"),
    ]


def test_english_people_orgs_and_places_need_a_conll_name(blank) -> None:
    doc = make(
        blank,
        "Relief reached the Amberly bridge, Druze villages and Pellham in May.",
        ents=[
            ("Relief", "PERSON"),
            ("Amberly bridge", "FAC"),
            ("Druze", "NORP"),
            ("Pellham", "GPE"),
            ("May", "DATE"),
        ],
        names=[],
    )
    assert ents(reconcile_entities(doc)) == [
        ("Amberly bridge", "FAC"),
        ("Druze", "NORP"),
        ("May", "DATE"),
    ]


def test_a_document_without_conll_names_is_left_alone(blank) -> None:
    doc = blank.make_doc("Pellham sent aid on Monday.")
    doc.ents = [Span(doc, 0, 1, label="GPE"), Span(doc, 4, 5, label="DATE")]
    assert ents(reconcile_entities(doc)) == [("Pellham", "GPE"), ("Monday", "DATE")]


def test_a_surname_after_the_full_name_is_that_person(blank) -> None:
    doc = make(
        blank,
        "Minister Amira Haddad left. Haddad and Ms Haddad met Haddad Group.",
        ents=[("Amira Haddad", "PERSON")],
        names=[],
    )
    doc.ents = [
        *doc.ents,
        Span(doc, 5, 6, label="GPE"),  # Haddad
        Span(doc, 7, 9, label="GPE"),  # Ms Haddad
        Span(doc, 10, 12, label="ORG"),  # Haddad Group
    ]
    assert ents(consistent_entities(doc)) == [
        ("Amira Haddad", "PERSON"),
        ("Haddad", "PERSON"),
        ("Ms Haddad", "PERSON"),
        ("Haddad Group", "ORG"),
    ]


# ---------------------------------------------------------------- the shipped component
def test_weights_are_packaged_and_small() -> None:
    assert (CONLL_MODEL_DIR / "model").is_file()
    size = sum(p.stat().st_size for p in CONLL_MODEL_DIR.rglob("*") if p.is_file())
    assert size < 20_000_000
    meta = json.loads((CONLL_MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    assert meta["labels"] == ["PER", "ORG", "LOC", "MISC"]


def test_recogniser_loads_from_package_data_and_leaves_ents_alone(blank) -> None:
    recogniser = ConllRecognizer(blank)
    doc = recogniser(blank.make_doc("Angela Merkel met Emmanuel Macron in Berlin on Friday."))
    assert not doc.ents
    names = {(s.text, s.label_) for s in doc.spans[CONLL_SPANS]}
    assert {("Angela Merkel", "PER"), ("Emmanuel Macron", "PER"), ("Berlin", "LOC")} <= names
    piped = list(recogniser.pipe([blank.make_doc("Paris"), blank.make_doc("")], batch_size=1))
    assert len(piped) == 2 and not list(piped[1].spans[CONLL_SPANS])


def test_missing_weights_raise_model_error(blank, tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"train_ner\.py"):
        ConllRecognizer(blank, tmp_path)


@pytest.mark.slow
def test_pipeline_keeps_dates_and_numbers_beside_conll_names() -> None:
    doc = load_pipeline()("Angela Merkel met Siemens in Berlin on 4 May 2023 with 12 ministers.")
    found = [(e.text, e.label_) for e in doc.ents]
    assert {("Angela Merkel", "PERSON"), ("Siemens", "ORG"), ("Berlin", "GPE")} <= set(found)
    assert ("4 May 2023", "DATE") in found
    assert ("12", "CARDINAL") in found
