"""Tests for :mod:`kg.extract.events` on the real model: roles, negation, modality,
statements, time, attribution and mediation linking."""

from __future__ import annotations

from datetime import date

import pytest

from kg.extract import Extractor
from kg.lexicon import Lexicon
from kg.model import Document, Event, Extraction
from kg.nlp import load_pipeline

pytestmark = pytest.mark.slow

# A Wednesday.
PUBLISHED = date(2024, 3, 6)


@pytest.fixture(scope="module")
def extract():
    nlp = load_pipeline()
    extractor = Extractor(Lexicon.load())

    def run(text: str, published: date | None = PUBLISHED) -> Extraction:
        document = Document(text, "t.txt", published=published)
        return extractor(document, nlp(document.masked_text()))

    return run


def event(ex: Extraction, trigger: str, cls: str | None = None) -> Event:
    found = [e for e in ex.events if e.trigger == trigger and (cls is None or e.event_class == cls)]
    assert len(found) == 1, [(e.event_class, e.trigger) for e in ex.events]
    return found[0]


def roles(ev: Event, name: str) -> list[str]:
    return [r.text for r in ev.roles if r.name == name]


def role_names(ev: Event) -> set[str]:
    return {r.name for r in ev.roles}


# ---------------------------------------------------------------- argument structure
def test_active_verb_agent_and_patient(extract) -> None:
    ex = extract("Kenya opened the Rafah crossing on Monday.")
    ev = event(ex, "opened")
    assert ev.event_class == "Opening"
    assert roles(ev, "agent") == ["Kenya"]
    assert roles(ev, "patient") == ["Rafah crossing"]
    assert (ev.negated, ev.modality) == (False, "asserted")
    for r in ev.roles:
        assert ex.document.text[r.start : r.end] == r.text


def test_active_verb_with_other_actors(extract) -> None:
    ev = event(extract("Ghana reopened the Aflao border post on March 2."), "reopened")
    assert ev.event_class == "Opening"
    assert roles(ev, "agent") == ["Ghana"]
    assert roles(ev, "patient") == ["Aflao border post"]


def test_intransitive_subject_is_the_patient(extract) -> None:
    ev = event(extract("The Aflao border post opened on Tuesday."), "opened")
    assert ev.event_class == "Opening"
    assert roles(ev, "patient") == ["Aflao border post"]
    assert roles(ev, "agent") == []


def test_nominal_trigger_with_of_phrase(extract) -> None:
    ev = event(extract("The reopening of the Allenby Bridge was welcomed by traders."), "reopening")
    assert ev.event_class == "Opening"
    assert roles(ev, "patient") == ["Allenby Bridge"]
    assert roles(ev, "agent") == []


def test_passive_with_by_phrase(extract) -> None:
    ev = event(extract("The convoy was attacked by rebels."), "attacked")
    assert ev.event_class == "Attack"
    assert roles(ev, "patient") == ["convoy"]
    assert roles(ev, "agent") == ["rebels"]


def test_passive_without_by_phrase_has_no_agent(extract) -> None:
    ev = event(extract("The crossing was not opened on Sunday."), "opened")
    assert roles(ev, "patient") == ["crossing"]
    assert roles(ev, "agent") == []


def test_three_coordinated_parties(extract) -> None:
    ex = extract("Norway mediated a truce between Sudan, Chad and Niger.")
    mediation = event(ex, "mediated")
    assert roles(mediation, "mediator") == ["Norway"]
    assert roles(mediation, "party") == ["Sudan", "Chad", "Niger"]
    truce = event(ex, "truce")
    assert truce.event_class == "Agreement"
    assert roles(truce, "party") == ["Sudan", "Chad", "Niger"]


def test_in_coordination_with(extract) -> None:
    ev = event(extract("Chad closed the border in coordination with Niger and Mali."), "closed")
    assert ev.event_class == "Closure"
    assert roles(ev, "inCoordinationWith") == ["Niger", "Mali"]
    assert roles(ev, "agent") == ["Chad"]
    assert "Niger" not in roles(ev, "patient")


def test_origin_destination_via(extract) -> None:
    ev = event(
        extract("Hundreds of families fled from Gaza into Egypt via the Rafah crossing."), "fled"
    )
    assert ev.event_class == "Departure"
    assert roles(ev, "theme") == ["Hundreds of families"]
    assert roles(ev, "origin") == ["Gaza"]
    assert roles(ev, "destination") == ["Egypt"]
    assert roles(ev, "via") == ["Rafah crossing"]


def test_origin_and_destination_with_other_places(extract) -> None:
    ev = event(extract("The ferry carried refugees from Lebanon to Cyprus."), "carried")
    assert ev.event_class == "Transport"
    assert roles(ev, "origin") == ["Lebanon"]
    assert roles(ev, "destination") == ["Cyprus"]
    assert roles(ev, "agent") == ["ferry"]


def test_place_roles_only_for_places(extract) -> None:
    ev = event(extract("Villagers fled from the fighting into the hills."), "fled")
    assert roles(ev, "theme") == ["Villagers"]
    assert role_names(ev) == {"theme"}


# ---------------------------------------------------------------- negation and modality
def test_no_subject_negates(extract) -> None:
    ex = extract("No people have been allowed to cross since Friday.")
    allowed = event(ex, "allowed")
    assert allowed.event_class == "Permission"
    assert allowed.negated is True
    cross = event(ex, "cross")
    assert cross.event_class == "Crossing"
    assert cross.negated is True


def test_did_not_open_is_negated(extract) -> None:
    ev = event(extract("Jordan did not open the Allenby Bridge."), "open")
    assert ev.negated is True
    assert roles(ev, "patient") == ["Allenby Bridge"]


def test_negation_in_reported_clause(extract) -> None:
    ev = event(extract("Officials said that no aid had entered Gaza."), "entered")
    assert ev.event_class == "Entry"
    assert ev.negated is True
    assert ev.modality == "reported"
    assert roles(ev, "destination") == ["Gaza"]


def test_affirmative_is_not_negated(extract) -> None:
    assert event(extract("Ghana closed the border."), "closed").negated is False


def test_expected_to_be_allowed_to_leave(extract) -> None:
    ex = extract("Students are expected to be allowed to leave Sudan.")
    leave = event(ex, "leave")
    assert leave.event_class == "Departure"
    assert leave.modality == "expected"
    assert roles(leave, "theme") == ["Students"]
    assert roles(leave, "origin") == ["Sudan"]
    allowed = event(ex, "allowed")
    assert allowed.modality == "expected"
    assert roles(allowed, "beneficiary") == ["Students"]


def test_will_is_expected(extract) -> None:
    ev = event(extract("Oman will open the port next week."), "open")
    assert ev.modality == "expected"
    assert roles(ev, "agent") == ["Oman"]


def test_could_is_possible(extract) -> None:
    ev = event(extract("Kenya could open the border."), "open")
    assert ev.modality == "possible"
    assert roles(ev, "agent") == ["Kenya"]


# ---------------------------------------------------------------- statements
def test_quote_with_speaker_after_it(extract) -> None:
    ex = extract("“The border will stay open,” said Idris Kabore, the interior minister.")
    ev = event(ex, "said")
    assert ev.event_class == "Statement"
    assert roles(ev, "speaker") == ["Idris Kabore"]
    assert ev.quotes == ("The border will stay open,",)
    assert ev.content == "The border will stay open"


def test_reported_speech_content(extract) -> None:
    ev = event(
        extract("Foreign Ministry spokesperson Tariq Mansour said the talks had resumed."), "said"
    )
    assert roles(ev, "speaker") == ["Tariq Mansour"]
    assert ev.content == "the talks had resumed"
    assert ev.quotes == ()


def test_he_said_resolves_to_the_last_named_speaker(extract) -> None:
    text = (
        "Idris Kabore said the border was calm. Reporters later met Amina Diallo in the camp. "
        "“We are ready,” he said."
    )
    ex = extract(text)
    statements = [e for e in ex.events if e.event_class == "Statement"]
    assert len(statements) == 2
    last = statements[-1]
    assert last.trigger_start == text.rindex("said")
    speaker = [r for r in last.roles if r.name == "speaker"]
    assert [(r.text, r.start) for r in speaker] == [("Idris Kabore", 0)]
    assert last.quotes == ("We are ready,",)


def test_pronoun_speaker_after_a_person(extract) -> None:
    ex = extract("Idris Kabore visited the camp. “We are doing everything we can,” he said.")
    ev = event(ex, "said")
    assert roles(ev, "speaker") == ["Idris Kabore"]


def test_statement_without_a_speaker_is_not_emitted(extract) -> None:
    ex = extract("“This is a fragile moment,” he said.")
    assert ex.events == []


def test_events_without_roles_are_not_emitted(extract) -> None:
    assert extract("The opening was delayed.").events == []


# ---------------------------------------------------------------- time and attribution
def test_weekday_time_normalised_against_publication(extract) -> None:
    ev = event(extract("Kenya opened the Rafah crossing on Monday."), "opened")
    assert ev.time is not None
    assert (ev.time.text, ev.time.value) == ("Monday", "2024-03-04")


def test_month_day_time_with_year_rollover(extract) -> None:
    ex = extract("Sudan closed the border on December 30.", published=date(2024, 1, 3))
    ev = event(ex, "closed")
    assert ev.time is not None
    assert (ev.time.text, ev.time.value) == ("December 30", "2023-12-30")


def test_time_unresolved_without_publication_date(extract) -> None:
    ev = event(extract("Kenya opened the Rafah crossing on Monday.", published=None), "opened")
    assert ev.time is not None
    assert (ev.time.text, ev.time.value) == ("Monday", None)


def test_according_to_at_the_end(extract) -> None:
    ex = extract("The ferry carried refugees to Cyprus on Monday, according to the UNHCR.")
    ev = event(ex, "carried")
    assert ev.according_to is not None
    assert ex.document.text[ev.according_to[0] : ev.according_to[1]] == "UNHCR"


def test_according_to_at_the_start(extract) -> None:
    ex = extract("According to the Red Cross, militants released ten hostages on Tuesday.")
    ev = event(ex, "released")
    assert ev.event_class == "Release"
    assert roles(ev, "patient") == ["ten hostages"]
    assert ev.according_to is not None
    assert ex.document.text[ev.according_to[0] : ev.according_to[1]] == "Red Cross"
    assert ev.time is not None and ev.time.value == "2024-03-05"


def test_no_according_to_without_attribution(extract) -> None:
    assert event(extract("Ghana closed the border."), "closed").according_to is None


def source(ex: Extraction, ev: Event) -> str | None:
    if ev.according_to is None:
        return None
    return ex.document.text[ev.according_to[0] : ev.according_to[1]]


def test_according_to_an_unnamed_source_is_a_group(extract) -> None:
    ex = extract("Israeli jets struck a convoy near Khan Younis, according to officials in Gaza.")
    assert source(ex, event(ex, "struck")) == "officials in Gaza"
    groups = {m.text for m in ex.mentions if m.label == "GROUP"}
    assert "officials in Gaza" in groups


def test_said_with_a_complement_clause_credits_the_speaker(extract) -> None:
    ex = extract("Officials in Gaza said Israeli jets struck a convoy near Khan Younis.")
    struck = event(ex, "struck")
    assert source(ex, struck) == "Officials in Gaza"
    assert struck.modality == "reported"
    # the statement itself is the article's own report: its speaker is not its source
    said = event(ex, "said")
    assert roles(said, "speaker") == ["Officials in Gaza"]
    assert said.according_to is None


def test_trailing_said_credits_a_named_speaker(extract) -> None:
    ex = extract("Ghana closed the border on Monday, Kwame Mensah said.")
    assert source(ex, event(ex, "closed")) == "Kwame Mensah"


def test_told_credits_an_unnamed_source_not_the_addressee(extract) -> None:
    ex = extract(
        "Egypt will open the crossing on Friday, a source briefed on the deal told Reuters."
    )
    opening = event(ex, "open")
    assert source(ex, opening) == "source briefed on the deal"
    assert roles(event(ex, "told"), "addressee") == ["Reuters"]
    assert "source briefed on the deal" in {m.text for m in ex.mentions if m.label == "GROUP"}


def test_pronoun_speaker_resolves_through_the_statement(extract) -> None:
    ex = extract(
        "Kenya's president William Ruto spoke on Monday. Ghana closed the border, he said."
    )
    assert source(ex, event(ex, "closed")) == "William Ruto"


def test_reported_by_a_news_agency(extract) -> None:
    ex = extract("Ghana closed the border, Reuters reported.")
    assert source(ex, event(ex, "closed")) == "Reuters"


def test_nested_report_credits_the_outer_speaker(extract) -> None:
    ex = extract("Norway said Sudan released ten hostages on Tuesday.")
    assert source(ex, event(ex, "released")) == "Norway"


# ---------------------------------------------------------------- mediation and agreement
def test_verbal_mediation_linked_to_agreement(extract) -> None:
    ex = extract("Brazil mediated an accord between Peru and Bolivia.")
    mediation = event(ex, "mediated")
    accord = event(ex, "accord")
    assert mediation.event_class == "Mediation"
    assert accord.event_class == "Agreement"
    theme = [r for r in mediation.roles if r.name == "theme"]
    assert [(r.start, r.end, r.event_ref) for r in theme] == [
        (accord.trigger_start, accord.trigger_end, True)
    ]
    assert roles(accord, "mediator") == ["Brazil"]
    assert roles(accord, "party") == ["Peru", "Bolivia"]
    assert roles(mediation, "party") == ["Peru", "Bolivia"]


def test_verbal_mediation_shares_coordinators(extract) -> None:
    ex = extract(
        "Norway mediated a truce between Colombia and Venezuela, in coordination with Cuba."
    )
    mediation = event(ex, "mediated")
    truce = event(ex, "truce")
    assert roles(mediation, "inCoordinationWith") == ["Cuba"]
    assert roles(truce, "inCoordinationWith") == ["Cuba"]
    assert roles(truce, "mediator") == ["Norway"]


def test_nominal_mediation_linked_to_agreement(extract) -> None:
    ex = extract(
        "Under an accord between Peru and Bolivia reached through mediation by Brazil, "
        "trade resumed."
    )
    mediation = event(ex, "mediation")
    accord = event(ex, "accord")
    assert mediation.event_class == "Mediation"
    assert roles(mediation, "mediator") == ["Brazil"]
    theme = [r for r in mediation.roles if r.name == "theme"]
    assert [(r.start, r.event_ref) for r in theme] == [(accord.trigger_start, True)]
    assert roles(accord, "mediator") == ["Brazil"]
    assert roles(mediation, "party") == ["Peru", "Bolivia"]
