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


def test_surname_before_the_full_name_joins_the_one_full_name_of_the_article() -> None:
    text = "Lindqvist spoke. Later Oskar Lindqvist left."
    short = mention(text, "Lindqvist", "PERSON")
    full = mention(text, "Oskar Lindqvist", "PERSON")
    ex = Extraction(Document(text, "a.txt"), [short, full])
    res = Resolver(Gazetteer()).resolve([ex])
    assert key_of(res, ex, short) == key_of(res, ex, full) == "Person|oskar lindqvist"


def test_two_people_sharing_a_surname_in_one_article_stay_two() -> None:
    text = "President Joe Biden spoke. Mr Biden left. Jill Biden stayed. Later Biden waved."
    joe = mention(text, "Joe Biden", "PERSON")
    mr = mention(text, "Biden", "PERSON", nth=1)
    jill = mention(text, "Jill Biden", "PERSON")
    last = mention(text, "Biden", "PERSON", nth=3)
    ex = Extraction(Document(text, "a.txt"), [joe, mr, jill, last])
    res = Resolver(Gazetteer()).resolve([ex])
    assert key_of(res, ex, joe) == key_of(res, ex, mr) == "Person|joe biden"
    assert key_of(res, ex, jill) == "Person|jill biden"
    assert key_of(res, ex, last) == "Person|jill biden"  # the most recent one named in full


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


# ---------------------------------------------------------------- batches
def _docs(*texts_and_names: tuple[str, list[tuple[str, str]]]) -> list[Extraction]:
    out = []
    for i, (text, names) in enumerate(texts_and_names):
        seen: dict[str, int] = {}
        ms = []
        for needle, label in names:
            ms.append(mention(text, needle, label, nth=seen.get(needle, 0)))
            seen[needle] = seen.get(needle, 0) + 1
        out.append(Extraction(Document(text, f"{i}.txt"), ms))
    return out


def test_a_batch_resolves_the_same_in_any_order() -> None:
    exs = _docs(
        ("Kirby left early.", [("Kirby", "PERSON")]),
        ("John Kirby spoke. Kirby said more.", [("John Kirby", "PERSON"), ("Kirby", "PERSON")]),
        ("The Colts won. The IE patch.", [("Colts", "ORG"), ("IE", "ORG")]),
        ("Indianapolis Colts fans.", [("Indianapolis Colts", "ORG")]),
        ("Internet Explorer broke.", [("Internet Explorer", "ORG")]),
        ("Marlowe spoke.", [("Marlowe", "ORG")]),
        ("Marlowe left. Marlowe came.", [("Marlowe", "PERSON"), ("Marlowe", "PERSON")]),
    )
    results = []
    for order in (exs, exs[::-1], exs[2:] + exs[:2]):
        res = Resolver(Gazetteer()).resolve(order)
        entities = {k: (e.label, e.type, e.qid, sorted(e.aliases)) for k, e in res.entities.items()}
        results.append((entities, res.mention_entity))
    assert results[0] == results[1] == results[2]
    res = Resolver(Gazetteer()).resolve(exs)
    assert key_of(res, exs[0], exs[0].mentions[0]) == "Person|john kirby"
    assert key_of(res, exs[2], exs[2].mentions[0]) == "Organization|indianapolis colts"
    assert key_of(res, exs[2], exs[2].mentions[1]) == "Organization|internet explorer"
    assert {key_of(res, exs[5], exs[5].mentions[0])} == {"Person|marlowe"}


def test_one_name_gets_the_type_most_of_its_mentions_have_across_articles() -> None:
    exs = _docs(
        ("Seacom said.", [("Seacom", "PERSON")]),
        ("SEACOM cable. Seacom's link.", [("SEACOM", "ORG"), ("Seacom's", "ORG")]),
    )
    res = Resolver(Gazetteer()).resolve(exs)
    keys = {key_of(res, ex, m) for ex in exs for m in ex.mentions}
    assert keys == {"Organization|seacom"}
    assert res.entities["Organization|seacom"].type == "Organization"


def test_name_variants_are_one_entity() -> None:
    exs = _docs(
        ("Frederick C. LaRue died.", [("Frederick C. LaRue", "PERSON")]),
        ("Fred LaRue was 75.", [("Fred LaRue", "PERSON")]),
        ("W. Mark Felt Sr. talked.", [("W. Mark Felt Sr.", "PERSON")]),
        ("Mark Felt was Deep Throat.", [("Mark Felt", "PERSON")]),
        ("Microsoft Corp. patched.", [("Microsoft Corp.", "ORG")]),
        ("Microsoft's patch.", [("Microsoft", "ORG")]),
        ("Jill Biden and Joe Biden.", [("Jill Biden", "PERSON"), ("Joe Biden", "PERSON")]),
    )
    res = Resolver(Gazetteer()).resolve(exs)

    def k(i: int, j: int = 0) -> str:
        return key_of(res, exs[i], exs[i].mentions[j])

    assert k(0) == k(1)
    assert k(2) == k(3)
    assert k(4) == k(5)
    assert k(6, 0) != k(6, 1)


def test_short_name_joins_the_dominant_longer_name_of_the_batch() -> None:
    exs = _docs(
        ("Vincent Jackson scored. Vincent Jackson ran.", [("Vincent Jackson", "PERSON")] * 2),
        ("Vincent Jackson caught it.", [("Vincent Jackson", "PERSON")]),
        ("Lisa Jackson watched.", [("Lisa Jackson", "PERSON")]),
        ("Jackson was arrested.", [("Jackson", "PERSON")]),
    )
    res = Resolver(Gazetteer()).resolve(exs)
    assert key_of(res, exs[3], exs[3].mentions[0]) == "Person|vincent jackson"
    two = _docs(
        ("Oskar Lindqvist spoke.", [("Oskar Lindqvist", "PERSON")]),
        ("Maja Lindqvist spoke.", [("Maja Lindqvist", "PERSON")]),
        ("Lindqvist left.", [("Lindqvist", "PERSON")]),
    )
    res = Resolver(Gazetteer()).resolve(two)
    assert key_of(res, two[2], two[2].mentions[0]) == "Person|lindqvist"


def test_headline_noise_before_a_name_is_not_a_longer_name() -> None:
    text = "Academy picked Ellen DeGeneres. Ellen DeGeneres will host."
    noise = mention(text, "Academy picked Ellen DeGeneres", "ORG")
    name = mention(text, "Ellen DeGeneres", "ORG", nth=1)
    ex = Extraction(Document(text, "a.txt"), [noise, name])
    res = Resolver(Gazetteer()).resolve([ex])
    assert key_of(res, ex, name) == "Organization|ellen degeneres"


def test_description_follows_the_name_it_was_written_with() -> None:
    text = "The actress Lindsay Lohan was in court. The actress left. Her lawyer, Shawn Holley."
    name = mention(text, "Lindsay Lohan", "PERSON")
    lawyer = mention(text, "Shawn Holley", "PERSON")
    again = mention(text, "actress", "GROUP", nth=1, head_lemma="actress")
    ex = Extraction(Document(text, "a.txt"), [name, again, lawyer])
    res = Resolver(Gazetteer()).resolve([ex])
    assert key_of(res, ex, again) == "Person|lindsay lohan"
    assert "actress" in res.entities["Person|lindsay lohan"].aliases


def test_batch_people_are_remembered_for_the_next_batch() -> None:
    resolver = Resolver(Gazetteer())
    a_text, b_text = "Oskar Lindqvist arrived.", "Lindqvist left."
    a = Extraction(Document(a_text, "a.txt"), [mention(a_text, "Oskar Lindqvist", "PERSON")])
    b = Extraction(Document(b_text, "b.txt"), [mention(b_text, "Lindqvist", "PERSON")])
    resolver.resolve([a])
    res = resolver.resolve([b])
    assert key_of(res, b, b.mentions[0]) == "Person|oskar lindqvist"


def test_unnamed_groups_are_shared_by_the_articles_of_one_story() -> None:
    exs = _docs(
        (
            "Police in Staunton said Amira Haddad was held.",
            [("Police", "GROUP"), ("Staunton", "GPE"), ("Amira Haddad", "PERSON")],
        ),
        (
            "Amira Haddad was charged in Staunton, local police said.",
            [("Amira Haddad", "PERSON"), ("Staunton", "GPE"), ("local police", "GROUP")],
        ),
        ("In Staunton, police closed a road.", [("Staunton", "GPE"), ("police", "GROUP")]),
    )
    for ex in exs:  # the extractor gives a group its head noun's lemma
        ex.mentions[:] = [
            Mention(m.start, m.end, m.text, m.label, m.sentence, head_lemma="police")
            if m.label == "GROUP"
            else m
            for m in ex.mentions
        ]
    results = [Resolver(Gazetteer()).resolve(order) for order in (exs, exs[::-1])]
    assert results[0].mention_entity == results[1].mention_entity
    res = results[0]
    police = [key_of(res, ex, m) for ex in exs for m in ex.mentions if m.label == "GROUP"]
    # The first two articles name the same two entities: one story, one police.
    assert police[0] == police[1] == f"Group|story:{exs[0].document.id}|police"
    assert res.entities[police[0]].aliases == {"Police", "local police"}
    # The third shares only the town: its police stay its own.
    assert police[2] == f"Group|{exs[2].document.id}|police"


def test_a_description_holds_across_the_articles_of_one_story() -> None:
    exs = _docs(
        (
            "The actress Lindsay Lohan arrived in Malibu with Dina Lohan.",
            [("Lindsay Lohan", "PERSON"), ("Malibu", "GPE"), ("Dina Lohan", "PERSON")],
        ),
        (
            "In Malibu, Lindsay Lohan's mother said the actress was fine.",
            [("Malibu", "GPE"), ("Lindsay Lohan", "PERSON"), ("actress", "GROUP")],
        ),
    )
    exs[1].mentions[2] = Mention(
        *exs[1].mentions[2].key, "actress", "GROUP", exs[1].mentions[2].sentence,
        head_lemma="actress",
    )  # fmt: skip
    res = Resolver(Gazetteer()).resolve(exs)
    assert key_of(res, exs[1], exs[1].mentions[2]) == "Person|lindsay lohan"


def test_two_word_short_names_and_middle_names_across_articles() -> None:
    exs = _docs(
        ("The Boston Red Sox won.", [("Boston Red Sox", "ORG")]),
        ("The Red Sox lost.", [("Red Sox", "ORG")]),
        ("William Mark Felt died.", [("William Mark Felt", "PERSON")]),
        ("Mark Felt was 95.", [("Mark Felt", "PERSON")]),
    )
    res = Resolver(Gazetteer()).resolve(exs)
    assert key_of(res, exs[1], exs[1].mentions[0]) == "Organization|boston red sox"
    assert key_of(res, exs[3], exs[3].mentions[0]) == "Person|william mark felt"


def test_nicknames_and_surnames_spelt_one_letter_apart() -> None:
    exs = _docs(
        ("Maurice Cheeks was fired.", [("Maurice Cheeks", "PERSON")]),
        ("Mo Cheeks was fired.", [("Mo Cheeks", "PERSON")]),
        ("Duncan Rait fell.", [("Duncan Rait", "PERSON")]),
        ("Duncan Raite fell.", [("Duncan Raite", "PERSON")]),
        ("Martin Raite wrote.", [("Martin Raite", "PERSON")]),
        ("Joe Lee spoke.", [("Joe Lee", "PERSON")]),
        ("Joe Leo spoke.", [("Joe Leo", "PERSON")]),
    )
    res = Resolver(Gazetteer()).resolve(exs)

    def k(i: int) -> str:
        return key_of(res, exs[i], exs[i].mentions[0])

    assert k(0) == k(1)
    assert k(2) == k(3) != k(4)  # a different first name is a different person
    assert k(5) != k(6)  # three letters are too few to call a spelling variant


def test_a_name_that_opens_with_a_given_name_is_a_person_not_an_organisation() -> None:
    exs = _docs(
        ("Bettie Page died.", [("Bettie Page", "ORG")]),
        ("Fans of Bettie Page mourned.", [("Bettie Page", "ORG")]),
        ("Betty Mae Page was 85.", [("Betty Mae Page", "PERSON")]),
        ("Acme Page Systems rose.", [("Acme Page Systems", "ORG")]),
    )
    res = Resolver(Gazetteer()).resolve(exs)
    keys = {key_of(res, ex, ex.mentions[0]) for ex in exs[:3]}
    assert keys == {"Person|bettie page"}  # "Bettie" and "Betty": one person
    assert key_of(res, exs[3], exs[3].mentions[0]) == "Organization|acme page systems"


def test_spelling_variants_of_a_name_are_one_entity() -> None:
    exs = _docs(
        ("The Promises Treatment Centre said.", [("Promises Treatment Centre", "ORG")]),
        ("The Promises Treatment Center said.", [("Promises Treatment Center", "ORG")]),
        ("Climbers on Mt Cook.", [("Mt Cook", "LOC")]),
        ("Climbers on Mount Cook.", [("Mount Cook", "LOC")]),
    )
    res = Resolver(Gazetteer()).resolve(exs)
    assert key_of(res, exs[0], exs[0].mentions[0]) == key_of(res, exs[1], exs[1].mentions[0])
    assert key_of(res, exs[2], exs[2].mentions[0]) == key_of(res, exs[3], exs[3].mentions[0])
