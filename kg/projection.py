"""Projections of the RDF graph for drawing and counting: networkx graphs and statistics."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from kg.lexicon import Lexicon
from kg.query import Rows, run
from kg.vocab import RELATION_PROPERTIES

if TYPE_CHECKING:
    import networkx as nx

    from kg.remote import RemoteStore
    from kg.store import GraphStore

_EVENTS = """
SELECT ?event ?type ?role ?filler ?sentence ?headline ?date ?publisher ?url ?trigger
WHERE {
  GRAPH ?g {
    ?event a sem:Event ; a ?type ; ?role ?filler ; kg:evidence ?ev ; kg:trigger/nif:anchorOf ?trigger .
    FILTER(STRSTARTS(STR(?type), STR(kg:)))
    FILTER(STRSTARTS(STR(?role), STR(kg:)))
    ?ev nif:anchorOf ?sentence ; nif:referenceContext/nif:sourceUrl ?doc .
    OPTIONAL { ?doc schema:headline ?headline }
    OPTIONAL { ?doc schema:datePublished ?date }
    OPTIONAL { ?doc kg:publisherName ?publisher }
    OPTIONAL { ?doc schema:url ?url }
  }
}
"""
_RELATIONS = """
SELECT ?statement ?subject ?property ?object ?role ?sentence ?headline ?date ?publisher ?url
WHERE {
  GRAPH ?g {
    ?statement a kg:RelationStatement ; rdf:subject ?subject ; rdf:predicate ?property ;
               rdf:object ?object ; kg:evidence ?ev .
    OPTIONAL { ?statement kg:roleName ?role }
    ?ev nif:anchorOf ?sentence ; nif:referenceContext/nif:sourceUrl ?doc .
    OPTIONAL { ?doc schema:headline ?headline }
    OPTIONAL { ?doc schema:datePublished ?date }
    OPTIONAL { ?doc kg:publisherName ?publisher }
    OPTIONAL { ?doc schema:url ?url }
  }
}
"""
RELATION_LABELS = {
    "worksFor": "works for",
    "memberOf": "member of",
    "livesIn": "lives in",
    "locatedIn": "located in",
    "basedIn": "based in",
    "partOf": "part of",
    "nationality": "nationality",
    "killed": "killed",
    "reportsFrom": "reports from",
}
"""Edge label of each kg relation type (see :data:`kg.vocab.RELATION_PROPERTIES`)."""
_RELATION_OF_PROPERTY = {str(prop): name for name, prop in RELATION_PROPERTIES.items()}
_ENTITIES = """
SELECT ?entity ?label ?type WHERE {
  { ?entity rdfs:label ?label ; a ?type . }
  UNION
  { GRAPH ?g { ?entity rdfs:label ?label ; a ?type . FILTER(?type = kg:Group) } }
}
"""
_TYPE_NAMES = {
    "https://schema.org/Person": "Person",
    "https://schema.org/Organization": "Organization",
    "https://schema.org/Country": "Country",
    "https://schema.org/City": "City",
    "https://schema.org/Place": "Place",
    "https://w3id.org/kg-news/ontology#Facility": "Facility",
    "https://w3id.org/kg-news/ontology#Region": "Region",
    "https://w3id.org/kg-news/ontology#ArmedGroup": "ArmedGroup",
    "https://w3id.org/kg-news/ontology#Nationality": "Nationality",
    "https://w3id.org/kg-news/ontology#Group": "Group",
}
# Most specific last: a node typed both Place and Facility is drawn as a Facility.
_TYPE_RANK = [
    "Group",
    "Nationality",
    "Place",
    "Organization",
    "Country",
    "City",
    "Region",
    "Facility",
    "ArmedGroup",
    "Person",
]


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _rows(store: GraphStore | RemoteStore, sparql: str) -> Rows:
    result = run(store, sparql)
    assert isinstance(result, Rows)
    return result


def _evidence_of(row: dict[str, Any]) -> dict[str, str]:
    date = row["date"].isoformat() if row.get("date") is not None else ""
    return {
        "text": row["sentence"], "doc": row.get("headline") or "", "date": date,
        "source": row.get("publisher") or "", "url": row.get("url") or "",
    }  # fmt: skip


def project(store: GraphStore | RemoteStore, view: str = "entities") -> nx.MultiDiGraph:
    """Project the store to a networkx MultiDiGraph (see ``KnowledgeGraph.to_networkx``).

    Node attributes: ``label``, ``kind``, ``evidence`` (list of dicts with text, doc, date,
    source, url); edge attributes: ``label``, ``evidence``.  Events become edges between
    their participants (entity view) or nodes with role edges (event view); relations
    between entities (member of, located in, ...) are edges in both views, one per
    statement, labelled with the relation and the role when the article gives one
    ("member of (spokesperson)").
    """
    import networkx as nx

    if view not in {"entities", "events"}:
        raise ValueError(f"view must be 'entities' or 'events', not {view!r}")
    lexicon = Lexicon.load()
    entities: dict[str, tuple[str, str]] = {}
    for row in _rows(store, _ENTITIES):
        kind = _TYPE_NAMES.get(row["type"])
        if kind is None:
            continue
        old = entities.get(row["entity"])
        if old is None or _TYPE_RANK.index(kind) > _TYPE_RANK.index(old[1]):
            entities[row["entity"]] = (row["label"], kind)
    events: dict[str, dict[str, Any]] = {}
    for row in _rows(store, _EVENTS):
        ev = events.setdefault(
            row["event"],
            {
                "class": _local(row["type"]),
                "roles": defaultdict(list),
                "trigger": row["trigger"],
                "evidence": {},
            },
        )
        fillers = ev["roles"][_local(row["role"])]
        if row["filler"] in entities and row["filler"] not in fillers:
            fillers.append(row["filler"])
        ev["evidence"] = _evidence_of(row)
    graph = nx.MultiDiGraph()

    def node(iri: str) -> None:
        if iri not in graph and iri in entities:
            graph.add_node(iri, label=entities[iri][0], kind=entities[iri][1], evidence=[])

    def add_evidence(iri: str, evidence: dict[str, str]) -> None:
        items = graph.nodes[iri]["evidence"]
        if evidence not in items and len(items) < 10:
            items.append(evidence)

    for iri in sorted(events):
        ev = events[iri]
        cls = ev["class"]
        frame = lexicon.frames.get(cls)
        roles: dict[str, list[str]] = {
            r: [f for f in fs if f in entities] for r, fs in ev["roles"].items()
        }
        roles = {r: fs for r, fs in roles.items() if fs}
        if not roles:
            continue
        evidence = ev["evidence"]
        subjects = roles.get(frame.subject, []) if frame else []
        others = [f for r, fs in roles.items() if frame and r != frame.subject for f in fs]
        if view == "entities" and subjects and others:
            verb = frame.shortcut if frame and frame.shortcut else cls.lower()
            for s in subjects:
                node(s)
                add_evidence(s, evidence)
                for role, fillers in sorted(roles.items()):
                    for f in fillers:
                        if f == s or role == frame.subject:  # type: ignore[union-attr]
                            continue
                        node(f)
                        label = verb if frame and role == frame.object else f"{verb} ({role})"
                        graph.add_edge(
                            s, f, key=f"{iri}|{role}", label=label, evidence=[evidence], event=iri
                        )
            continue
        graph.add_node(
            iri, label=f"{cls}: {ev['trigger']}", kind=f"Event:{cls}", evidence=[evidence]
        )
        for role, fillers in sorted(roles.items()):
            for f in fillers:
                node(f)
                add_evidence(f, evidence)
                graph.add_edge(iri, f, key=role, label=role, evidence=[evidence], event=iri)
    for row in sorted(_rows(store, _RELATIONS), key=lambda r: (r["statement"], r["sentence"])):
        subject, obj = row["subject"], row["object"]
        name = _RELATION_OF_PROPERTY.get(row["property"])
        if name is None or subject not in entities or obj not in entities:
            continue
        key = f"{row['statement']}|relation"
        if graph.has_edge(subject, obj, key=key):
            continue
        node(subject)
        node(obj)
        evidence = _evidence_of(row)
        add_evidence(subject, evidence)
        add_evidence(obj, evidence)
        label = RELATION_LABELS.get(name, name)
        if row.get("role"):
            label = f"{label} ({row['role']})"
        graph.add_edge(
            subject, obj, key=key, label=label, evidence=[evidence], relation=row["statement"]
        )
    return graph


_STATS = {
    "documents": "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?g { ?d a schema:NewsArticle } }",
    "graphs": "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g prov:wasDerivedFrom ?d } }",
    "mentions": "SELECT (COUNT(?m) AS ?n) WHERE { GRAPH ?g { ?m itsrdf:taIdentRef ?e } }",
    "events": "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?e a sem:Event } }",
    "claims": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?c a kg:QuantityClaim } }",
    "relations": (
        "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { GRAPH ?g { ?r a kg:RelationStatement } }"
    ),
}
_ENTITY_TYPES = """
SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE {
  { ?e rdfs:label ?l ; a ?type } UNION { GRAPH ?g { ?e a ?type . FILTER(?type = kg:Group) } }
  FILTER(?type IN (schema:Person, schema:Organization, schema:Country, schema:City, schema:Place,
                   kg:Facility, kg:Region, kg:ArmedGroup, kg:Nationality, kg:Group))
} GROUP BY ?type ORDER BY DESC(?n) ?type
"""
_RELATION_TYPES = """
SELECT ?property (COUNT(DISTINCT ?r) AS ?n) WHERE {
  GRAPH ?g { ?r a kg:RelationStatement ; rdf:predicate ?property }
} GROUP BY ?property ORDER BY DESC(?n) ?property
"""
_EVENT_TYPES = """
SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE {
  GRAPH ?g { ?e a sem:Event ; a ?type . FILTER(STRSTARTS(STR(?type), STR(kg:))) }
} GROUP BY ?type ORDER BY DESC(?n) ?type
"""


def stats(store: GraphStore | RemoteStore) -> dict[str, Any]:
    """Documents, mentions, events, claims, relations, entities by type, events by type,
    relations by type, quads."""
    out: dict[str, Any] = {name: _rows(store, q)[0]["n"] for name, q in _STATS.items()}
    out["entities_by_type"] = {_local(r["type"]): r["n"] for r in _rows(store, _ENTITY_TYPES)}
    out["events_by_type"] = {_local(r["type"]): r["n"] for r in _rows(store, _EVENT_TYPES)}
    out["relations_by_type"] = {
        _RELATION_OF_PROPERTY.get(r["property"], _local(r["property"])): r["n"]
        for r in _rows(store, _RELATION_TYPES)
    }
    out["quads"] = len(store)
    return out


__all__ = ["RELATION_LABELS", "project", "stats"]
