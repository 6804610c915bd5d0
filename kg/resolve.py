"""Entity resolution: one entity per real-world thing, within and across articles.

Within an article, "President Joe Biden", "Mr Biden" and "Biden" become one person (a
surname or a name's last words point back to the most recent earlier name that ends with
them, else to the one later name that does), an acronym points to its expansion
("National Security Council ... NSC"), and definite descriptions ("the crossing") follow
their antecedent.  Two people who share a surname ("Joe Biden", "Jill Biden") stay two.

Across the articles of one :meth:`Resolver.resolve` call (a batch), resolution is a reduce
step over per-article results, so the same articles give the same entities in any order:

1. a name keeps the type most of its mentions in the batch have (spaCy may call a name
   PERSON in one article and ORG or GPE in another), except that a name of two or three
   words that opens with a given name ("Bettie Page") is a person, not an organisation;
2. each article is resolved on its own into *nodes* (a gazetteer key, or type and
   normalised name) as above;
3. nodes are merged over the whole batch: the same name once possessives, "Jr."/"Sr.",
   company suffixes ("Corp.") and middle initials are left out, and British and American
   spellings made one ("Centre"/"Center", "Mt"/"Mount"); variants of a person's
   first name with the same surname ("Fred"/"Frederick LaRue", "Katie"/"Kathryn Jenkin",
   "Mo"/"Maurice Cheeks": ``kg/data/given-name-variants.txt``); one first name with surnames
   spelt one letter apart ("Duncan Rait"/"Duncan Raite"); a bare surname or short name
   ("Colts", "Red Sox", "Mark Felt") that the one longer name of the batch ends with
   ("Indianapolis Colts", "Boston Red Sox", "William Mark Felt"), else the one person an
   earlier batch or build named in full (:meth:`Resolver.remember_person`); an acronym ("IE") the one name of the batch with
   those initials.  Two different Wikidata ids are never merged.
4. each merged group becomes one entity, keyed by its gazetteer-linked node when it has
   one, else by its most-mentioned full name.

Articles of the batch that name at least two of the same entities (people, organisations,
places) tell one *story*; a story is a connected set of such articles, whatever their order.
An unnamed description ("the actress") whose head noun the article, or another article of
its story, writes right before a name ("actress Lindsay Lohan") or right after it as an
apposition ("Lohan, the actress") refers to that name, when only one name of the story has
it.  Other unnamed groups are one per head noun within a story ("police" and "the local
police" of two reports of one arrest), else they stay within their article ("wounded
Palestinians").  ``kg build`` resolves each article as a batch of one, so there every
unnamed group stays within its article.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.gazetteer import Gazetteer, Link, normalise
from kg.model import Entity, Extraction, Mention, Resolution
from kg.resources import DATA_DIR

TYPE_OF_LABEL = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Facility",
    "NORP": "Nationality",
    "GROUP": "Group",
}

_LABEL_PRIORITY = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP")
"""Tie-break of the type vote: the earlier label wins an equal count."""

_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_COMPANY_SUFFIXES = frozenset(
    {"corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc", "plc", "co"}
)
_SPELLING = {
    "centre": "center", "centres": "centers", "theatre": "theater", "defence": "defense",
    "organisation": "organization", "harbour": "harbor",
    "mt": "mount", "ft": "fort",
}  # fmt: skip
"""Words of names written two ways, to the one form names are compared in."""
_SHORT_TYPES = frozenset({"Person", "Organization"})
"""Types whose short names ("Biden", "Colts") may stand for a longer name."""


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", name) if w and w[0].isupper()]
    return "".join(w[0] for w in words)


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


@functools.lru_cache(maxsize=1 << 16)
def name_form(name: str) -> str:
    """The form names are compared in: normalised, without a possessive, full stops, name
    suffixes ("Jr."), company suffixes ("Corp.") or single-letter initials.

    >>> name_form("W. Mark Felt Sr."), name_form("Microsoft Corp.'s"), name_form("J.K. Rowling")
    ('mark felt', 'microsoft', 'rowling')
    """
    text = normalise(name)
    text = re.sub(r"(?:'s|')$", "", text).replace(".", " ").replace(",", " ")
    words = text.split()
    while len(words) > 1 and words[-1] in _NAME_SUFFIXES | _COMPANY_SUFFIXES:
        words.pop()
    kept = [w for w in words if len(w) > 1 or not w.isalpha()]
    return " ".join(kept or words)


def spelled(form: str) -> str:
    """A name form with British and American spellings of its words made one ("Centre",
    "Center"), and "Mt" and "Ft" written out: two names are one when these agree.

    >>> spelled("promises treatment centre"), spelled("mt cook")
    ('promises treatment center', 'mount cook')
    """
    return " ".join(_SPELLING.get(w, w) for w in form.split())


@functools.cache
def _given_name_lines() -> dict[str, frozenset[int]]:
    """Given name -> the lines of ``kg/data/given-name-variants.txt`` it is written on."""
    path = DATA_DIR / "given-name-variants.txt"
    out: dict[str, set[int]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if line.strip() and not line.startswith("#"):
            for name in line.casefold().split():
                out.setdefault(name, set()).add(number)
    return {name: frozenset(lines) for name, lines in out.items()}


def _first_names_match(a: str, b: str) -> bool:
    """Two first names that can be one person's: equal, one a prefix of the other ("Fred",
    "Frederick"), sharing their first four letters ("Alexandros", "Alexis"), or a name and
    a short form of it ("Maurice", "Mo"; ``kg/data/given-name-variants.txt``).

    >>> _first_names_match("maurice", "mo"), _first_names_match("katie", "kathryn")
    (True, True)
    >>> _first_names_match("mark", "william")
    False
    """
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if (len(short) >= 3 and long.startswith(short)) or (len(short) >= 4 and short[:4] == long[:4]):
        return True
    lines = _given_name_lines()
    return bool(lines.get(a, frozenset()) & lines.get(b, frozenset()))


def _one_letter_apart(a: str, b: str) -> bool:
    """Two words of four letters or more one insertion, deletion or substitution apart.

    >>> _one_letter_apart("jenkins", "jenkin"), _one_letter_apart("rait", "raite")
    (True, True)
    >>> _one_letter_apart("lee", "leo"), _one_letter_apart("walker", "walters")
    (False, False)
    """
    if min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    i = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1 :]


@dataclass
class _Node:
    """A name as one or more articles of the batch resolved it, before the batch merge."""

    key: str
    type: str
    qid: str = ""
    linked: bool = False
    label: str = ""
    """Display label fixed by the gazetteer or by memory; else chosen from ``texts``."""
    confidence: float = 0.0
    texts: Counter[str] = field(default_factory=Counter)
    """Mentions that name the node itself ("Oskar Lindqvist", not a later "Lindqvist")."""
    aliases: set[str] = field(default_factory=set)
    count: int = 0
    """How many mentions the articles resolved to this node."""
    short: str = ""
    """For a lone short name or acronym not resolved within its article: its name form."""

    @property
    def form(self) -> str:
        return self.key.split("|", 1)[1] if "|" in self.key and not self.linked else ""

    def display(self) -> str:
        if self.label:
            return self.label
        return max(self.texts.items(), key=lambda kv: (kv[1], not kv[0].isupper(), kv[0]))[0]


class Resolver:
    """Resolve the mentions of many documents to entities.

    Across the documents of one :meth:`resolve` call, entities are merged as the module
    docstring says, whatever the documents' order.  A bare surname ("Kirby") that no document
    of the batch names in full joins the one person with that surname that an earlier batch,
    or an earlier build (see :meth:`remember_person`), named in full.

    >>> from kg.model import Document, Extraction, Mention
    >>> text = "President Joe Biden spoke. Mr Biden left."
    >>> ms = [Mention(10, 19, "Joe Biden", "PERSON", (0, 26)), Mention(33, 38, "Biden", "PERSON", (27, 42))]
    >>> res = Resolver(Gazetteer()).resolve([Extraction(Document(text, "x"), ms)])
    >>> sorted({res.mention_entity[Document(text, "x").id][m.key] for m in ms})
    ['Person|joe biden']
    """

    def __init__(self, gazetteer: Gazetteer, *, learn: bool = True) -> None:
        self.gazetteer = gazetteer
        self.learn = learn
        """Remember the people each batch names in full for later batches (``kg build`` sets
        False: it learns only from the store as it was, so the input order does not matter)."""
        self.people: dict[str, set[str]] = {}  # surname -> keys of people named in full
        self.person_entities: dict[str, Entity] = {}
        self._confidence: dict[tuple[int, int], float] = {}  # the article being resolved

    def remember_person(self, key: str, label: str, qid: str = "") -> None:
        """Record a person named in full ("John Kirby") so a later "Kirby" can join them."""
        words = name_form(label).split()
        if len(words) < 2:
            return
        self.people.setdefault(words[-1], set()).add(key)
        self.person_entities.setdefault(key, Entity(key=key, label=label, type="Person", qid=qid))

    def resolve(self, extractions: Iterable[Extraction]) -> Resolution:
        """Resolve a batch of articles (see the module docstring); people named in full are
        remembered for later calls."""
        batch = sorted(extractions, key=lambda e: e.document.id)
        labels = _type_votes(batch)
        nodes: dict[str, _Node] = {}
        tables: dict[str, dict[tuple[int, int], str]] = {}
        confidences: dict[str, dict[tuple[int, int], float]] = {}
        for e in batch:
            tables[e.document.id] = self._document(e, labels, nodes)
            confidences[e.document.id] = self._confidence
        parent = self._merge(nodes)
        res = Resolution(link_confidence=confidences)
        canonical = self._entities(nodes, parent, res)
        for extraction in batch:
            doc_id = extraction.document.id
            res.mention_entity[doc_id] = {
                span: canonical[node] for span, node in tables[doc_id].items()
            }
        story = _stories(batch, res.mention_entity)
        described = {
            e.document.id: _descriptions(e, res.mention_entity[e.document.id]) for e in batch
        }
        # A description one article of a story gives a name ("actress Lindsay Lohan") holds
        # in the story's other articles, unless two names of the story have it.
        in_story: dict[str, dict[str, set[str]]] = {}
        for doc_id, nouns in described.items():
            if story[doc_id]:
                for noun, key in nouns.items():
                    in_story.setdefault(story[doc_id], {}).setdefault(noun, set()).add(key)
        for extraction in batch:
            doc_id = extraction.document.id
            nouns = {
                noun: next(iter(keys))
                for noun, keys in in_story.get(story[doc_id], {}).items()
                if len(keys) == 1
            }
            nouns.update(described[doc_id])
            self._unnamed(extraction, res.mention_entity[doc_id], res, story[doc_id], nouns)
        for entity in res.entities.values() if self.learn else ():
            if entity.type == "Person":
                self.remember_person(entity.key, entity.label, entity.qid)
        return res

    # ------------------------------------------------------------------ per document
    def _document(
        self, extraction: Extraction, labels: dict[str, str], nodes: dict[str, _Node]
    ) -> dict[tuple[int, int], str]:
        """The article's named mentions -> node keys, resolved within the article."""
        table: dict[tuple[int, int], str] = {}
        self._confidence = {}
        named = [m for m in extraction.mentions if m.label != "GROUP" and not m.nominal]
        resolved: list[tuple[Mention, str, str]] = []  # mention, its label, its node key
        for i, m in enumerate(named):
            label = labels.get(name_form(m.text), m.label) if not m.kb_key else m.label
            node = self._node(m, label, resolved, named[i + 1 :], labels, nodes)
            nodes[node].aliases.add(m.text)
            nodes[node].count += 1
            table[m.key] = node
            resolved.append((m, label, node))
        return table

    def _node(
        self,
        m: Mention,
        label: str,
        earlier: list[tuple[Mention, str, str]],
        later: list[Mention],
        labels: dict[str, str],
        nodes: dict[str, _Node],
    ) -> str:
        link = self._link(m, label)
        if link is not None:
            entry = link.entry
            if entry.qid:
                self._confidence[m.key] = link.confidence
            node = nodes.setdefault(
                entry.key,
                _Node(entry.key, entry.type, entry.qid, True, entry.label),
            )
            node.linked = True
            if entry.qid:
                node.confidence = max(node.confidence, link.confidence)
            return node.key
        form = name_form(m.text)
        etype = TYPE_OF_LABEL.get(label, "Thing")
        short = ""
        if etype in _SHORT_TYPES and len(form.split()) <= 2:
            # A surname or a name's last words: the most recent earlier longer name of the
            # article that ends with them, else the one later name that does.
            for other, other_label, key in reversed(earlier):
                if _ends_with(other, other_label, form, label):
                    return key
            ahead = {
                name_form(o.text)
                for o in later
                if _ends_with(o, labels.get(name_form(o.text), o.label), form, label)
            }
            if len(ahead) == 1:
                (full,) = [o for o in later if name_form(o.text) in ahead][:1]
                return self._node(full, labels.get(name_form(full.text), full.label), earlier,
                                  [], labels, nodes)  # fmt: skip
            short = form
        if label == "ORG" and m.text.isupper() and 2 <= len(m.text) <= 6:
            for other, other_label, key in reversed(earlier):
                if other_label == "ORG" and _initials(other.text) == m.text:
                    return key
            short = m.text
        display = ""
        if label == "NORP":
            country = nationality_key(self.gazetteer, m.text)
            form = f"of {country}" if country else _singular(normalise(m.text))
            display = _singular(m.text).capitalize()
        key = f"{etype}|{form}"
        node = nodes.setdefault(key, _Node(key, etype))
        if not display:
            node.texts[m.text] += 1
        node.label = node.label or display
        if short:
            node.short = short
        return key

    def _link(self, m: Mention, label: str) -> Link | None:
        return self.gazetteer.link(m.text, label, m.kb_key)

    # ------------------------------------------------------------------ across documents
    def _merge(self, nodes: dict[str, _Node]) -> dict[str, str]:
        """Union-find over the batch's nodes (see the module docstring); node -> root."""
        parent = {k: k for k in nodes}
        qid = {k: n.qid for k, n in nodes.items()}

        def find(k: str) -> str:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        def union(a: str, b: str) -> None:
            ra, rb = find(a), find(b)
            if ra == rb or (qid[ra] and qid[rb] and qid[ra] != qid[rb]):
                return
            ra, rb = sorted((ra, rb))
            parent[rb] = ra
            qid[ra] = qid[ra] or qid[rb]

        forms: dict[str, str] = {}  # name form of every node (linked ones: of each alias)
        named: list[tuple[str, str]] = []  # (form, node key) of every full name
        for key in sorted(nodes):
            node = nodes[key]
            if node.type in ("Nationality", "Group"):
                continue
            variants = {node.form} if node.form else set()
            variants |= {name_form(a) for a in node.aliases} if node.linked else set()
            variants |= {name_form(t) for t in node.texts}
            for form in sorted(v for v in variants if v):
                same = f"{node.type}|{spelled(form)}"
                forms.setdefault(same, key)
                union(forms[same], key)
                named.append((form, key))
        # Variants of a person's first name with the same surname.
        people: dict[str, list[tuple[str, str]]] = {}
        for form, key in named:
            words = form.split()
            if nodes[key].type == "Person" and len(words) >= 2:
                people.setdefault(words[-1], []).append((words[0], key))
        for group in people.values():
            for i, (first, key) in enumerate(group):
                for other_first, other in group[i + 1 :]:
                    if _first_names_match(first, other_first):
                        union(key, other)
        # A surname spelt one letter apart under one first name ("Duncan Raite", "Duncan
        # Raitt"; "Katie Jenkin", "Kathryn Jenkins").
        by_deletion: dict[str, set[str]] = {}  # two words one letter apart share one
        for surname in people:
            for i in range(len(surname) + 1):
                by_deletion.setdefault(surname[:i] + surname[i + 1 :], set()).add(surname)
        pairs = {
            (a, b)
            for similar in by_deletion.values()
            for a in similar
            for b in similar
            if a < b and _one_letter_apart(a, b)
        }
        for surname, other_surname in sorted(pairs):
            for first, key in people[surname]:
                for other_first, other in people[other_surname]:
                    if _first_names_match(first, other_first):
                        union(key, other)
        # A short name or an acronym: the one longer name of the batch it stands for (or the
        # one that has at least twice the mentions of any other).
        groups: dict[str, list[str]] = {}
        for k in nodes:
            groups.setdefault(find(k), []).append(k)

        def members(root: str) -> list[str]:
            return groups.get(root, [root])

        for key in sorted(nodes):
            node = nodes[key]
            if not node.short:
                continue
            if node.short.isupper():
                roots = {
                    find(k)
                    for form, k in named
                    if nodes[k].type != "Place" and _initials(form.title()) == node.short
                }
            else:
                # "Colts": "Indianapolis Colts"; "Red Sox": "Boston Red Sox", "Mark Felt":
                # "William Mark Felt" (one word longer, as within an article).
                longest = 3 if " " in node.short else 99
                roots = {
                    find(k)
                    for form, k in named
                    if nodes[k].type in _SHORT_TYPES
                    and form.endswith(" " + node.short)
                    and len(form.split()) <= longest
                }
            roots.discard(find(key))
            weight = {r: sum(nodes[k].count for k in members(r)) for r in roots}
            ranked = sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))
            if ranked and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
                union(key, ranked[0][0])
            elif not ranked and node.type == "Person":
                known = self.people.get(node.short, set())
                if len(known) == 1:
                    person = self.person_entities[next(iter(known))]
                    nodes.setdefault(
                        person.key, _Node(person.key, "Person", person.qid, True, person.label)
                    )
                    parent.setdefault(person.key, person.key)
                    qid.setdefault(person.key, person.qid)
                    union(key, person.key)
        return {k: find(k) for k in nodes}

    def _entities(
        self, nodes: dict[str, _Node], parent: dict[str, str], res: Resolution
    ) -> dict[str, str]:
        """One entity per merged group; returns node key -> entity key."""
        groups: dict[str, list[_Node]] = {}
        for key, root in parent.items():
            groups.setdefault(root, []).append(nodes[key])
        canonical: dict[str, str] = {}
        for members in groups.values():
            best = max(members, key=_rank)
            entity = Entity(key=best.key, label=best.display(), type=best.type, qid=best.qid)
            entity.link_confidence = best.confidence if best.qid else 0.0
            for node in members:
                entity.aliases |= node.aliases
                canonical[node.key] = best.key
            if entity.aliases or best.linked:
                res.entities[best.key] = entity
        return canonical

    def _unnamed(
        self,
        extraction: Extraction,
        table: dict[tuple[int, int], str],
        res: Resolution,
        story: str,
        described: dict[str, str],
    ) -> None:
        doc_id = extraction.document.id
        for m in extraction.mentions:
            if m.nominal and m.antecedent in table:
                table[m.key] = table[m.antecedent]
            elif m.label == "GROUP":
                head = _singular(m.head_lemma.casefold())
                if m.head_lemma and head == m.head_lemma.casefold() and head in described:
                    table[m.key] = described[head]
                    res.entities[described[head]].aliases.add(m.text)
                    continue
                if story and head:
                    # A story told by several articles of the batch: "the police" of one
                    # is "police" or "local police" of another.
                    key = f"Group|{story}|{head}"
                else:
                    key = f"Group|{doc_id}|{normalise(m.text)}"
                if key not in res.entities:
                    res.entities[key] = Entity(
                        key=key, label=m.text, type="Group", document_scoped=story or doc_id
                    )
                res.entities[key].aliases.add(m.text)
                table[m.key] = key


def _rank(node: _Node) -> tuple[bool, bool, int, int, str]:
    """Which node of a merged group names the entity: a linked one, a full name, the most
    mentioned, the longest; the last tie broken by key so that the choice is deterministic."""
    words = len(node.form.split()) if node.form else 2
    return (node.linked, words >= 2, sum(node.texts.values()), len(node.key), _neg(node.key))


def _neg(key: str) -> str:
    return "".join(chr(0x10FFFF - ord(c)) for c in key)


def _ends_with(other: Mention, other_label: str, form: str, label: str) -> bool:
    """``other`` is a longer name of a person or organisation that ends with ``form``, one
    or two capitalised words longer (one when ``form`` has two words), of the same type
    unless ``form`` is a single word ("Chiefs" may be tagged PERSON)."""
    if TYPE_OF_LABEL.get(other_label) not in _SHORT_TYPES:
        return False
    words = form.split()
    if len(words) > 1 and other_label != label:
        return False
    full = name_form(other.text)
    if full == form or not full.endswith(" " + form):
        return False
    extra = [w for w in other.text.split()[: -len(words)] if len(w) > 1 or w.isalpha()]
    return 1 <= len(extra) <= 3 - len(words) and all(w[0].isupper() for w in extra)


def _type_votes(batch: list[Extraction]) -> dict[str, str]:
    """Normalised name -> the label most of its mentions in the batch have."""
    votes: dict[str, Counter[str]] = {}
    for extraction in batch:
        for m in extraction.mentions:
            if m.label != "GROUP" and not m.nominal and not m.kb_key:
                votes.setdefault(name_form(m.text), Counter())[m.label] += 1
    given = _given_name_lines()
    out: dict[str, str] = {}
    for name, counts in votes.items():
        words = name.split()
        label = max(
            counts,
            key=lambda lab: (
                counts[lab],
                -_LABEL_PRIORITY.index(lab) if lab in _LABEL_PRIORITY else -99,
                lab,
            ),
        )
        if label == "ORG" and 2 <= len(words) <= 3 and words[0] in given:
            # spaCy often calls a person an organisation ("Bettie Page"); a name that opens
            # with a given name ("Bettie", kg/data/given-name-variants.txt) is a person.
            label = "PERSON"
        out[name] = label
    return out


STORY_MIN_SHARED = 2
"""Named entities two articles of a batch must share to tell one story."""


def _stories(
    batch: list[Extraction], tables: dict[str, dict[tuple[int, int], str]]
) -> dict[str, str]:
    """Document id -> its story ("story:" and the smallest document id of the story), or ""
    when no other article of the batch shares :data:`STORY_MIN_SHARED` named entities
    (people, organisations, places; not nationalities) with it.  A story is a connected set
    of such articles, so it does not depend on the order of the batch."""
    named = {
        e.document.id: {k for k in tables[e.document.id].values() if not k.startswith(_STORYLESS)}
        for e in batch
    }
    ids = sorted(named)
    parent = {d: d for d in ids}

    def find(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    having: dict[str, list[str]] = {}  # entity -> the articles that name it, in id order
    for d in ids:
        for key in sorted(named[d]):
            having.setdefault(key, []).append(d)
    shared: Counter[tuple[str, str]] = Counter(
        (a, b) for docs in having.values() for i, a in enumerate(docs) for b in docs[i + 1 :]
    )
    for (a, b), n in sorted(shared.items()):
        if n >= STORY_MIN_SHARED:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    size = Counter(find(d) for d in ids)
    return {d: f"story:{find(d)}" if size[find(d)] > 1 else "" for d in ids}


_STORYLESS = ("Group|", "Nationality|")


def _descriptions(extraction: Extraction, table: dict[tuple[int, int], str]) -> dict[str, str]:
    """Nouns the article writes right before a name ("actress Lindsay Lohan") or as its
    apposition ("Lohan, the actress,") -> that name's entity, when only one name has it."""
    text = extraction.document.text
    found: dict[str, set[str]] = {}
    for m in extraction.mentions:
        key = table.get(m.key)
        if key is None or m.nominal or m.label == "GROUP" or key.startswith("Nationality|"):
            continue
        before = re.search(r"([a-z]+)\s+$", text[max(0, m.start - 40) : m.start])
        after = re.match(r",\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,2}?([a-z]+)\s*[,.]", text[m.end :])
        for hit in (before, after):
            if hit is not None:
                found.setdefault(hit.group(1), set()).add(key)
    return {noun: next(iter(keys)) for noun, keys in found.items() if len(keys) == 1}


def nationality_key(gazetteer: Gazetteer, demonym: str) -> str | None:
    """The country a demonym belongs to ("Egyptian" -> "Q79"), when the gazetteer knows it.

    >>> nationality_key(Gazetteer.default(), "Egyptians")
    'Q79'
    """
    for entry in gazetteer.lookup(demonym, demonym=True):
        return entry.key
    entries = gazetteer.lookup(_singular(demonym), demonym=True)
    return entries[0].key if entries else None


__all__ = ["Resolver", "name_form", "nationality_key"]
