"""SHACL validation: hand-made graphs that break one rule each, and mapping output that conforms."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.errors import KGError
from kg.lexicon import Lexicon
from kg.mapping import Mapper
from kg.model import (
    Document,
    Entity,
    Event,
    Extraction,
    Mention,
    QuantityClaim,
    Resolution,
    Role,
    TimeExpr,
)
from kg.store import GraphStore
from kg.validate import ValidationReport, default_shapes, validate_graph, validate_store
from kg.vocab import DEFAULT_BASE, KG, NIF, SCHEMA, SEM

EX = Namespace("https://example.org/")

# Curly quotes, an apostrophe and a dash before the spans: offsets count characters.
TEXT = "“We’re hopeful” — officials. Qatar mediated a truce."
DOC = EX["doc/1"]
CTX = EX["doc/1#char=0,52"]


def nni(value: int) -> Literal:
    return Literal(value, datatype=XSD.nonNegativeInteger)


def span(
    graph: Graph, start: int, end: int, cls: URIRef = NIF.Phrase, anchor: str | None = None
) -> URIRef:
    node = EX[f"doc/1#char={start},{end}"]
    graph.add((node, RDF.type, cls))
    graph.add((node, NIF.referenceContext, CTX))
    graph.add((node, NIF.beginIndex, nni(start)))
    graph.add((node, NIF.endIndex, nni(end)))
    graph.add((node, NIF.anchorOf, Literal(TEXT[start:end] if anchor is None else anchor)))
    return node


def correct_graph() -> Graph:
    """An article, its context, a mention of Qatar, an event with trigger and evidence, a claim."""
    assert len(TEXT) == 52
    g = Graph()
    g.add((DOC, RDF.type, SCHEMA.NewsArticle))
    g.add((DOC, KG.documentId, Literal("1")))
    g.add((DOC, SCHEMA.headline, Literal("Truce", lang="en")))
    g.add((CTX, RDF.type, NIF.Context))
    g.add((CTX, NIF.isString, Literal(TEXT)))

    qatar = EX["entity/Q846"]
    g.add((qatar, RDF.type, SCHEMA.Country))
    g.add((qatar, RDF.type, SCHEMA.Place))
    g.add((qatar, RDFS.label, Literal("Qatar", lang="en")))
    g.add((qatar, SKOS.altLabel, Literal("State of Qatar", lang="en")))
    start = TEXT.index("Qatar")
    mention = span(g, start, start + 5)
    g.add((mention, URIRef("http://www.w3.org/2005/11/its/rdf#taIdentRef"), qatar))

    sentence = span(g, start, len(TEXT), NIF.Sentence)
    trigger_start = TEXT.index("mediated")
    trigger = span(g, trigger_start, trigger_start + 8)
    event = EX[f"event/1/{trigger_start}"]
    g.add((event, RDF.type, KG.Mediation))
    g.add((event, RDF.type, SEM.Event))
    g.add((event, RDFS.label, Literal("Mediation: mediated", lang="en")))
    g.add((event, KG.mediator, qatar))
    g.add((event, SEM.hasActor, qatar))
    g.add((event, KG.trigger, trigger))
    g.add((event, KG.evidence, sentence))
    g.add((event, KG.negated, Literal(False)))
    g.add((event, KG.modality, KG.Asserted))
    g.add((event, KG.confidence, Literal("0.7", datatype=XSD.decimal)))
    g.add((event, SEM.hasTimeStamp, Literal("2023", datatype=XSD.gYear)))

    claim = EX["claim/1/0"]
    g.add((claim, RDF.type, KG.QuantityClaim))
    g.add((claim, KG.value, Literal("300", datatype=XSD.decimal)))
    g.add((claim, KG.qualifier, Literal("at least")))
    g.add((claim, KG.approximate, Literal(True)))
    g.add((claim, KG.evidence, sentence))
    return g


EVENT = EX[f"event/1/{TEXT.index('mediated')}"]
CLAIM = EX["claim/1/0"]
MENTION = EX[f"doc/1#char={TEXT.index('Qatar')},{TEXT.index('Qatar') + 5}"]


def assert_one(report: ValidationReport, words: str) -> None:
    assert not report.conforms, report.text
    assert report.violations == 1, report.text
    assert words in report.text
    assert report.text.startswith("Does not conform: 1 violation ")


# ---------------------------------------------------------------- hand-made graphs


def test_correct_graph_conforms() -> None:
    report = validate_graph(correct_graph())
    assert report.conforms, report.text
    assert report.violations == 0
    assert report.text.startswith("Conforms:")


def test_begin_not_before_end() -> None:
    g = correct_graph()
    g.set((MENTION, NIF.beginIndex, nni(TEXT.index("Qatar") + 5)))
    assert_one(validate_graph(g), "nif:beginIndex must be less than nif:endIndex")


def test_event_without_role() -> None:
    g = correct_graph()
    g.remove((EVENT, KG.mediator, None))  # sem:hasActor alone is not a kg role
    assert_one(validate_graph(g), "at least one participant role")


def test_event_without_kg_class() -> None:
    g = correct_graph()
    g.remove((EVENT, RDF.type, KG.Mediation))
    assert_one(validate_graph(g), "needs a kg event class")


def test_event_class_found_through_subclasses() -> None:
    g = correct_graph()
    g.remove((EVENT, RDF.type, KG.Mediation))
    g.add((EVENT, RDF.type, KG.Evacuation))  # Evacuation < Movement < Event
    assert validate_graph(g).conforms


def test_event_typed_only_with_kg_class_still_needs_sem_event() -> None:
    g = correct_graph()
    g.remove((EVENT, RDF.type, SEM.Event))
    assert_one(validate_graph(g), "typed sem:Event")


def test_claim_without_value() -> None:
    g = correct_graph()
    g.remove((CLAIM, KG.value, None))
    assert_one(validate_graph(g), "exactly one kg:value")


def test_anchor_that_does_not_match_text_after_non_ascii() -> None:
    g = correct_graph()
    g.set((MENTION, NIF.anchorOf, Literal("Qata")))
    report = validate_graph(g)
    start = TEXT.index("Qatar")
    assert_one(
        report,
        f"nif:anchorOf is not the text of its context between characters {start} and {start + 5}",
    )
    assert "[value: 'Qata']" in report.text


def test_anchor_with_backslash_is_reported_safely() -> None:
    g = correct_graph()
    g.set((MENTION, NIF.anchorOf, Literal("Q\\1\\d")))
    assert_one(validate_graph(g), "nif:anchorOf is not the text of its context")


def test_end_beyond_context() -> None:
    g = correct_graph()
    node = span(g, 40, 60, anchor=TEXT[40:])
    assert_one(validate_graph(g), "beyond the end of the context text (52 characters)")
    assert str(node) in validate_graph(g).text


@pytest.mark.parametrize(
    ("triple", "words"),
    [
        ((EVENT, KG.confidence, Literal("1.5", datatype=XSD.decimal)), "in [0, 1]"),
        ((EVENT, KG.confidence, Literal(0.5)), "in [0, 1]"),  # xsd:double, not decimal
        ((EVENT, KG.negated, Literal("no")), "kg:negated (xsd:boolean)"),
        ((EVENT, KG.modality, URIRef(KG._NS + "Sometimes")), "kg:Modality individuals"),
        (
            (EVENT, SEM.hasTimeStamp, Literal("2023-11", datatype=XSD.gYear)),
            "xsd:date (YYYY-MM-DD) or an xsd:gYear (YYYY)",
        ),
        (
            (EVENT, SEM.hasTimeStamp, Literal("2023-11-08")),
            "xsd:date (YYYY-MM-DD) or an xsd:gYear (YYYY)",
        ),
        (
            (EVENT, SEM.hasTimeStamp, Literal("2023", datatype=XSD.date)),
            "xsd:date (YYYY-MM-DD) or an xsd:gYear (YYYY)",
        ),
        ((EX["entity/Q846"], RDFS.label, Literal("Qatar")), "language-tagged"),
        ((EX["entity/Q846"], SKOS.altLabel, Literal("Katar")), "language-tagged"),
        ((CLAIM, KG.qualifier, Literal("roughly")), "kg:qualifier: exact, approximate"),
        ((DOC, KG.documentId, Literal(1)), "kg:documentId"),
        ((EVENT, SEM.accordingTo, Literal("officials")), "sem:accordingTo"),
        ((CLAIM, SEM.accordingTo, Literal("Egypt")), "sem:accordingTo"),
        ((CLAIM, KG.creditedText, Literal("Egypt")), "kg:creditedText"),
    ],
)
def test_one_wrong_value(triple: tuple[URIRef, URIRef, URIRef | Literal], words: str) -> None:
    g = correct_graph()
    g.set(triple)
    assert_one(validate_graph(g), words)


def test_offsets_as_xsd_integer_as_oxigraph_stores_them() -> None:
    g = correct_graph()
    for p in (NIF.beginIndex, NIF.endIndex):
        for s, o in list(g.subject_objects(p)):
            g.set((s, p, Literal(int(o), datatype=XSD.integer)))
    assert validate_graph(g).conforms


def test_negative_offset() -> None:
    g = correct_graph()
    g.set((MENTION, NIF.beginIndex, Literal(-3, datatype=XSD.integer)))
    report = validate_graph(g)
    assert not report.conforms
    assert "exactly one nif:beginIndex, an integer >= 0" in report.text


def test_offset_of_another_datatype() -> None:
    g = correct_graph()
    g.set((MENTION, NIF.endIndex, Literal("34", datatype=XSD.decimal)))
    assert_one(validate_graph(g), "nif:endIndex must be an xsd:nonNegativeInteger, not ")


def test_offsets_count_characters_beyond_the_bmp() -> None:
    """Emoji and other astral characters count as one character, as in Python and SPARQL."""
    g = Graph()
    text = "😀 “Rafah” 𝔘 crossing"
    ctx = EX[f"doc/2#char=0,{len(text)}"]
    g.add((ctx, RDF.type, NIF.Context))
    g.add((ctx, NIF.isString, Literal(text)))
    for word, anchor in (("Rafah", "Rafah"), ("crossing", "crossing"), ("𝔘", "U")):
        start = text.index(word)
        node = EX[f"doc/2#char={start},{start + len(word)}"]
        g.add((node, RDF.type, NIF.Phrase))
        g.add((node, NIF.referenceContext, ctx))
        g.add((node, NIF.beginIndex, nni(start)))
        g.add((node, NIF.endIndex, nni(start + len(word))))
        g.add((node, NIF.anchorOf, Literal(anchor)))
    start = text.index("𝔘")
    assert_one(
        validate_graph(g),
        f"nif:anchorOf is not the text of its context between characters {start} and {start + 1}",
    )


def test_valid_date_timestamp() -> None:
    g = correct_graph()
    g.set((EVENT, SEM.hasTimeStamp, Literal("2023-11-08", datatype=XSD.date)))
    assert validate_graph(g).conforms


def test_entity_with_two_labels() -> None:
    g = correct_graph()
    g.add((EX["entity/Q846"], RDFS.label, Literal("Katar", lang="de")))
    assert_one(validate_graph(g), "exactly one rdfs:label")


def test_span_without_context_and_context_without_text() -> None:
    g = correct_graph()
    g.remove((MENTION, NIF.referenceContext, None))
    g.remove((CTX, NIF.isString, None))
    report = validate_graph(g)
    assert not report.conforms
    assert report.violations == 2, report.text
    assert "exactly one nif:referenceContext" in report.text
    assert "exactly one nif:isString" in report.text
    assert "By problem:" in report.text


def test_report_lists_first_problems_only() -> None:
    g = correct_graph()
    for i in range(30):
        g.add((EX[f"event/x/{i}"], RDF.type, KG.Attack))
    report = validate_graph(g, limit=5)
    assert report.violations == 30 * 7  # no sem:Event type, role, trigger, evidence, negated, ...
    assert "First problems:" in report.text
    assert f"... and {30 * 7 - 5} more" in report.text
    assert len(report.text.splitlines()) < 30


def test_validate_graph_leaves_the_graph_alone() -> None:
    g = correct_graph()
    before = len(g)
    validate_graph(g)
    assert len(g) == before


def test_missing_shapes_file(tmp_path: Path) -> None:
    with pytest.raises(KGError, match="shapes file not found"):
        validate_graph(Graph(), tmp_path / "nope.ttl")


def test_shapes_file_is_shipped() -> None:
    shapes = Graph().parse(default_shapes())
    assert len(shapes) > 50


# ---------------------------------------------------------------- mapping output


def hand_made_extraction() -> tuple[Extraction, Resolution]:
    text = (
        "Doha — “We’re hopeful,” officials said. "
        "Qatar mediated an agreement between Israel and Hamas on Wednesday. "
        "About 300 wounded Palestinians were evacuated to Egypt in 2023.\n"
    )
    doc = Document(
        text=text,
        source="test.txt",
        title="Qatar brokers a deal",
        published=date(2023, 11, 9),
        publisher="Example News",
        url="https://example.org/a",
    )
    doc_id = doc.id

    def at(word: str) -> tuple[int, int]:
        start = text.index(word)
        return start, start + len(word)

    def sentence(word: str) -> tuple[int, int]:
        start = text.rfind(". ", 0, text.index(word)) + 2
        return start, text.index(".", text.index(word)) + 1

    labels = {
        "Qatar": ("GPE", "Q846", "Country", "Q846"),
        "Israel": ("GPE", "Q801", "Country", "Q801"),
        "Hamas": ("ORG", "ArmedGroup|hamas", "ArmedGroup", ""),
        "Egypt": ("GPE", "Q79", "Country", "Q79"),
        "wounded Palestinians": ("GROUP", f"Group|{doc_id}|wounded palestinians", "Group", ""),
    }
    mentions = [Mention(*at(w), w, label, sentence(w)) for w, (label, _k, _t, _q) in labels.items()]
    entities = {
        key: Entity(
            key=key,
            label=w,
            type=etype,
            qid=qid,
            document_scoped=doc_id if etype == "Group" else "",
        )
        for w, (_l, key, etype, qid) in labels.items()
    }
    entities["Q846"].aliases.update({"State of Qatar", "Qatar"})
    resolution = Resolution(
        entities=entities,
        mention_entity={doc_id: {at(w): key for w, (_l, key, _t, _q) in labels.items()}},
    )

    def role(name: str, word: str, event_ref: bool = False) -> Role:
        return Role(name, *at(word), word, event_ref=event_ref)

    events = [
        Event(
            "Mediation",
            *at("mediated"),
            "mediated",
            sentence("mediated"),
            roles=(
                role("mediator", "Qatar"),
                role("party", "Israel"),
                role("party", "Hamas"),
                role("theme", "agreement", event_ref=True),
            ),
            time=TimeExpr(*at("Wednesday"), "Wednesday", "2023-11-08"),
            confidence=0.8,
        ),
        Event(
            "Agreement",
            *at("agreement"),
            "agreement",
            sentence("agreement"),
            roles=(role("party", "Israel"), role("party", "Hamas")),
            modality="reported",
            confidence=1.0,
            according_to=at("Qatar"),
        ),
        Event(
            "Evacuation",
            *at("evacuated"),
            "evacuated",
            sentence("evacuated"),
            roles=(role("theme", "wounded Palestinians"), role("destination", "Egypt")),
            time=TimeExpr(*at("2023"), "2023", "2023"),
            negated=False,
            modality="expected",
            confidence=0.65,
        ),
        # No role resolves to an entity: mapping writes nothing for it.
        Event(
            "Statement",
            *at("said"),
            "said",
            sentence("said"),
            roles=(role("speaker", "officials"),),
        ),
    ]
    claims = [
        QuantityClaim(
            *at("About 300"),
            "About 300",
            300.0,
            True,
            "approximate",
            "wounded Palestinians",
            at("wounded Palestinians"),
            "evacuated",
            sentence("About"),
        )
    ]
    extraction = Extraction(document=doc, mentions=mentions, events=events, claims=claims)
    return extraction, resolution


def mapped_store() -> GraphStore:
    """Store the hand-made extraction as kg's build does (document graph + default-graph entities)."""
    extraction, resolution = hand_made_extraction()
    mapper = Mapper(Lexicon.load(), DEFAULT_BASE)
    store = GraphStore.memory()
    quads = list(mapper.document_quads(extraction, resolution))
    for entity in resolution.entities.values():
        if entity.type != "Group":
            quads.extend((s, p, o, None) for s, p, o in mapper.entity_triples(entity))
    store.add_quads(quads)
    return store


def test_mapping_output_conforms() -> None:
    store = mapped_store()
    report = validate_store(store)
    assert report.conforms, report.text
    assert report.violations == 0
    # the hand-made extraction exercised events, claims, groups and entities
    counts = {
        name: len(list(store.query(f"SELECT ?x WHERE {{ ?x a {name} }}")))
        for name in (
            "sem:Event",
            "kg:QuantityClaim",
            "kg:Group",
            "nif:Sentence",
            "schema:Place",
            "kg:RealWorldEvent",
        )
    }
    assert counts == {
        "kg:RealWorldEvent": 1,  # the dated mediation between two named parties
        "sem:Event": 3,
        "kg:QuantityClaim": 1,
        "kg:Group": 1,
        "nif:Sentence": 2,
        "schema:Place": 3,
    }


def _with_real_world_event() -> tuple[Graph, URIRef]:
    g = correct_graph()
    same = EX["event/same/mediation/2023-11-08/abc"]
    g.add((EVENT, KG.sameEventAs, same))
    g.add((same, RDF.type, KG.RealWorldEvent))
    g.add((same, RDFS.label, Literal("Mediation on 2023-11-08", lang="en")))
    g.add((same, SEM.hasTimeStamp, Literal("2023-11-08", datatype=XSD.date)))
    return g, same


def test_real_world_event_conforms() -> None:
    g, _ = _with_real_world_event()
    report = validate_graph(g)
    assert report.conforms, report.text


def test_real_world_event_needs_a_day() -> None:
    g, same = _with_real_world_event()
    g.remove((same, SEM.hasTimeStamp, None))
    assert_one(validate_graph(g), "sem:hasTimeStamp, its day")


def test_real_world_event_needs_a_report() -> None:
    g, _ = _with_real_world_event()
    g.remove((EVENT, KG.sameEventAs, None))
    assert_one(validate_graph(g), "at least one report")


def test_event_reports_one_real_world_event_at_most() -> None:
    g, _ = _with_real_world_event()
    other = EX["event/same/mediation/2023-11-09/def"]
    g.add((EVENT, KG.sameEventAs, other))
    g.add((other, RDF.type, KG.RealWorldEvent))
    g.add((other, RDFS.label, Literal("Mediation on 2023-11-09", lang="en")))
    g.add((other, SEM.hasTimeStamp, Literal("2023-11-09", datatype=XSD.date)))
    assert_one(validate_graph(g), "at most one kg:sameEventAs")


def test_mapping_output_through_oxrdflib_dataset_conforms() -> None:
    """oxrdflib gives plain literals as xsd:string: the shapes accept both forms."""
    report = validate_graph(mapped_store().dataset())
    assert report.conforms, report.text


def test_store_default_graph_is_validated() -> None:
    store = mapped_store()
    qatar = URIRef(DEFAULT_BASE + "entity/Q846")
    store.add_quads([(qatar, RDFS.label, Literal("Katar", lang="de"), None)])
    report = validate_store(store)
    assert report.violations == 1, report.text
    assert "exactly one rdfs:label" in report.text
    assert "'Katar'@de" in report.text


def test_broken_store_does_not_conform() -> None:
    store = mapped_store()
    event = next(iter(store.query("SELECT ?e WHERE { ?e a kg:Mediation }")))[0]
    store.add_quads(
        [(URIRef(event.value), KG.confidence, Literal("2", datatype=XSD.decimal), EX["g"])]
    )
    report = validate_store(store)
    assert not report.conforms
    # two confidences (0.8 and 2): one count violation and one range violation
    assert report.violations == 2, report.text
    assert "kg:confidence" in report.text
