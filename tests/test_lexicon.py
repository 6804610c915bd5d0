"""Tests for :mod:`kg.lexicon`: frames inherit through subclassing, and the lexicon is data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.lexicon import Lexicon
from kg.model import Document
from kg.nlp import load_pipeline
from kg.resources import ontology_dir


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load()


def test_departure_inherits_movement_and_event_prep_roles(lexicon: Lexicon) -> None:
    departure = lexicon.frames["Departure"]
    assert departure.ancestors == ("Departure", "Movement", "Event")
    # from kg:Movement
    assert departure.prep_roles["out of"] == "origin"
    assert departure.prep_roles["to"] == "destination"
    assert departure.prep_roles["across"] == "via"
    # from kg:Event
    assert departure.prep_roles["from"] == "origin"
    assert departure.prep_roles["into"] == "destination"
    assert departure.prep_roles["via"] == "via"
    assert departure.prep_roles["through"] == "via"
    assert departure.prep_roles == lexicon.frames["Movement"].prep_roles


def test_departure_inherits_subject_and_overrides_object(lexicon: Lexicon) -> None:
    departure = lexicon.frames["Departure"]
    assert departure.subject == "theme"  # kg:Movement
    assert departure.intransitive_subject == "theme"
    assert departure.object == "origin"  # its own
    assert departure.of_role == "theme"
    assert departure.shortcut == "left"


def test_evacuation_overrides_subject(lexicon: Lexicon) -> None:
    evacuation = lexicon.frames["Evacuation"]
    assert evacuation.ancestors == ("Evacuation", "Movement", "Event")
    assert evacuation.subject == "agent"
    assert evacuation.object == "theme"
    # the intransitive subject is still Movement's
    assert evacuation.intransitive_subject == "theme"
    assert evacuation.prep_roles["out of"] == "origin"
    assert evacuation.shortcut == "evacuated"


def test_arrival_overrides_an_inherited_prep_role(lexicon: Lexicon) -> None:
    assert lexicon.frames["Arrival"].prep_roles["in"] == "destination"
    assert lexicon.frames["Movement"].prep_roles["in"] == "place"
    assert lexicon.frames["Event"].prep_roles["in"] == "place"


def test_defaults_when_nothing_is_annotated(lexicon: Lexicon) -> None:
    event = lexicon.frames["Event"]
    assert (event.subject, event.object, event.intransitive_subject) == (
        "agent",
        "patient",
        "agent",
    )
    assert event.shortcut == ""
    assert event.of_role == ""


def test_intransitive_subject_falls_back_to_subject(lexicon: Lexicon) -> None:
    assert lexicon.frames["Killing"].intransitive_subject == "agent"
    assert lexicon.frames["Opening"].intransitive_subject == "patient"


def test_trigger_lemmas(lexicon: Lexicon) -> None:
    assert lexicon.verb_classes["broker"] == ["Mediation"]
    assert lexicon.verb_classes["flee"] == ["Departure"]
    assert lexicon.noun_classes["truce"] == ["Agreement"]
    assert lexicon.noun_classes["exodus"] == ["Departure"]
    assert "trek" not in lexicon.verb_classes


def _copy_with(tmp_path: Path, extra: str) -> Path:
    text = (ontology_dir() / "kg.ttl").read_text(encoding="utf-8")
    path = tmp_path / "kg.ttl"
    path.write_text(text + "\n" + extra + "\n", encoding="utf-8")
    return path


def test_added_trigger_lemma_is_picked_up(tmp_path: Path) -> None:
    path = _copy_with(tmp_path, 'kg:Departure kg:triggerVerb "trek" ; kg:triggerNoun "trek" .')
    lexicon = Lexicon.load(path)
    assert lexicon.verb_classes["trek"] == ["Departure"]
    assert lexicon.noun_classes["trek"] == ["Departure"]
    # the shipped lexicon is untouched
    assert "trek" not in Lexicon.load().verb_classes


def test_added_event_class_with_its_own_frame(tmp_path: Path) -> None:
    path = _copy_with(
        tmp_path,
        "kg:Donation a owl:Class ; rdfs:subClassOf kg:Event ;\n"
        '    kg:triggerVerb "donate" ; kg:triggerNoun "donation" ;\n'
        '    kg:objectRole kg:theme ; kg:prepRole "to beneficiary" .',
    )
    lexicon = Lexicon.load(path)
    frame = lexicon.frames["Donation"]
    assert lexicon.verb_classes["donate"] == ["Donation"]
    assert frame.ancestors == ("Donation", "Event")
    assert (frame.subject, frame.object) == ("agent", "theme")
    assert frame.prep_roles["to"] == "beneficiary"
    assert frame.prep_roles["from"] == "origin"  # from kg:Event


@pytest.mark.slow
def test_extractor_uses_the_added_lemma(tmp_path: Path) -> None:
    path = _copy_with(tmp_path, 'kg:Departure kg:triggerVerb "trek" .')
    text = "Herders trekked from Sudan into Kenya."
    document = Document(text, "t.txt", published=date(2024, 3, 6))
    doc = load_pipeline()(document.masked_text())
    assert Extractor(Lexicon.load())(document, doc).events == []
    events = Extractor(Lexicon.load(path))(document, doc).events
    assert [(e.event_class, e.trigger) for e in events] == [("Departure", "trekked")]
    roles = {(r.name, r.text) for r in events[0].roles}
    assert roles == {
        ("theme", "Herders"),
        ("origin", "Sudan"),
        ("destination", "Kenya"),
    }
