"""Tests for :mod:`kg.resolve`: one entity per real-world thing, within and across articles."""

from __future__ import annotations

from datetime import date

import pytest

from kg.extract import Extractor
from kg.gazetteer import Gazetteer
from kg.lexicon import Lexicon
from kg.model import Document, Extraction, Mention, Resolution
from kg.nlp import load_pipeline
from kg.resolve import Resolver, nationality_key


def mention(text: str, needle: str, label: str, nth: int = 0, **kw: object) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Mention(start, start + len(needle), needle, label, (0, len(text)), **kw)  # type: ignore[arg-type]


def key_of(res: Resolution, ex: Extraction, m: Mention) -> str:
    return res.mention_entity[ex.document.id][m.key]


# ---------------------------------------------------------------- hand-made mentions
def test_surname_points_to_the_full_name() -> None:
    text = "Minister Oskar Lindqvist arrived. Lindqvist spoke briefly."
    full = mention(text, "Oskar Lindqvist", "PERSON")
    short = mention(text, "Lindqvist", "PERSON", nth=1)
    ex = Extraction(Document(text, "a.txt"), [full, short])
    res = Resolver(Gazetteer()).resolve([ex])
    assert key_of(res, ex, full) == key_of(res, ex, short) == "Person|oskar lindqvist"
    entity = res.entities["Person|oskar lindqvist"]
    assert entity.label == "Oskar Lindqvist"
    assert entity.aliases == {"Oskar Lindqvist", "Lindqvist"}


def test_surname_before_the_full_name_is_its_own_entity() -> None:
    text = "Lindqvist spoke. Later Oskar Lindqvist left."
    short = mention(text, "Lindqvist", "PERSON")
    full = mention(text, "Oskar Lindqvist", "PERSON")
    ex = Extraction(Document(text, "a.txt"), [short, full])
    res = Resolver(Gazetteer()).resolve([ex])
    assert key_of(res, ex, short) == "Person|lindqvist"
    assert key_of(res, ex, full) == "Person|oskar lindqvist"


def test_surname_does_not_join_an_organisation() -> None:
    text = "The Lindqvist Foundation paid. Lindqvist spoke."
    org = mention(text, "Lindqvist Foundation", "ORG")
    person = mention(text, "Lindqvist", "PERSON", nth=1)
    ex = Extraction(Document(text, "a.txt"), [org, person])
    res = Resolver(Gazetteer()).resolve([ex])
    assert key_of(res, ex, person) == "Person|lindqvist"


def test_acronym_points_to_its_expansion() -> None:
    text = "The Joint Relief Committee met. The JRC said it would meet again."
    long = mention(text, "Joint Relief Committee", "ORG")
    short = mention(text, "JRC", "ORG")
    ex = Extraction(Document(text, "a.txt"), [long, short])
    res = Resolver(Gazetteer()).resolve([ex])
    assert key_of(res, ex, long) == key_of(res, ex, short) == "Organization|joint relief committee"


def test_acronym_with_other_initials_stays_apart() -> None:
    text = "The Joint Relief Committee met. The JRB said it would meet again."
    long = mention(text, "Joint Relief Committee", "ORG")
    short = mention(text, "JRB", "ORG")
    ex = Extraction(Document(text, "a.txt"), [long, short])
    res = Resolver(Gazetteer()).resolve([ex])
    assert key_of(res, ex, short) == "Organization|jrb"


def test_majority_type_vote() -> None:
    text = "Marlowe spoke. Marlowe left. Marlowe returned."
    ms = [
        mention(text, "Marlowe", "PERSON", nth=0),
        mention(text, "Marlowe", "ORG", nth=1),
        mention(text, "Marlowe", "PERSON", nth=2),
    ]
    ex = Extraction(Document(text, "a.txt"), ms)
    res = Resolver(Gazetteer()).resolve([ex])
    assert {key_of(res, ex, m) for m in ms} == {"Person|marlowe"}
    assert res.entities["Person|marlowe"].type == "Person"


def test_demonym_is_a_nationality_not_the_country() -> None:
    text = "Kenyans queued while Kenya opened the gate."
    demonym = mention(text, "Kenyans", "NORP", kb_key="Q114")
    country = mention(text, "Kenya", "GPE", nth=1, kb_key="Q114")
    ex = Extraction(Document(text, "a.txt"), [demonym, country])
    res = Resolver(Gazetteer.default()).resolve([ex])
    nat = res.entities[key_of(res, ex, demonym)]
    land = res.entities[key_of(res, ex, country)]
    assert nat.key != land.key
    assert (nat.type, nat.qid, nat.label) == ("Nationality", "", "Kenyan")
    assert (land.type, land.qid, land.label) == ("Country", "Q114", "Kenya")


def test_singular_and_plural_demonyms_are_one_nationality() -> None:
    text = "A Norwegian envoy met Norwegians."
    one = mention(text, "Norwegian", "NORP")
    many = mention(text, "Norwegians", "NORP")
    ex = Extraction(Document(text, "a.txt"), [one, many])
    res = Resolver(Gazetteer.default()).resolve([ex])
    assert key_of(res, ex, one) == key_of(res, ex, many) == "Nationality|of Q20"


def test_nationality_key() -> None:
    gz = Gazetteer.default()
    assert nationality_key(gz, "Colombians") == "Q739"
    assert nationality_key(gz, "Omani") == "Q842"
    assert nationality_key(gz, "Martians") is None


def test_surname_joins_a_person_named_in_full_in_an_earlier_document() -> None:
    a_text, b_text = "Oskar Lindqvist arrived.", "Lindqvist left the talks."
    a = Extraction(Document(a_text, "a.txt"), [mention(a_text, "Oskar Lindqvist", "PERSON")])
    b = Extraction(Document(b_text, "b.txt"), [mention(b_text, "Lindqvist", "PERSON")])
    res = Resolver(Gazetteer()).resolve([a, b])
    assert (
        key_of(res, b, b.mentions[0]) == key_of(res, a, a.mentions[0]) == "Person|oskar lindqvist"
    )


def test_surname_shared_by_two_people_stays_apart() -> None:
    texts = ["Oskar Lindqvist arrived.", "Maja Lindqvist arrived.", "Lindqvist left."]
    names = ["Oskar Lindqvist", "Maja Lindqvist", "Lindqvist"]
    exs = [
        Extraction(Document(t, f"{i}.txt"), [mention(t, n, "PERSON")])
        for i, (t, n) in enumerate(zip(texts, names, strict=True))
    ]
    res = Resolver(Gazetteer()).resolve(exs)
    assert key_of(res, exs[2], exs[2].mentions[0]) == "Person|lindqvist"


def test_remembered_people_from_an_earlier_build() -> None:
    resolver = Resolver(Gazetteer())
    resolver.remember_person("Person|oskar lindqvist", "Oskar Lindqvist")
    text = "Lindqvist spoke."
    ex = Extraction(Document(text, "c.txt"), [mention(text, "Lindqvist", "PERSON")])
    res = resolver.resolve([ex])
    assert key_of(res, ex, ex.mentions[0]) == "Person|oskar lindqvist"
    assert res.entities["Person|oskar lindqvist"].label == "Oskar Lindqvist"


def test_groups_are_document_scoped() -> None:
    a_text, b_text = "Wounded fighters waited.", "Later, wounded fighters left."
    a = Extraction(Document(a_text, "a.txt"), [mention(a_text, "Wounded fighters", "GROUP")])
    b = Extraction(Document(b_text, "b.txt"), [mention(b_text, "wounded fighters", "GROUP")])
    res = Resolver(Gazetteer.default()).resolve([a, b])
    ka, kb = key_of(res, a, a.mentions[0]), key_of(res, b, b.mentions[0])
    assert ka != kb
    assert ka == f"Group|{a.document.id}|wounded fighters"
    assert res.entities[ka].document_scoped == a.document.id
    assert res.entities[kb].document_scoped == b.document.id
    assert res.entities[kb].type == "Group"


def test_nominal_mention_follows_its_antecedent() -> None:
    text = "Trucks reached the Rafah crossing. The crossing opened."
    named = mention(text, "Rafah crossing", "FAC", kb_key="Facility|rafah border crossing")
    start = text.index("crossing", named.end)
    nominal = Mention(
        start, start + 8, "crossing", "FAC", (0, len(text)), nominal=True, antecedent=named.key
    )
    ex = Extraction(Document(text, "a.txt"), [named, nominal])
    res = Resolver(Gazetteer.default()).resolve([ex])
    assert key_of(res, ex, nominal) == key_of(res, ex, named) == "Facility|rafah border crossing"


# ---------------------------------------------------------------- on the model
@pytest.fixture(scope="module")
def extract():
    nlp = load_pipeline()
    extractor = Extractor(Lexicon.load())

    def run(text: str) -> Extraction:
        document = Document(text, "t.txt", published=date(2024, 3, 6))
        return extractor(document, nlp(document.masked_text()))

    return run


def keys(res: Resolution, ex: Extraction, text: str) -> set[str]:
    return {key_of(res, ex, m) for m in ex.mentions if m.text == text and not m.nominal}


@pytest.mark.slow
def test_model_surname_and_honorific(extract) -> None:
    ex = extract(
        "Foreign Minister Amira Haddad flew to Doha on Monday. "
        "Haddad met officials there, and Ms Haddad later said the talks went well."
    )
    res = Resolver(Gazetteer.default()).resolve([ex])
    assert keys(res, ex, "Amira Haddad") == {"Person|amira haddad"}
    assert keys(res, ex, "Haddad") == {"Person|amira haddad"}
    haddad = [m for m in ex.mentions if m.text == "Haddad"]
    assert len(haddad) == 2
    assert res.entities["Person|amira haddad"].label == "Amira Haddad"


@pytest.mark.slow
def test_model_mr_and_surname(extract) -> None:
    ex = extract("Mr Tomas Berg chaired the session. Berg said little afterwards.")
    res = Resolver(Gazetteer.default()).resolve([ex])
    assert keys(res, ex, "Tomas Berg") == keys(res, ex, "Berg") == {"Person|tomas berg"}


@pytest.mark.slow
def test_model_acronym_of_unknown_organisation(extract) -> None:
    ex = extract(
        "The Supreme Defence Council met in Addis Ababa. "
        "A spokesman for the SDC said the meeting was productive."
    )
    res = Resolver(Gazetteer.default()).resolve([ex])
    expected = {"Organization|supreme defence council"}
    assert keys(res, ex, "Supreme Defence Council") == expected
    assert keys(res, ex, "SDC") == expected


@pytest.mark.slow
def test_model_acronym_known_to_the_gazetteer(extract) -> None:
    ex = extract("The National Security Council met late. The NSC said it would review the plan.")
    res = Resolver(Gazetteer.default()).resolve([ex])
    assert keys(res, ex, "National Security Council") == keys(res, ex, "NSC")
    assert len(keys(res, ex, "NSC")) == 1


@pytest.mark.slow
def test_model_demonym_and_country(extract) -> None:
    ex = extract("Colombians queued at the border. Colombia opened the gate.")
    res = Resolver(Gazetteer.default()).resolve([ex])
    (nat,) = keys(res, ex, "Colombians")
    (country,) = keys(res, ex, "Colombia")
    assert country == "Q739"
    assert nat == "Nationality|of Q739"
    assert res.entities[nat].type == "Nationality"
    assert res.entities[country].type == "Country"


@pytest.mark.slow
def test_model_gazetteer_key_across_two_documents(extract) -> None:
    first = extract("Lorries queued at the Rafah crossing. Norway sent aid.")
    second = extract("Officials from Norway inspected the Rafah Crossing on Friday.")
    res = Resolver(Gazetteer.default()).resolve([first, second])
    assert keys(res, first, "Norway") == keys(res, second, "Norway") == {"Q20"}
    assert res.entities["Q20"].qid == "Q20"
    crossing_a = keys(res, first, "Rafah crossing")
    crossing_b = keys(res, second, "Rafah Crossing")
    assert crossing_a == crossing_b == {"Facility|rafah border crossing"}
    assert res.entities["Facility|rafah border crossing"].label == "Rafah Border Crossing"
    assert res.entities["Facility|rafah border crossing"].type == "Facility"


@pytest.mark.slow
def test_model_groups_stay_in_their_document(extract) -> None:
    first = extract("Kenya sent aid. Wounded fighters were carried to hospitals.")
    second = extract("Kenya hosted the talks. Wounded fighters were carried to clinics.")
    res = Resolver(Gazetteer.default()).resolve([first, second])
    (a,) = keys(res, first, "Wounded fighters")
    (b,) = keys(res, second, "Wounded fighters")
    assert a != b
    assert res.entities[a].document_scoped == first.document.id
    assert res.entities[b].document_scoped == second.document.id
    assert keys(res, first, "Kenya") == keys(res, second, "Kenya") == {"Q114"}
