"""Tests for :mod:`kg.extract.relations`: hand-parsed sentences (no model) and, marked slow,
sentences of our own parsed by the real pipeline."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
import spacy
from spacy.tokens import Doc

from kg.extract.common import sentence_span
from kg.extract.relations import RELATION_TYPES, Relation, extract_relations
from kg.model import Mention

Found = set[tuple[str, str, str]]


def parsed(rows: list[tuple[str, int, str, str, str, str]]) -> Doc:
    """A Doc from hand-written rows: (word, head index, dep, POS, tag, lemma)."""
    words = [r[0] for r in rows]
    spaces = [
        i + 1 < len(rows) and rows[i + 1][0] not in {",", ".", "'s"} for i in range(len(rows))
    ]
    return Doc(
        spacy.blank("en").vocab,
        words=words,
        spaces=spaces,
        heads=[r[1] for r in rows],
        deps=[r[2] for r in rows],
        pos=[r[3] for r in rows],
        tags=[r[4] for r in rows],
        lemmas=[r[5] for r in rows],
    )


def mention(doc: Doc, text: str, label: str) -> Mention:
    start = doc.text.index(text)
    span = doc.char_span(start, start + len(text))
    assert span is not None, text
    return Mention(start, start + len(text), text, label, sentence_span(span.root))


def found(doc: Doc, mentions: list[Mention]) -> Found:
    text = doc.text
    return {
        (r.type, text[r.head[0] : r.head[1]], text[r.tail[0] : r.tail[1]])
        for r in extract_relations(doc, mentions)
    }


# ---------------------------------------------------------------------- without the model
def test_apposition_with_a_role_gives_works_for() -> None:
    doc = parsed([
        ("Dara", 1, "compound", "PROPN", "NNP", "Dara"),
        ("Quill", 10, "nsubj", "PROPN", "NNP", "Quill"),
        (",", 1, "punct", "PUNCT", ",", ","),
        ("a", 4, "det", "DET", "DT", "a"),
        ("spokeswoman", 1, "appos", "NOUN", "NN", "spokeswoman"),
        ("for", 4, "prep", "ADP", "IN", "for"),
        ("the", 8, "det", "DET", "DT", "the"),
        ("Harbour", 8, "compound", "PROPN", "NNP", "Harbour"),
        ("Authority", 5, "pobj", "PROPN", "NNP", "Authority"),
        (",", 1, "punct", "PUNCT", ",", ","),
        ("said", 10, "ROOT", "VERB", "VBD", "say"),
        (".", 10, "punct", "PUNCT", ".", "."),
    ])  # fmt: skip
    quill = mention(doc, "Dara Quill", "PERSON")
    authority = mention(doc, "Harbour Authority", "ORG")
    [rel] = extract_relations(doc, [quill, authority])
    assert (rel.type, rel.head, rel.tail) == ("worksFor", quill.key, authority.key)
    assert rel.evidence == "Dara Quill, a spokeswoman for the Harbour Authority"
    assert rel.sentence == quill.sentence and 0 < rel.confidence <= 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        rel.type = "killed"  # type: ignore[misc]


def test_passive_killing_names_the_agent_as_killer() -> None:
    doc = parsed([
        ("Elsa", 1, "compound", "PROPN", "NNP", "Elsa"),
        ("Lind", 3, "nsubjpass", "PROPN", "NNP", "Lind"),
        ("was", 3, "auxpass", "AUX", "VBD", "be"),
        ("shot", 3, "ROOT", "VERB", "VBN", "shoot"),
        ("by", 3, "agent", "ADP", "IN", "by"),
        ("Tomas", 6, "compound", "PROPN", "NNP", "Tomas"),
        ("Brandt", 4, "pobj", "PROPN", "NNP", "Brandt"),
        (".", 3, "punct", "PUNCT", ".", "."),
    ])  # fmt: skip
    people = [mention(doc, "Elsa Lind", "PERSON"), mention(doc, "Tomas Brandt", "PERSON")]
    assert found(doc, people) == {("killed", "Tomas Brandt", "Elsa Lind")}


def test_comma_places_and_lists() -> None:
    doc = parsed([
        ("Fires", 1, "nsubj", "NOUN", "NNS", "fire"),
        ("hit", 1, "ROOT", "VERB", "VBD", "hit"),
        ("Salem", 1, "dobj", "PROPN", "NNP", "Salem"),
        (",", 2, "punct", "PUNCT", ",", ","),
        ("Ore.", 2, "appos", "PROPN", "NNP", "Ore."),
        (".", 1, "punct", "PUNCT", ".", "."),
    ])  # fmt: skip
    places = [mention(doc, w, "GPE") for w in ("Salem", "Ore.")]
    assert found(doc, places) == {("locatedIn", "Salem", "Ore.")}
    doc = parsed([
        ("Fires", 1, "nsubj", "NOUN", "NNS", "fire"),
        ("hit", 1, "ROOT", "VERB", "VBD", "hit"),
        ("Lyon", 1, "dobj", "PROPN", "NNP", "Lyon"),
        (",", 2, "punct", "PUNCT", ",", ","),
        ("Nice", 2, "conj", "PROPN", "NNP", "Nice"),
        ("and", 4, "cc", "CCONJ", "CC", "and"),
        ("Paris", 4, "conj", "PROPN", "NNP", "Paris"),
        (".", 1, "punct", "PUNCT", ".", "."),
    ])  # fmt: skip
    places = [mention(doc, w, "GPE") for w in ("Lyon", "Nice", "Paris")]
    assert found(doc, places) == set()  # a list, not a town in a region


def test_no_mentions_no_relations() -> None:
    doc = parsed([
        ("Nothing", 1, "nsubj", "PRON", "NN", "nothing"),
        ("happened", 1, "ROOT", "VERB", "VBD", "happen"),
    ])  # fmt: skip
    assert extract_relations(doc, []) == []
    assert set(RELATION_TYPES) >= {"worksFor", "memberOf", "livesIn", "locatedIn", "basedIn"}
    assert {"killed", "nationality", "partOf"} <= set(RELATION_TYPES)
    assert {f.name for f in dataclasses.fields(Relation)} == {
        "type", "head", "tail", "sentence", "confidence", "evidence", "evidence_span", "role"
    }  # fmt: skip


# ---------------------------------------------------------------------- with the model
@pytest.fixture(scope="module")
def nlp():
    from kg.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="module")
def rels(nlp) -> Callable[..., Found]:
    """Relations in a sentence: kg's own mentions, or the (text, label) mentions given."""
    from kg.extract.entities import entity_mentions

    def run(text: str, *given: tuple[str, str]) -> Found:
        doc = nlp(text)
        mentions = [mention(doc, t, label) for t, label in given] or entity_mentions(doc)
        out = extract_relations(doc, mentions)
        for r in out:  # offsets point into the text; both mentions are in the sentence
            assert r.type in RELATION_TYPES and text[slice(*r.evidence_span)] == r.evidence
            s, e = r.sentence
            assert s <= min(r.head[0], r.tail[0]) and max(r.head[1], r.tail[1]) <= e
        return {(r.type, text[r.head[0] : r.head[1]], text[r.tail[0] : r.tail[1]]) for r in out}

    return run


@pytest.mark.slow
def test_spokeswoman_for_an_authority(rels) -> None:
    text = "Dara Quill, a spokeswoman for the Harbour Authority, said the port would reopen."
    assert rels(text) == {("worksFor", "Dara Quill", "Harbour Authority")}


@pytest.mark.slow
def test_organisation_before_role_and_name(rels) -> None:
    assert ("worksFor", "Ned Carver", "FBI") in rels(
        "FBI spokesman Ned Carver said the agency would help."
    )


@pytest.mark.slow
def test_x_based_organisation(rels) -> None:
    # a model may tag Oslo as an organisation here: "-based" says it is a place
    text = "The Oslo-based Fjord Institute published the report on Tuesday."
    assert rels(text, ("Oslo", "ORG"), ("Fjord Institute", "ORG")) == {
        ("basedIn", "Fjord Institute", "Oslo")
    }


@pytest.mark.slow
def test_rebels_killed_the_mayor(rels) -> None:
    text = "Rebels killed Mayor Ana Ruiz on Friday."
    assert rels(text, ("Rebels", "GROUP"), ("Ana Ruiz", "PERSON")) == {
        ("killed", "Rebels", "Ana Ruiz")
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Tomas Brandt, who assassinated Senator Elsa Lind, was arrested in 1990.",
        "Senator Elsa Lind was shot by Tomas Brandt in 1990.",
        "A jury convicted Tomas Brandt of killing Elsa Lind.",
    ],
)
def test_killing_active_passive_relative_and_gerund(rels, text: str) -> None:
    assert ("killed", "Tomas Brandt", "Elsa Lind") in rels(text)
    assert ("killed", "Elsa Lind", "Tomas Brandt") not in rels(text)


@pytest.mark.slow
def test_member_of_through_an_armed_wing(rels) -> None:
    text = (
        "Yusuf Demir, the spokesperson of the group's armed wing, the Ridge Brigades, "
        "said the fighters would withdraw."
    )
    assert rels(text) == {("memberOf", "Yusuf Demir", "Ridge Brigades")}
    assert ("memberOf", "Ivan Petrov", "Green Party") in rels(
        "Ivan Petrov, a member of the Green Party, was elected."
    )


@pytest.mark.slow
def test_where_people_live(rels) -> None:
    assert rels("Lena Park, a native of Tulsa, won the race.") == {
        ("livesIn", "Lena Park", "Tulsa")
    }
    text = "Marta Olsen, who lives in Bergen, wrote the letter."
    assert rels(text, ("Marta Olsen", "PERSON"), ("Bergen", "GPE")) == {
        ("livesIn", "Marta Olsen", "Bergen")
    }
    # born in a town of a country: both, and the town is in the country
    assert rels("Kari Holm was born in Bergen, Norway, in 1950.") == {
        ("livesIn", "Kari Holm", "Bergen"),
        ("livesIn", "Kari Holm", "Norway"),
        ("locatedIn", "Bergen", "Norway"),
    }


@pytest.mark.slow
def test_nationality_from_a_demonym(rels) -> None:
    text = "The Norwegian diplomat Kari Holm said the talks would resume."
    assert rels(text) == {("nationality", "Kari Holm", "Norwegian")}


@pytest.mark.slow
def test_organisations_and_places_in_places(rels) -> None:
    text = "Ole Dahl works for the Nordic Bank in Oslo."
    assert rels(text, ("Ole Dahl", "PERSON"), ("Nordic Bank", "ORG"), ("Oslo", "GPE")) >= {
        ("worksFor", "Ole Dahl", "Nordic Bank"),
        ("basedIn", "Nordic Bank", "Oslo"),
    }
    assert rels("Marin County in California approved the budget.") == {
        ("locatedIn", "Marin County", "California")
    }


@pytest.mark.slow
def test_no_relation_where_none_is_stated(rels) -> None:
    assert rels("Maria Lopez met Tom Hanks in Paris on Monday.") == set()
    assert rels("The Israel-Hamas war entered its second month.") == set()
    assert rels(
        "Flights to Paris, Lyon and Nice were cancelled.",
        ("Paris", "GPE"), ("Lyon", "GPE"), ("Nice", "GPE"),
    ) == set()  # fmt: skip


@pytest.mark.slow
def test_an_acronym_in_parentheses_shares_the_relation(rels) -> None:
    text = "Ivan Petrov, a member of the Nordic Workers Union (NWU), was elected."
    assert rels(text) == {
        ("memberOf", "Ivan Petrov", "Nordic Workers Union"),
        ("memberOf", "Ivan Petrov", "NWU"),
    }


@pytest.mark.slow
def test_pronouns_negation_and_allegations(nlp) -> None:
    from kg.extract.entities import entity_mentions

    def killings(text: str) -> dict[tuple[str, str], float]:
        doc = nlp(text)
        return {
            (text[r.head[0] : r.head[1]], text[r.tail[0] : r.tail[1]]): r.confidence
            for r in extract_relations(doc, entity_mentions(doc))
            if r.type == "killed"
        }

    # "her" is the person named before it, not the killer
    assert set(killings("Elsa Lind was a senator when Tomas Brandt shot her in 1990.")) == {
        ("Tomas Brandt", "Elsa Lind")
    }
    assert killings("Tomas Brandt was not the man who killed Elsa Lind.") == {}
    charged = killings("Tomas Brandt was charged with killing Elsa Lind.")
    convicted = killings("A jury convicted Tomas Brandt of killing Elsa Lind.")
    assert charged.keys() == convicted.keys() == {("Tomas Brandt", "Elsa Lind")}
    assert charged[("Tomas Brandt", "Elsa Lind")] < convicted[("Tomas Brandt", "Elsa Lind")]
    assert set(killings("Elsa Lind's assassin, Tomas Brandt, was hanged.")) == {
        ("Tomas Brandt", "Elsa Lind")
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "The Ridge Brigades, the armed wing of the Harbour Front, fired rockets on Monday.",
        "The Harbour Front's armed wing, the Ridge Brigades, fired rockets on Monday.",
    ],
)
def test_an_armed_wing_is_part_of_its_group(nlp, text: str) -> None:
    doc = nlp(text)
    given = [mention(doc, "Ridge Brigades", "ORG"), mention(doc, "Harbour Front", "ORG")]
    [rel] = extract_relations(doc, given)
    assert (rel.type, rel.head, rel.tail) == ("partOf", given[0].key, given[1].key)
    assert rel.role == "armed wing"


@pytest.mark.slow
def test_the_group_is_the_organisation_named_before_and_roles_are_kept(nlp) -> None:
    text = (
        "The Harbour Front said on Monday that Yusuf Demir, the spokesperson of the group's "
        "armed wing, the Ridge Brigades, had been wounded."
    )
    doc = nlp(text)
    given = [
        mention(doc, "Harbour Front", "ORG"),
        mention(doc, "Yusuf Demir", "PERSON"),
        mention(doc, "Ridge Brigades", "ORG"),
    ]
    found = {
        (r.type, text[r.head[0] : r.head[1]], text[r.tail[0] : r.tail[1]]): r
        for r in extract_relations(doc, given)
    }
    spokesperson = found[("memberOf", "Yusuf Demir", "Ridge Brigades")]
    assert spokesperson.role == "spokesperson"
    wing = found[("partOf", "Ridge Brigades", "Harbour Front")]
    assert wing.role == "armed wing"
    assert doc.text[slice(*wing.evidence_span)] == wing.evidence
    assert "armed wing" in wing.evidence
    # a member of the wing is a member of the group, less surely
    assert found[("memberOf", "Yusuf Demir", "Harbour Front")].confidence < spokesperson.confidence
    assert found[("memberOf", "Yusuf Demir", "Harbour Front")].role == "spokesperson"


@pytest.mark.slow
def test_a_dateline_says_where_the_agency_reports_from(nlp, rels) -> None:
    text = "OSLO, Norway (NTB) -- The fjord froze over on Monday."
    given = (("OSLO", "GPE"), ("Norway", "GPE"), ("NTB", "ORG"))
    assert rels(text, *given) == {
        ("reportsFrom", "NTB", "OSLO"),
        ("reportsFrom", "NTB", "Norway"),
        ("locatedIn", "OSLO", "Norway"),
    }
    doc = nlp(text)
    dateline = [r for r in extract_relations(doc, [mention(doc, t, lb) for t, lb in given])]
    assert {r.role for r in dateline if r.type == "reportsFrom"} == {"dateline"}
    text = "(Text) Bergen, March 3 (NTB) -- The ferry left on time."
    assert ("reportsFrom", "NTB", "Bergen") in rels(text, ("Bergen", "GPE"), ("NTB", "ORG"))
    # an acronym in parentheses inside a sentence is no dateline
    text = "Officials of the Nordic Bank (NB) met in Oslo on Monday."
    found = rels(text, ("Nordic Bank", "ORG"), ("NB", "ORG"), ("Oslo", "GPE"))
    assert not {r for r in found if r[0] == "reportsFrom"}


@pytest.mark.slow
def test_places_in_places_whatever_the_parse(rels) -> None:
    text = "The storm hit Voss in the western part of Norway on Monday."
    assert ("locatedIn", "Voss", "Norway") in rels(text, ("Voss", "GPE"), ("Norway", "GPE"))
    text = "Floods closed roads in Voss, Odda and Eidfjord in western Norway."
    places = [("Voss", "GPE"), ("Odda", "GPE"), ("Eidfjord", "GPE"), ("Norway", "GPE")]
    found = rels(text, *places)
    assert {("locatedIn", town, "Norway") for town in ("Voss", "Odda", "Eidfjord")} <= found
    # where a crossing to a country is, is not where the country is
    text = "Trucks waited at the border crossing to Norway in northern Sweden."
    assert rels(text, ("Norway", "GPE"), ("Sweden", "GPE")) == set()
    # a place, the town it is in and its region, written with commas: not a list
    text = "Harbour Depot, Odda, Hordaland; and Lake Camp, Voss."
    found = rels(
        text, ("Harbour Depot", "FAC"), ("Odda", "GPE"), ("Hordaland", "GPE"), ("Lake Camp", "FAC"),
        ("Voss", "GPE"),
    )  # fmt: skip
    assert {("locatedIn", "Harbour Depot", "Odda"), ("locatedIn", "Odda", "Hordaland")} <= found


@pytest.mark.slow
def test_names_the_model_mislabels(rels) -> None:
    # an age and a personal role say Harrington is a person, whatever the label
    text = "Harrington, 58, a professor at the Bergen Institute, retired on Monday."
    found = rels(text, ("Harrington", "ORG"), ("Bergen Institute", "ORG"))
    assert ("worksFor", "Harrington", "Bergen Institute") in found
    # the victim of an assassination is a person
    text = "Tomas Brandt was convicted of the assassination of Lind in 1990."
    assert ("killed", "Tomas Brandt", "Lind") in rels(
        text, ("Tomas Brandt", "PERSON"), ("Lind", "GPE")
    )
    # "the Ridge Brigades" is an organisation
    text = "Yusuf Demir, a member of the Ridge Brigades, was arrested."
    assert ("memberOf", "Yusuf Demir", "Ridge Brigades") in rels(
        text, ("Yusuf Demir", "PERSON"), ("Ridge Brigades", "PERSON")
    )


@pytest.mark.slow
def test_roles_further_away(rels) -> None:
    text = "Ida Berg, vice president of daytime programs for Nordic Broadcasting, said so."
    assert ("worksFor", "Ida Berg", "Nordic Broadcasting") in rels(
        text, ("Ida Berg", "PERSON"), ("Nordic Broadcasting", "ORG")
    )
    text = "Ole Dahl was acting comptroller at the Bergen Institute when he left."
    assert ("worksFor", "Ole Dahl", "Bergen Institute") in rels(
        text, ("Ole Dahl", "PERSON"), ("Bergen Institute", "ORG")
    )
    text = "Two days later, doctors operated on Lind's assassin, Tomas Brandt, who was wounded."
    assert ("killed", "Tomas Brandt", "Lind") in rels(
        text, ("Lind", "PERSON"), ("Tomas Brandt", "PERSON")
    )
    text = "Tove Lund won in Oregon, the home state of her husband, Erik Lund."
    found = rels(text, ("Tove Lund", "PERSON"), ("Oregon", "GPE"), ("Erik Lund", "PERSON"))
    assert ("livesIn", "Erik Lund", "Oregon") in found
