"""Tests for :mod:`kg.mapping`: IRIs, the NIF text layer and the shortcut rules."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.extract import Extractor
from kg.gazetteer import Gazetteer
from kg.lexicon import Lexicon
from kg.mapping import Iris, Mapper, slug
from kg.model import Document, Extraction, Mention, Relation, Resolution
from kg.nlp import load_pipeline
from kg.resolve import Resolver
from kg.vocab import DEFAULT_BASE, ITSRDF, KG, NIF, PROV, SCHEMA

BASE = "https://example.org/kg/"
# RFC 3987 ipath segment characters: iunreserved / pct-encoded / sub-delims / ":" / "@"
_IPCHAR = re.compile(
    r"(?:[A-Za-z0-9\-._~\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef]"
    r"|%[0-9A-Fa-f]{2}|[!$&'()*+,;=:@])+"
)
ETYPES = ["Person", "Organization", "Country", "Place", "Facility", "Nationality", "ArmedGroup"]


# ---------------------------------------------------------------- slug and IRIs
@given(st.text())
def test_slug_is_a_valid_iri_path_segment(text: str) -> None:
    s = slug(text)
    assert s
    assert _IPCHAR.fullmatch(s), s
    assert not set(s) & set(' <>"{}|\\^`\n\t/#?')


@given(st.text())
def test_slug_percent_encoding_decodes_to_utf8(text: str) -> None:
    decoded = unquote(slug(text), errors="strict")
    assert re.fullmatch(r"[\w-]+", decoded), decoded
    assert not decoded.startswith("-") and not decoded.endswith("-")


def test_slug_examples() -> None:
    assert slug("Rafah Border Crossing") == "rafah-border-crossing"
    assert slug("  Sheikh   Zuweid ") == "sheikh-zuweid"
    assert slug("Zürich") == "z%C3%BCrich"
    assert slug("") == "x"


@given(st.sampled_from(ETYPES), st.text(min_size=1))
def test_entity_iri_is_deterministic(etype: str, label: str) -> None:
    key = f"{etype}|{label.casefold()}"
    a = Iris(BASE).entity(key, label, etype, "")
    b = Iris(BASE).entity(key, label, etype, "")
    assert a == b
    assert str(a).startswith(BASE + "entity/")


def _words(label: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", label).casefold())


@given(st.sampled_from(ETYPES), st.text(min_size=1), st.sampled_from(ETYPES), st.text(min_size=1))
def test_entity_iris_distinct_for_distinct_normalised_names(
    t1: str, l1: str, t2: str, l2: str
) -> None:
    w1, w2 = _words(l1), _words(l2)
    if not w1 or not w2:
        return
    iris = Iris(BASE)
    a = iris.entity(f"{t1}|{l1}", l1, t1, "")
    b = iris.entity(f"{t2}|{l2}", l2, t2, "")
    assert (a == b) == ((t1, w1) == (t2, w2))


def test_entity_iri_same_after_normalisation() -> None:
    iris = Iris(BASE)
    assert iris.entity("Person|amira haddad", "Amira Haddad", "Person", "") == iris.entity(
        "Person|amira haddad", "AMIRA  HADDAD", "Person", ""
    )
    assert iris.entity("Q20", "Norway", "Country", "Q20") == URIRef(BASE + "entity/Q20")
    assert iris.entity("Person|lindqvist", "Lindqvist", "Person", "") != iris.entity(
        "Organization|lindqvist", "Lindqvist", "Organization", ""
    )


def test_group_iri_is_in_its_document() -> None:
    iri = Iris(BASE).entity("Group|abc123|wounded fighters", "wounded fighters", "Group", "")
    assert str(iri) == BASE + "entity/group/abc123/wounded-fighters"


def test_mention_iri_uses_char_offsets() -> None:
    assert str(Iris(BASE).span("d1", 4, 19)) == BASE + "doc/d1#char=4,19"


@pytest.mark.parametrize("base", ["example.org/", "https://example.org", "https://ex ample.org/"])
def test_bad_base_iri(base: str) -> None:
    with pytest.raises(ValueError, match="--base-iri"):
        Iris(base)


# ---------------------------------------------------------------- on a real extraction
@pytest.fixture(scope="module")
def build():
    nlp = load_pipeline()
    lexicon = Lexicon.load()
    extractor = Extractor(lexicon)
    mapper = Mapper(lexicon, DEFAULT_BASE)

    def run(text: str) -> tuple[Graph, Document]:
        document = Document(text, "t.txt", published=date(2024, 3, 6))
        extraction = extractor(document, nlp(document.masked_text()))
        resolution = Resolver(Gazetteer.default()).resolve([extraction])
        ds = Graph()
        for s, p, o, g in mapper.document_quads(extraction, resolution):
            # the article's graph, or the default graph for kg's agent (described once)
            assert g == mapper.iris.graph(document.id) or (
                g is None and s == mapper.iris.software()
            )
            ds.add((s, p, o))
        for entity in resolution.entities.values():
            for triple in mapper.entity_triples(entity):
                ds.add(triple)
        return ds, document

    return run


def entity(name: str) -> URIRef:
    return URIRef(DEFAULT_BASE + "entity/" + name)


TEXT = (
    "Kenya opened the Rafah crossing on Monday. "
    "Ms Amira Haddad said 120 trucks were waiting at the crossing.\n\n"
    "Norway mediated a truce between Sudan, Chad and Niger, according to diplomats."
)


@pytest.mark.slow
def test_every_phrase_anchor_is_a_slice_of_the_context(build) -> None:
    ds, document = build(TEXT)
    contexts = list(ds.subjects(RDF.type, NIF.Context))
    assert len(contexts) == 1
    string = ds.value(contexts[0], NIF.isString)
    assert str(string) == document.text
    phrases = set(ds.subjects(RDF.type, NIF.Phrase)) | set(ds.subjects(RDF.type, NIF.Sentence))
    assert len(phrases) >= 8
    for node in phrases:
        begin = ds.value(node, NIF.beginIndex).toPython()
        end = ds.value(node, NIF.endIndex).toPython()
        assert str(ds.value(node, NIF.anchorOf)) == document.text[begin:end]
        assert ds.value(node, NIF.referenceContext) == contexts[0]
        assert str(node).endswith(f"#char={begin},{end}")


@pytest.mark.slow
def test_mentions_point_to_entities(build) -> None:
    ds, document = build(TEXT)
    start = document.text.index("Rafah crossing")
    node = URIRef(f"{DEFAULT_BASE}doc/{document.id}#char={start},{start + 14}")
    itsrdf = URIRef("http://www.w3.org/2005/11/its/rdf#taIdentRef")
    assert ds.value(node, itsrdf) == entity("facility/rafah-border-crossing")
    assert ds.value(node, KG.mentionType) == Literal("FAC")


@pytest.mark.slow
def test_linked_mentions_carry_a_link_confidence(build) -> None:
    ds, document = build(TEXT)
    start = document.text.index("Kenya")
    kenya = URIRef(f"{DEFAULT_BASE}doc/{document.id}#char={start},{start + 5}")
    assert ds.value(kenya, ITSRDF.taIdentRef) == entity("Q114")
    confidence = ds.value(kenya, ITSRDF.taConfidence)
    assert confidence.datatype == XSD.decimal and 0.5 < float(confidence) <= 1
    start = document.text.index("Amira Haddad")
    haddad = URIRef(f"{DEFAULT_BASE}doc/{document.id}#char={start},{start + 12}")
    assert ds.value(haddad, ITSRDF.taIdentRef) is not None
    assert ds.value(haddad, ITSRDF.taConfidence) is None  # not linked to Wikidata


def test_each_mention_carries_its_own_link_confidence() -> None:
    """A mention that made its link keeps its own confidence; a mention that only joins a
    linked entity through coreference takes the entity's."""
    text = "Egypt said. EGYPT agreed."
    mentions = [
        Mention(0, 5, "Egypt", "GPE", (0, 11), kb_key="Q79"),
        Mention(12, 17, "EGYPT", "ORG", (12, 25)),  # a compatible type disagreement: weaker
    ]
    document = Document(text, "x")
    resolution = Resolver(Gazetteer.default()).resolve([Extraction(document, mentions)])
    table = resolution.mention_entity[document.id]
    assert table[(0, 5)] == table[(12, 17)] == "Q79"
    own = resolution.link_confidence[document.id]
    assert own[(0, 5)] > own[(12, 17)] > 0
    mapper = Mapper(Lexicon.load(), BASE)
    written = {
        s: float(o)
        for s, p, o, _g in mapper.document_quads(Extraction(document, mentions), resolution)
        if p == ITSRDF.taConfidence
    }
    assert written == {
        mapper.iris.span(document.id, 0, 5): own[(0, 5)],
        mapper.iris.span(document.id, 12, 17): own[(12, 17)],
    }


@pytest.mark.slow
def test_opened_shortcut_for_active_opening(build) -> None:
    ds, _ = build("Kenya opened the Rafah crossing on Monday.")
    opened = URIRef(str(KG._NS) + "opened")
    assert list(ds.triples((None, opened, None))) == [
        (entity("Q114"), opened, entity("facility/rafah-border-crossing"))
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Lorries waited at the Rafah crossing. Later the crossing opened.",
        "Kenya did not open the Rafah crossing.",
        "Kenya will open the Rafah crossing.",
        "Kenya could open the Rafah crossing.",
    ],
)
def test_no_opened_shortcut_without_agent_or_when_negated_or_unrealised(build, text) -> None:
    ds, _ = build(text)
    openings = list(ds.subjects(RDF.type, URIRef(str(KG._NS) + "Opening")))
    assert len(openings) == 1  # the event itself is still there
    opened = URIRef(str(KG._NS) + "opened")
    assert list(ds.triples((None, opened, None))) == []


@pytest.mark.slow
def test_negated_and_modality_written_on_the_event(build) -> None:
    ds, _ = build("Kenya did not open the Rafah crossing. Oman will open the port.")
    events = sorted(ds.subjects(RDF.type, URIRef(str(KG._NS) + "Opening")), key=str)
    values = {(ds.value(e, KG.negated).toPython(), ds.value(e, KG.modality)) for e in events}
    assert values == {(True, KG.Asserted), (False, KG.Expected)}


@pytest.mark.slow
def test_mediated_subject_is_the_mediator(build) -> None:
    ds, _ = build("Norway mediated a truce between Sudan and Colombia.")
    mediated = URIRef(str(KG._NS) + "mediated")
    triples = list(ds.triples((None, mediated, None)))
    assert triples
    assert {s for s, _, _ in triples} == {entity("Q20")}
    mediation = next(ds.subjects(RDF.type, URIRef(str(KG._NS) + "Mediation")))
    truce = next(ds.subjects(RDF.type, URIRef(str(KG._NS) + "Agreement")))
    assert {o for _, _, o in triples} == {truce}
    assert ds.value(mediation, URIRef(str(KG._NS) + "mediator")) == entity("Q20")
    assert set(ds.objects(truce, URIRef(str(KG._NS) + "party"))) == {
        entity("Q1049"),
        entity("Q739"),
    }


# ---------------------------------------------------------------- relations
def _relation_extraction() -> tuple[Extraction, Resolution]:
    text = "Dara Quill, a spokeswoman for the Harbour Authority, met Ivo Kral."
    document = Document(text, "r.txt")
    sentence = (0, len(text))

    def mention(name: str, label: str) -> Mention:
        start = text.index(name)
        return Mention(start, start + len(name), name, label, sentence)

    quill, authority, kral = (
        mention("Dara Quill", "PERSON"),
        mention("Harbour Authority", "ORG"),
        mention("Ivo Kral", "PERSON"),
    )
    evidence = (0, text.index(",", 12))
    works = Relation(
        "worksFor", quill.key, authority.key, sentence, 0.7, text[slice(*evidence)], evidence,
        "spokeswoman",
    )  # fmt: skip
    nowhere = Relation("killed", quill.key, (60, 62), sentence, 0.5, "", (0, 0))  # no entity
    extraction = Extraction(document, mentions=[quill, authority, kral], relations=[works, nowhere])
    return extraction, Resolver(Gazetteer()).resolve([extraction])


def test_a_relation_is_a_direct_triple_and_a_statement() -> None:
    extraction, resolution = _relation_extraction()
    mapper = Mapper(Lexicon.load(), BASE)
    doc_id = extraction.document.id
    quads = list(mapper.document_quads(extraction, resolution))
    # all in the article's graph, but for kg's agent, described once in the default graph
    assert {g for s, *_, g in quads if s != mapper.iris.software()} == {mapper.iris.graph(doc_id)}
    ds = Graph()
    for s, p, o, _g in quads:
        ds.add((s, p, o))
    person, org = (
        URIRef(BASE + "entity/person/dara-quill"),
        URIRef(BASE + "entity/organization/harbour-authority"),
    )
    assert list(ds.triples((None, SCHEMA.worksFor, None))) == [(person, SCHEMA.worksFor, org)]
    assert list(ds.triples((None, KG.killed, None))) == []  # a mention without an entity
    [node] = ds.subjects(RDF.type, KG.RelationStatement)
    assert node == URIRef(f"{BASE}relation/{doc_id}/worksFor/0-34")
    assert (node, RDF.type, RDF.Statement) in ds
    assert (ds.value(node, RDF.subject), ds.value(node, RDF.predicate)) == (person, SCHEMA.worksFor)
    assert ds.value(node, RDF.object) == org
    assert ds.value(node, KG.roleName) == Literal("spokeswoman", lang="en")
    assert ds.value(node, KG.confidence) == Literal("0.7", datatype=XSD.decimal)
    assert ds.value(node, PROV.wasDerivedFrom) == mapper.iris.doc(doc_id)
    subject_mention = ds.value(node, KG.subjectMention)
    assert str(ds.value(subject_mention, NIF.anchorOf)) == "Dara Quill"
    assert ds.value(subject_mention, ITSRDF.taIdentRef) == person
    assert str(ds.value(ds.value(node, KG.objectMention), NIF.anchorOf)) == "Harbour Authority"
    words = ds.value(node, KG.trigger)
    assert (
        str(ds.value(words, NIF.anchorOf)) == "Dara Quill, a spokeswoman for the Harbour Authority"
    )
    sentence = ds.value(node, KG.evidence)
    assert (sentence, RDF.type, NIF.Sentence) in ds
    assert str(ds.value(sentence, NIF.anchorOf)) == extraction.document.text


def test_relation_statements_conform_to_the_shapes() -> None:
    from kg.validate import validate_graph

    extraction, resolution = _relation_extraction()
    mapper = Mapper(Lexicon.load(), BASE)
    ds = Graph()
    for s, p, o, _g in mapper.document_quads(extraction, resolution):
        ds.add((s, p, o))
    for entity in resolution.entities.values():
        for triple in mapper.entity_triples(entity):
            ds.add(triple)
    report = validate_graph(ds)
    assert report.conforms, report.text
    # the statement must agree with the direct triple it reifies
    ds.remove((None, SCHEMA.worksFor, None))
    report = validate_graph(ds)
    assert not report.conforms and "reifies" in report.text


def test_every_relation_type_has_one_property() -> None:
    from kg.extract.relations import RELATION_TYPES
    from kg.vocab import RELATION_PROPERTIES

    assert set(RELATION_PROPERTIES) == set(RELATION_TYPES)
    assert len(set(RELATION_PROPERTIES.values())) == len(RELATION_PROPERTIES)
    assert RELATION_PROPERTIES["worksFor"] == SCHEMA.worksFor
    assert RELATION_PROPERTIES["partOf"] == SCHEMA.parentOrganization


# ---------------------------------------------------------------- attribution
SEM_ACCORDING_TO = URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/accordingTo")


def _event_of(ds: Graph, cls: str) -> URIRef:
    found = list(ds.subjects(RDF.type, URIRef(str(KG._NS) + cls)))
    assert len(found) == 1, found
    return URIRef(str(found[0]))


@pytest.mark.slow
def test_according_to_an_unnamed_source_credits_a_group_of_the_article(build) -> None:
    ds, document = build(
        "Israeli jets struck a convoy near Khan Younis, according to officials in Gaza."
    )
    source = ds.value(_event_of(ds, "Attack"), SEM_ACCORDING_TO)
    assert source == URIRef(f"{DEFAULT_BASE}entity/group/{document.id}/officials-in-gaza")
    assert (source, RDF.type, KG.Group) in ds


@pytest.mark.slow
def test_said_credits_the_speaker_for_the_reported_event(build) -> None:
    ds, _ = build("Norway said Sudan released ten hostages on Tuesday.")
    assert ds.value(_event_of(ds, "Release"), SEM_ACCORDING_TO) == entity("Q20")
    # the statement's speaker is its role, not its source
    assert ds.value(_event_of(ds, "Statement"), SEM_ACCORDING_TO) is None


@pytest.mark.slow
def test_told_credits_an_unnamed_source(build) -> None:
    ds, document = build(
        "Kenya will open the crossing on Friday, a source briefed on the deal told Reuters."
    )
    source = ds.value(_event_of(ds, "Opening"), SEM_ACCORDING_TO)
    assert source == URIRef(f"{DEFAULT_BASE}entity/group/{document.id}/source-briefed-on-the-deal")
    assert (source, RDF.type, KG.Group) in ds


@pytest.mark.slow
def test_quantity_claim_credited_to_the_speaker(build) -> None:
    ds, _ = build("Norway said 120 trucks were waiting at the crossing.")
    claim = next(ds.subjects(RDF.type, KG.QuantityClaim))
    assert ds.value(claim, SEM_ACCORDING_TO) == entity("Q20")
    assert str(ds.value(claim, KG.creditedText)) == "Norway"


# ---------------------------------------------------------------- one real-world event
def _same(ds: Graph, cls: str) -> URIRef | None:
    value = ds.value(_event_of(ds, cls), KG.sameEventAs)
    return None if value is None else URIRef(str(value))


@pytest.mark.slow
def test_reports_of_one_opening_share_the_real_world_event(build) -> None:
    """Three wordings of one event (agent named or not, reported speech, a clause of
    simultaneity) in three articles: one real-world event, computed from each alone."""
    reports = [
        "Kenya opened the Rafah crossing on Monday.",
        "The Rafah crossing opened on Monday, officials said.",
        "Traders left Gaza on Monday as the Rafah crossing reopened.",
    ]
    sames = set()
    for text in reports:
        ds, _ = build(text)
        same = _same(ds, "Opening")
        assert same is not None, text
        assert (same, RDF.type, KG.RealWorldEvent) in ds
        stamp = ds.value(same, URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/hasTimeStamp"))
        assert stamp == Literal("2024-03-04", datatype=XSD.date)
        assert str(ds.value(same, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))) == (
            "Opening on 2024-03-04"
        )
        sames.add(same)
    assert len(sames) == 1
    assert str(sames.pop()).startswith(DEFAULT_BASE + "event/same/opening/2024-03-04/")


@pytest.mark.slow
def test_another_day_or_place_is_another_real_world_event(build) -> None:
    monday = _same(build("Kenya opened the Rafah crossing on Monday.")[0], "Opening")
    tuesday = _same(build("Kenya opened the Rafah crossing on Tuesday.")[0], "Opening")
    other = _same(build("Kenya opened the port of Mombasa on Monday.")[0], "Opening")
    assert monday is not None and tuesday is not None
    assert len({monday, tuesday, other}) == 3


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "cls"),
    [
        ("Kenya opened the Rafah crossing.", "Opening"),  # no day
        ("Kenya did not open the Rafah crossing on Monday.", "Opening"),  # negated
        ("Kenya will open the Rafah crossing on Friday.", "Opening"),  # not (yet) a fact
        ("Kenya evacuated wounded Palestinians on Monday.", "Evacuation"),  # a group of the article
        ("Norway said on Monday that talks were over.", "Statement"),  # statements are not merged
    ],
)
def test_no_real_world_event_when_the_report_is_too_thin(build, text: str, cls: str) -> None:
    ds, _ = build(text)
    assert _same(ds, cls) is None
    assert list(ds.subjects(RDF.type, KG.RealWorldEvent)) == []


@pytest.mark.slow
def test_parties_identify_a_mediation(build) -> None:
    a = _same(build("Norway mediated a truce between Sudan and Chad on Monday.")[0], "Mediation")
    b = _same(
        build("On Monday, a truce between Chad and Sudan was mediated by Norway.")[0], "Mediation"
    )
    assert a is not None and a == b
    c = _same(build("Norway mediated a truce between Sudan and Niger on Monday.")[0], "Mediation")
    assert c is not None and c != a


@pytest.mark.slow
def test_quantity_claim_credited_to_the_speaker_a_pronoun_refers_to(build) -> None:
    ds, _ = build(
        "Kenya's president William Ruto spoke on Monday. "
        "About 120 trucks were waiting at the crossing, he said."
    )
    ruto = next(ds.subjects(NIF.anchorOf, Literal("William Ruto")))
    claim = next(ds.subjects(RDF.type, KG.QuantityClaim))
    assert ds.value(claim, SEM_ACCORDING_TO) == ds.value(ruto, ITSRDF.taIdentRef)
    assert str(ds.value(claim, KG.creditedText)) == "William Ruto"


def test_the_publisher_and_kg_are_described_in_the_default_graph_and_linked_from_the_article() -> (
    None
):
    """A triple in every article's graph would match once per article over the union of the
    graphs; the publisher's and kg's descriptions are written once, to the default graph."""
    mapper = Mapper(Lexicon.load(), BASE)
    document = Document("Egypt opened the crossing.", "a.txt", publisher="Harbour  Wire")
    quads = list(mapper.document_quads(Extraction(document), Resolution()))
    pub, software = mapper.iris.publisher("Harbour Wire"), mapper.iris.software()
    graph, doc = mapper.iris.graph(document.id), mapper.iris.doc(document.id)
    shared = {(s, p, o) for s, p, o, g in quads if g is None}
    assert shared == {
        (pub, RDF.type, SCHEMA.Organization),
        (pub, RDFS.label, Literal("Harbour Wire", lang="en")),
        (software, RDF.type, PROV.SoftwareAgent),
        (software, RDFS.label, Literal("kg 0.1.0", lang="en")),
    }
    assert (doc, SCHEMA.publisher, pub, graph) in quads
    # the name as this article gives it stays in its graph, for listings by article
    assert (doc, KG.publisherName, Literal("Harbour Wire", lang="en"), graph) in quads
    assert (mapper.iris.activity(document.id), PROV.wasAssociatedWith, software, graph) in quads
    assert all(g == graph for s, p, o, g in quads if s not in {pub, software})
