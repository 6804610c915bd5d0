"""Entity resolution: one entity per real-world thing, within and across articles.

Within an article, "President Joe Biden", "Mr Biden" and "Biden" become one person (a
surname or a name's last words point back to the longest earlier name that ends with
them), an acronym points to its expansion ("National Security Council ... NSC"), a name
keeps the type most of its mentions have, and definite descriptions ("the crossing")
follow their antecedent.  Across articles, entities with the same key are one: the
Wikidata id when the gazetteer knows the name, else the canonical name and type.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from kg.gazetteer import Gazetteer, Link, normalise
from kg.model import Entity, Extraction, Mention, Resolution

TYPE_OF_LABEL = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Facility",
    "NORP": "Nationality",
    "GROUP": "Group",
}


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", name) if w and w[0].isupper()]
    return "".join(w[0] for w in words)


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


class Resolver:
    """Resolve the mentions of many documents to entities.

    Across documents, a bare surname ("Kirby") joins the one person with that surname that
    an earlier document, or an earlier build (see :meth:`remember_person`), named in full.

    >>> from kg.model import Document, Extraction, Mention
    >>> text = "President Joe Biden spoke. Mr Biden left."
    >>> ms = [Mention(10, 19, "Joe Biden", "PERSON", (0, 26)), Mention(33, 38, "Biden", "PERSON", (27, 42))]
    >>> res = Resolver(Gazetteer()).resolve([Extraction(Document(text, "x"), ms)])
    >>> sorted({res.mention_entity[Document(text, "x").id][m.key] for m in ms})
    ['Person|joe biden']
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.people: dict[str, set[str]] = {}  # surname -> keys of people named in full
        self.person_entities: dict[str, Entity] = {}

    def remember_person(self, key: str, label: str, qid: str = "") -> None:
        """Record a person named in full ("John Kirby") so a later "Kirby" can join them."""
        words = normalise(label).split()
        if len(words) < 2:
            return
        self.people.setdefault(words[-1], set()).add(key)
        self.person_entities.setdefault(key, Entity(key=key, label=label, type="Person", qid=qid))

    def resolve(self, extractions: Iterable[Extraction]) -> Resolution:
        resolution = Resolution()
        for extraction in extractions:
            self._document(extraction, resolution)
        return resolution

    # ------------------------------------------------------------------ per document
    def _document(self, extraction: Extraction, res: Resolution) -> None:
        doc_id = extraction.document.id
        table: dict[tuple[int, int], str] = {}
        res.mention_entity[doc_id] = table
        named = [m for m in extraction.mentions if m.label != "GROUP" and not m.nominal]
        votes: dict[str, Counter[str]] = {}
        for m in named:
            votes.setdefault(normalise(m.text), Counter())[m.label] += 1
        seen: list[tuple[Mention, str]] = []  # earlier named mentions with their keys
        for m in named:
            label = votes[normalise(m.text)].most_common(1)[0][0] if not m.kb_key else m.label
            key = self._key(m, label, seen, res)
            entity = res.entities[key]
            entity.aliases.add(m.text)
            table[m.key] = key
            seen.append((m, key))
        for m in extraction.mentions:
            if m.nominal and m.antecedent in table:
                table[m.key] = table[m.antecedent]
            elif m.label == "GROUP":
                key = f"Group|{doc_id}|{normalise(m.text)}"
                if key not in res.entities:
                    res.entities[key] = Entity(
                        key=key, label=m.text, type="Group", document_scoped=doc_id
                    )
                res.entities[key].aliases.add(m.text)
                table[m.key] = key

    def _key(self, m: Mention, label: str, seen: list[tuple[Mention, str]], res: Resolution) -> str:
        link = self._link(m, label)
        if link is not None:
            gz_entry = link.entry
            if gz_entry.type == "Person":
                self.remember_person(gz_entry.key, gz_entry.label, gz_entry.qid)
            key = self._ensure(
                res, gz_entry.key, gz_entry.label, gz_entry.type, gz_entry.qid, m.text
            )
            entity = res.entities[key]
            if entity.qid:
                entity.link_confidence = max(entity.link_confidence, link.confidence)
            return key
        norm = normalise(m.text)
        if label == "PERSON":
            for earlier, key in reversed(seen):
                other = normalise(earlier.text)
                if earlier.label == "PERSON" and other != norm and other.endswith(" " + norm):
                    return key
            elsewhere = self.people.get(norm, set()) if " " not in norm else set()
            if len(elsewhere) == 1:
                known = self.person_entities[next(iter(elsewhere))]
                return self._ensure(res, known.key, known.label, "Person", known.qid, m.text)
        if label == "ORG" and m.text.isupper() and 2 <= len(m.text) <= 6:
            for earlier, key in reversed(seen):
                if earlier.label == "ORG" and _initials(earlier.text) == m.text:
                    return key
        etype = TYPE_OF_LABEL.get(label, "Thing")
        if label == "NORP":
            country = nationality_key(self.gazetteer, m.text)
            norm = f"of {country}" if country else _singular(norm)
        key = f"{etype}|{norm}"
        display = m.text if label != "NORP" else _singular(m.text).capitalize()
        if label == "PERSON":
            self.remember_person(key, display)
        return self._ensure(res, key, display, etype, "", m.text)

    def _link(self, m: Mention, label: str) -> Link | None:
        return self.gazetteer.link(m.text, label, m.kb_key)

    def _ensure(
        self, res: Resolution, key: str, label: str, etype: str, qid: str, alias: str
    ) -> str:
        if key not in res.entities:
            res.entities[key] = Entity(key=key, label=label, type=etype, qid=qid)
        return key


def nationality_key(gazetteer: Gazetteer, demonym: str) -> str | None:
    """The country a demonym belongs to ("Egyptian" -> "Q79"), when the gazetteer knows it.

    >>> nationality_key(Gazetteer.default(), "Egyptians")
    'Q79'
    """
    for entry in gazetteer.lookup(demonym, demonym=True):
        return entry.key
    entries = gazetteer.lookup(_singular(demonym), demonym=True)
    return entries[0].key if entries else None


__all__ = ["Resolver", "nationality_key"]
