"""Measure kg's cross-document entity coreference against ECB+ (Cybulska & Vossen 2014).

The data.  ECB+ is a folder of topic folders (``1/``, ``2/`` ...) of CAT/CROMER XML files
(``1_10ecb.xml``, ``1_10ecbplus.xml``: each topic holds two sub-topics, the original ECB
articles and the ``ecbplus`` ones), next to ``ECBplus_coreference_sentences.csv``.  A file
lists its tokens (``t_id``, ``sentence``), then its markables (mentions: a tag and the
tokens they anchor), then CROSS_DOC_COREF and INTRA_DOC_COREF relations from mentions to an
instance.  :func:`read_ecbplus` reads it as follows.

* Entity mentions are the markables the ECB+ guidelines call event *participants, times and
  locations*: tags starting with ``HUMAN_PART``, ``NON_HUMAN_PART``, ``LOC`` and ``TIME``
  (generic ones included).  ``ACTION_*`` and ``NEG_ACTION_*`` markables are events and
  ``UNKNOWN_INSTANCE_TAG`` ones are instance descriptors; neither is an entity mention.  This
  is the entity set of the usual ECB+ setups (Barhom et al. 2019, Cattan et al. 2021).
* A mention's cluster is the ``instance_id`` its CROSS_DOC_COREF relation points to (shared
  across documents); one in an INTRA_DOC_COREF chain only is clustered with that chain,
  within its document; a mention in no relation is a singleton.  Singletons are kept and
  scored (they count in B³ and CEAF-e; MUC ignores them by definition).
* Only mentions in the sentences that ``ECBplus_coreference_sentences.csv`` lists are
  scored, gold and system alike: the release annotated and validated coreference in those
  sentences only (see its README), which is the standard setup.  kg still reads whole
  articles; only the scoring is restricted.
* Two markables on the same tokens count once (the first in the file).

The setup.  Each topic is one cross-document task: kg reads all its articles (both
sub-topics) as ``kg build`` would, and clusters never cross topics, in the gold or in the
response.  ``limit`` takes the first N topics in numeric order.  Scores are computed over
all topics at once (equivalently, counts summed over topics).

The system.  A topic's files are read in order (the ``ecb`` ones, then the ``ecbplus`` ones,
by number).  Each article's text is its tokens, lightly detokenised (no space before
punctuation and clitics), one sentence per line; the ``ecbplus`` files' sentence 0, the
source URL, is left out.  The text goes through kg's pipeline (``nlp_text``, the spaCy
pipeline, :class:`~kg.extract.Extractor`) and one :class:`~kg.resolve.Resolver` per topic
resolves the topic's articles as one batch (:meth:`~kg.resolve.Resolver.resolve`, the
reduce step of the Python API; ``kg build`` resolves article by article and merges across
articles only by key): a response cluster is an entity key, so cross-document merging by
Wikidata id, by name variant and type, by surname and short name, and of the unnamed groups
of one story is what is measured.  Every kg mention the resolver assigns to an entity is a system
mention (names, definite descriptions that follow a name, unnamed groups); its character
span covers the ECB+ tokens it overlaps.

Matching.  *System mentions* (the headline): kg's mentions are scored against the gold
mentions with the standard treatment of twinless mentions (Pradhan et al. 2014): a system
mention matches a gold mention only when their token spans are identical; an unmatched gold
mention lowers recall, an unmatched system mention lowers precision.  *Gold mentions*
(reported under ``gold_mentions``): the gold mentions are clustered by kg; a gold mention
takes the entity of the kg mention on the same tokens, else of a kg mention with the same
head token (as for the baseline below), else it is a singleton.

The baseline (``baseline=True``): the same mentions clustered by the lemma of their head
within a topic ("same head lemma"), for both settings.  A mention's head is the spaCy root
of its span, or the root's object when the root is a preposition ("at Promises").

The metrics, implemented from their definitions: MUC (Vilain et al. 1995), B³ (Bagga &
Baldwin 1998), CEAF-e (Luo 2005, entity similarity φ4 = 2|K∩R| / (|K|+|R|), best one-to-one
alignment by the Kuhn-Munkres algorithm) and the CoNLL F1, the mean of the three F1s.  The
headline ``precision`` and ``recall`` are the means of the three metrics' precisions and
recalls; ``f1`` is the CoNLL F1.

>>> key = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
>>> response = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]
>>> round(conll_scores(key, response)["f1"], 4)
0.4582
"""

from __future__ import annotations

import csv
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from kg.model import Extraction
    from kg.resolve import Resolver

ENTITY_TAG_PREFIXES = ("HUMAN_PART", "NON_HUMAN_PART", "LOC", "TIME")
"""ECB+ markable tags that are entity mentions (participants, locations, times)."""

SENTENCES_FILE = "ECBplus_coreference_sentences.csv"

MentionId = tuple[str, tuple[int, ...]]
"""A mention: (document name, its token indices in the document)."""

Clusters = Sequence[Collection[Hashable]]


# ---------------------------------------------------------------------- metrics
def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _index(clusters: Clusters) -> dict[Hashable, int]:
    return {m: i for i, cluster in enumerate(clusters) for m in cluster}


def muc(key: Clusters, response: Clusters) -> tuple[float, float, float]:
    """MUC (Vilain et al. 1995): links.  Recall is Σ(|K| - |p(K)|) / Σ(|K| - 1) over key
    clusters K, where p(K) partitions K by the response clusters (a mention the response lacks
    is a part of its own); precision swaps key and response.

    >>> muc([{1, 2, 3}], [{1, 2}, {3}])
    (1.0, 0.5, 0.6667)
    """

    def recall(gold: Clusters, other: Clusters) -> float:
        where = _index(other)
        correct = total = 0
        for cluster in gold:
            parts = {where.get(m, ("missing", m)) for m in cluster}
            correct += len(cluster) - len(parts)
            total += len(cluster) - 1
        return correct / total if total else 0.0

    r, p = recall(key, response), recall(response, key)
    return round(p, 4), round(r, 4), round(_f1(p, r), 4)


def b_cubed(key: Clusters, response: Clusters) -> tuple[float, float, float]:
    """B³ (Bagga & Baldwin 1998), mention-weighted: recall is Σ_K Σ_R |K∩R|² / |K| over all
    key mentions, precision Σ_R Σ_K |K∩R|² / |R| over all response mentions.

    >>> b_cubed([{1, 2, 3}], [{1, 2}, {3}])
    (1.0, 0.5556, 0.7143)
    """

    def recall(gold: Clusters, other: Clusters) -> float:
        where = _index(other)
        total = sum(len(c) for c in gold)
        score = 0.0
        for cluster in gold:
            overlaps = Counter(where[m] for m in cluster if m in where)
            score += sum(n * n for n in overlaps.values()) / len(cluster)
        return score / total if total else 0.0

    r, p = recall(key, response), recall(response, key)
    return round(p, 4), round(r, 4), round(_f1(p, r), 4)


def ceaf_e(key: Clusters, response: Clusters) -> tuple[float, float, float]:
    """Entity-based CEAF (Luo 2005): the best one-to-one alignment of key and response
    clusters under φ4(K, R) = 2|K∩R| / (|K|+|R|); recall is its total over the number of key
    clusters, precision over the number of response clusters.

    >>> ceaf_e([{1, 2, 3}], [{1, 2}, {3}])
    (0.4, 0.8, 0.5333)
    """
    where = _index(response)
    overlap: dict[tuple[int, int], int] = Counter(
        (k, where[m]) for k, cluster in enumerate(key) for m in cluster if m in where
    )
    # Only clusters that share a mention have φ4 > 0, so the alignment splits into the
    # connected components of the overlap graph: solve each one on its own.
    total = 0.0
    for rows, cols in _components(overlap):
        weights = [
            [2 * overlap.get((k, r), 0) / (len(key[k]) + len(response[r])) for r in cols]
            for k in rows
        ]
        total += max_weight_matching(weights)
    r = total / len(key) if key else 0.0
    p = total / len(response) if response else 0.0
    return round(p, 4), round(r, 4), round(_f1(p, r), 4)


def _components(edges: Iterable[tuple[int, int]]) -> list[tuple[list[int], list[int]]]:
    """Connected components of a bipartite graph given as (row, column) edges."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for k, r in edges:
        a, b = find(("k", k)), find(("r", r))
        if a != b:
            parent[a] = b
    groups: dict[tuple[str, int], tuple[list[int], list[int]]] = {}
    for node in sorted(parent):
        rows, cols = groups.setdefault(find(node), ([], []))
        (rows if node[0] == "k" else cols).append(node[1])
    return list(groups.values())


def max_weight_matching(weights: list[list[float]]) -> float:
    """The largest total weight of a one-to-one assignment of rows to columns (Kuhn-Munkres,
    the O(n³) shortest-augmenting-path form); a rectangular matrix leaves some unassigned.

    >>> max_weight_matching([[0.8, 0.4, 0.0], [0.0, 1 / 3, 0.5]])
    1.3
    """
    if not weights or not weights[0]:
        return 0.0
    if len(weights) > len(weights[0]):
        weights = [list(col) for col in zip(*weights, strict=True)]
    n, m = len(weights), len(weights[0])
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    owner = [0] * (m + 1)  # owner[j]: the row assigned to column j (1-based; 0 = none)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        owner[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = owner[j0], inf, 0
            row = weights[i0 - 1]
            for j in range(1, m + 1):
                if not used[j]:
                    cur = -row[j - 1] - u[i0] - v[j]  # minimise the negated weights
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    return sum(weights[owner[j] - 1][j - 1] for j in range(1, m + 1) if owner[j])


def conll_scores(key: Clusters, response: Clusters) -> dict[str, Any]:
    """MUC, B³ and CEAF-e, the CoNLL F1 (their mean F1), and the mean precision and recall."""
    out: dict[str, Any] = {}
    for name, metric in (("muc", muc), ("b3", b_cubed), ("ceafe", ceaf_e)):
        p, r, f = metric(key, response)
        out[name] = {"precision": p, "recall": r, "f1": f}
    for headline in ("precision", "recall", "f1"):
        out[headline] = round(sum(out[m][headline] for m in ("muc", "b3", "ceafe")) / 3, 4)
    out["conll_f1"] = out["f1"]
    return out


# ---------------------------------------------------------------------- ECB+ reader
@dataclass(frozen=True)
class GoldMention:
    """One entity mention of ECB+: its tokens, tag and (topic-scoped) cluster id."""

    doc: str
    tokens: tuple[int, ...]
    tag: str
    cluster: str

    @property
    def id(self) -> MentionId:
        return (self.doc, self.tokens)


@dataclass
class EcbDocument:
    """One ECB+ article: tokens with their sentence numbers, and its scored entity mentions."""

    name: str
    """File name without ``.xml``: ``1_10ecb``."""
    topic: str
    tokens: list[str] = field(default_factory=list)
    sentence_of: list[int] = field(default_factory=list)
    mentions: list[GoldMention] = field(default_factory=list)
    """Entity mentions in the validated sentences."""
    validated: frozenset[int] = frozenset()
    """Sentence numbers whose mentions are scored."""


def is_entity_tag(tag: str) -> bool:
    """True for the markable tags scored as entity mentions.

    >>> [is_entity_tag(t) for t in ("HUMAN_PART_PER", "LOC_GEO", "ACTION_OCCURRENCE")]
    [True, True, False]
    """
    return tag.startswith(ENTITY_TAG_PREFIXES)


def read_validated_sentences(path: Path) -> dict[str, frozenset[int]]:
    """``ECBplus_coreference_sentences.csv``: document name -> its validated sentence numbers."""
    if not path.is_file():
        raise InputError(str(path), "no such file: ECB+ lists its validated sentences there")
    out: dict[str, set[int]] = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            try:
                out[f"{row['Topic']}_{row['File']}"].add(int(row["Sentence Number"]))
            except (KeyError, ValueError):
                raise InputError(str(path), "expected columns Topic,File,Sentence Number") from None
    return {name: frozenset(numbers) for name, numbers in out.items()}


def read_document(path: Path, validated: frozenset[int] = frozenset()) -> EcbDocument:
    """One ECB+ XML file; only entity mentions in ``validated`` sentences are kept."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise InputError(str(path), f"not ECB+ XML ({exc})") from None
    name = path.stem
    doc = EcbDocument(name=name, topic=name.split("_", 1)[0], validated=validated)
    index: dict[str, int] = {}
    for token in root.iter("token"):
        index[token.get("t_id", "")] = len(doc.tokens)
        doc.tokens.append(token.text or "")
        doc.sentence_of.append(int(token.get("sentence", "0")))
    markables = root.find("Markables")
    relations = root.find("Relations")
    anchored: dict[str, tuple[str, tuple[int, ...]]] = {}  # m_id -> (tag, tokens)
    for markable in markables if markables is not None else ():
        ids = [a.get("t_id", "") for a in markable.iter("token_anchor")]
        if ids and all(t in index for t in ids):
            anchored[markable.get("m_id", "")] = (
                markable.tag,
                tuple(sorted(index[t] for t in ids)),
            )
    cluster_of: dict[str, str] = {}
    for relation in relations if relations is not None else ():
        target = relation.find("target")
        if target is None:
            continue
        if relation.tag == "CROSS_DOC_COREF":
            cluster = f"{doc.topic}/{relation.get('note', '')}"
        else:  # INTRA_DOC_COREF: a chain of this document only
            cluster = f"{doc.topic}/{name}/{target.get('m_id', '')}"
        for source in relation.iter("source"):
            cluster_of.setdefault(source.get("m_id", ""), cluster)
    seen: set[tuple[int, ...]] = set()
    for m_id, (tag, tokens) in anchored.items():
        if not is_entity_tag(tag) or tokens in seen:
            continue
        if doc.sentence_of[tokens[0]] not in validated:
            continue
        seen.add(tokens)
        cluster = cluster_of.get(m_id, f"{doc.topic}/{name}/singleton/{m_id}")
        doc.mentions.append(GoldMention(name, tokens, tag, cluster))
    return doc


def _topic_key(folder: Path) -> tuple[int, str]:
    return (int(folder.name), "") if folder.name.isdigit() else (10**9, folder.name)


def _doc_key(path: Path) -> tuple[int, str]:
    number = re.match(r"\d+_(\d+)", path.stem)
    return (int(number.group(1)) if number else 0, path.stem)


def read_ecbplus(path: Path, limit: int | None = None) -> list[list[EcbDocument]]:
    """The topics of an ECB+ folder, in numeric order, each a list of documents (``limit``:
    only the first N topics).  ``path`` is the folder of topic folders, or the folder that
    holds it as ``xml/``; the sentence list is looked for there and in its parent."""
    if not path.is_dir():
        raise InputError(str(path), "no such ECB+ folder (expected topic folders 1/, 2/ ...)")
    if (path / "xml").is_dir():
        path = path / "xml"
    csv_path = next(
        (p / SENTENCES_FILE for p in (path, path.parent) if (p / SENTENCES_FILE).is_file()),
        path / SENTENCES_FILE,
    )
    validated = read_validated_sentences(csv_path)
    folders = sorted((p for p in path.iterdir() if p.is_dir()), key=_topic_key)
    if not folders:
        raise InputError(str(path), "no topic folders (1/, 2/ ...) in this ECB+ folder")
    topics: list[list[EcbDocument]] = []
    for folder in folders[:limit]:
        files = sorted(folder.glob("*.xml"), key=lambda p: ("plus" in p.stem, _doc_key(p)))
        docs = [read_document(f, validated.get(f.stem, frozenset())) for f in files]
        if docs:
            topics.append(docs)
    return topics


# ---------------------------------------------------------------------- text
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "''", "'s", "'S", "n't",
                    "'re", "'ve", "'ll", "'d", "'m", "..."}  # fmt: skip
_NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}
_SURFACE = {"``": '"', "''": '"', "-LRB-": "(", "-RRB-": ")"}


def document_text(doc: EcbDocument) -> tuple[str, list[tuple[int, int] | None]]:
    """The article as text, one sentence per line, and each token's character span (None for
    tokens left out: the source URL the ``ecbplus`` files carry as sentence 0).

    >>> d = EcbDocument("1_1ecb", "1", ["Reid", "'s", "rep", ",", "Ketsoyan", ".", "Next"],
    ...                 [1, 1, 1, 1, 1, 1, 2])
    >>> document_text(d)[0]
    "Reid's rep, Ketsoyan.\\nNext"
    """
    parts: list[str] = []
    spans: list[tuple[int, int] | None] = []
    pos = 0
    previous_sentence: int | None = None
    previous_token = ""
    skip = doc.name.endswith("plus")
    for token, sentence in zip(doc.tokens, doc.sentence_of, strict=True):
        if skip and sentence == 0:
            spans.append(None)
            continue
        surface = _SURFACE.get(token, token)
        if previous_sentence is not None and sentence != previous_sentence:
            parts.append("\n")
            pos += 1
        elif previous_sentence is not None and not (
            token in _NO_SPACE_BEFORE or previous_token in _NO_SPACE_AFTER
        ):
            parts.append(" ")
            pos += 1
        spans.append((pos, pos + len(surface)))
        parts.append(surface)
        pos += len(surface)
        previous_sentence, previous_token = sentence, token
    return "".join(parts), spans


def token_range(
    spans: list[tuple[int, int] | None], start: int, end: int
) -> tuple[int, ...] | None:
    """The tokens a character span overlaps, or None when it overlaps none.

    >>> token_range([(0, 4), (4, 6), (7, 10)], 0, 4)
    (0,)
    >>> token_range([(0, 4), (4, 6), (7, 10)], 2, 8)
    (0, 1, 2)
    """
    hit = tuple(i for i, s in enumerate(spans) if s is not None and s[0] < end and start < s[1])
    return hit or None


# ---------------------------------------------------------------------- evaluation
@dataclass
class _Parsed:
    """One document as kg saw it."""

    doc: EcbDocument
    sdoc: Doc
    spans: list[tuple[int, int] | None]
    extraction: Extraction
    system: dict[tuple[int, ...], str] = field(default_factory=dict)
    """kg mentions in the validated sentences: tokens -> entity key (topic-scoped)."""
    entity_at_head: dict[int, str] = field(default_factory=dict)
    """Every kg mention's head (spaCy token index) -> its entity key."""


def _span_head(parsed: _Parsed, tokens: tuple[int, ...]) -> tuple[int, str] | None:
    """The head of the ECB+ tokens' character range: (spaCy token index, lower-case lemma).
    The head is the span's spaCy root, or the root's object when the root is a preposition
    (ECB+ often marks "at Promises" or "in Malibu" as a location)."""
    first, last = parsed.spans[tokens[0]], parsed.spans[tokens[-1]]
    if first is None or last is None:
        return None
    span = parsed.sdoc.char_span(first[0], last[1], alignment_mode="expand")
    if span is None or not len(span):
        return None
    root = span.root
    if root.pos_ == "ADP":
        root = next((c for c in root.children if c.dep_ == "pobj" and c in span), root)
    return root.i, root.lemma_.casefold()


def _lemma_clusters(
    topic: str, mentions: Iterable[tuple[_Parsed, tuple[int, ...]]]
) -> list[set[MentionId]]:
    clusters: dict[str, set[MentionId]] = defaultdict(set)
    for parsed, tokens in mentions:
        head = _span_head(parsed, tokens)
        key = head[1] if head else f"?{parsed.doc.name}/{tokens}"
        clusters[f"{topic}/{key}"].add((parsed.doc.name, tokens))
    return list(clusters.values())


def _group(assignment: Iterable[tuple[MentionId, str]]) -> list[set[MentionId]]:
    clusters: dict[str, set[MentionId]] = defaultdict(set)
    for mention, cluster in assignment:
        clusters[cluster].add(mention)
    return list(clusters.values())


def parse_topics(
    topics: Sequence[Sequence[EcbDocument]], model: str | None = None
) -> list[list[_Parsed]]:
    """Run kg's pipeline (text, spaCy, :class:`~kg.extract.Extractor`) over every article of
    every topic; resolution is left to :func:`score_topics`."""
    from kg.extract import Extractor
    from kg.lexicon import Lexicon
    from kg.model import Document
    from kg.nlp import DEFAULT_MODEL, load_pipeline
    from kg.pipeline import nlp_text

    nlp = load_pipeline(model or DEFAULT_MODEL)
    extractor = Extractor(Lexicon.load())
    out: list[list[_Parsed]] = []
    for docs in topics:
        texts = [document_text(d) for d in docs]
        documents = [
            Document(text, source=d.name) for d, (text, _) in zip(docs, texts, strict=True)
        ]
        parsed: list[_Parsed] = []
        for d, (_text, spans), document, sdoc in zip(
            docs,
            texts,
            documents,
            nlp.pipe((nlp_text(doc) for doc in documents), batch_size=16),
            strict=True,
        ):
            parsed.append(_Parsed(d, sdoc, spans, extractor(document, sdoc)))
        out.append(parsed)
    return out


def score_topics(
    topics: Sequence[Sequence[_Parsed]],
    baseline: bool = False,
    resolver_factory: Callable[[], Resolver] | None = None,
) -> dict[str, Any]:
    """Resolve each topic's articles as one batch (one :class:`~kg.resolve.Resolver` per
    topic, so clusters never cross topics) and score the clusters against the gold ones."""
    from kg.gazetteer import Gazetteer
    from kg.resolve import Resolver

    if resolver_factory is None:
        gazetteer = Gazetteer.default()

        def resolver_factory() -> Resolver:
            return Resolver(gazetteer)

    key: list[set[MentionId]] = []
    response: list[set[MentionId]] = []
    gold_response: list[set[MentionId]] = []
    lemma_response: list[set[MentionId]] = []
    lemma_gold_response: list[set[MentionId]] = []
    tags: Counter[str] = Counter()
    tags_found: Counter[str] = Counter()
    n_docs = n_sentences = 0
    for parsed in topics:
        if not parsed:
            continue
        topic = parsed[0].doc.topic
        resolution = resolver_factory().resolve([p.extraction for p in parsed])
        for item in parsed:
            d, spans, extraction = item.doc, item.spans, item.extraction
            item.system, item.entity_at_head = {}, {}
            n_docs += 1
            n_sentences += len(d.validated)
            table = resolution.mention_entity[extraction.document.id]
            for m in extraction.mentions:
                entity = table.get(m.key)
                tokens = token_range(spans, m.start, m.end)
                if entity is None or tokens is None or tokens in item.system:
                    continue
                if {d.sentence_of[t] for t in tokens} <= d.validated:
                    item.system[tokens] = f"{topic}/{entity}"
                head = _span_head(item, tokens)
                if head is not None:
                    item.entity_at_head.setdefault(head[0], f"{topic}/{entity}")
        key.extend(_group((g.id, g.cluster) for p in parsed for g in p.doc.mentions))
        response.extend(_group(((p.doc.name, t), e) for p in parsed for t, e in p.system.items()))
        # Gold mentions clustered by kg: same tokens, else same head token, else alone.
        assigned: list[tuple[MentionId, str]] = []
        for p in parsed:
            for g in p.doc.mentions:
                tags[_tag_class(g.tag)] += 1
                entity = p.system.get(g.tokens)
                if entity is not None:
                    tags_found[_tag_class(g.tag)] += 1
                else:
                    head = _span_head(p, g.tokens)
                    entity = p.entity_at_head.get(head[0]) if head else None
                assigned.append((g.id, entity or f"alone/{p.doc.name}/{g.tokens}"))
        gold_response.extend(_group(assigned))
        if baseline:
            lemma_response.extend(
                _lemma_clusters(topic, ((p, t) for p in parsed for t in p.system))
            )
            lemma_gold_response.extend(
                _lemma_clusters(topic, ((p, g.tokens) for p in parsed for g in p.doc.mentions))
            )
    result = conll_scores(key, response)
    matched = sum(tags_found.values())
    result["mentions"] = {
        "gold": sum(len(c) for c in key),
        "system": sum(len(c) for c in response),
        "matched": matched,
        "gold_by_class": {
            t: {"gold": n, "matched": tags_found[t]} for t, n in sorted(tags.items())
        },
    }
    result["clusters"] = {
        "gold": len(key),
        "gold_singletons": sum(len(c) == 1 for c in key),
        "system": len(response),
    }
    result["gold_mentions"] = {"kg": conll_scores(key, gold_response)}
    if baseline:
        result["baseline"] = conll_scores(key, lemma_response)
        result["baseline_f1"] = result["baseline"]["f1"]
        result["gold_mentions"]["baseline"] = conll_scores(key, lemma_gold_response)
    result["topics"] = sum(1 for t in topics if t)
    result["documents"] = n_docs
    result["sentences"] = n_sentences
    result["setup"] = (
        "ECB+ entity mentions (HUMAN_PART*, NON_HUMAN_PART*, LOC*, TIME*) in the validated "
        "sentences, singletons kept; clusters within each topic; kg's own mentions matched "
        "to gold by identical token spans"
    )
    result["system"] = "kg"
    return result


def evaluate_coref(
    path: Path, limit: int | None = None, baseline: bool = False, model: str | None = None
) -> dict[str, Any]:
    """Run kg over each ECB+ topic and score its entity clusters (see the module docstring
    for the setup); with ``baseline`` also the same-head-lemma baseline (``baseline_f1``)."""
    started = time.perf_counter()
    result = score_topics(parse_topics(read_ecbplus(path, limit), model), baseline)
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def _tag_class(tag: str) -> str:
    return next((p for p in ENTITY_TAG_PREFIXES if tag.startswith(p)), tag)


def format_coref_table(report: dict[str, Any]) -> str:
    """The report as a plain-text table: one row per system and setting, MUC / B³ / CEAF-e
    precision, recall and F1, and the CoNLL F1."""
    rows: list[tuple[str, dict[str, Any]]] = [("kg", report)]
    if "baseline" in report:
        rows.append(("same-head-lemma baseline", report["baseline"]))
    gold = report.get("gold_mentions", {})
    if "kg" in gold:
        rows.append(("kg, gold mentions", gold["kg"]))
    if "baseline" in gold:
        rows.append(("baseline, gold mentions", gold["baseline"]))
    header = ["system", "MUC P", "R", "F1", "B3 P", "R", "F1", "CEAF-e P", "R", "F1", "CoNLL F1"]
    lines = [header]
    for name, scores in rows:
        cells = [name]
        for metric in ("muc", "b3", "ceafe"):
            cells += [f"{scores[metric][k]:.4f}" for k in ("precision", "recall", "f1")]
        cells.append(f"{scores['f1']:.4f}")
        lines.append(cells)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    ]
    m = report.get("mentions", {})
    text.append(
        f"{report.get('topics', 0)} topics, {report.get('documents', 0)} documents, "
        f"{report.get('sentences', 0)} validated sentences; mentions: {m.get('gold', 0)} gold, "
        f"{m.get('system', 0)} kg, {m.get('matched', 0)} matched; "
        f"{report.get('seconds', 0)} s"
    )
    return "\n".join(text)


__all__ = [
    "ENTITY_TAG_PREFIXES",
    "EcbDocument",
    "GoldMention",
    "b_cubed",
    "ceaf_e",
    "conll_scores",
    "document_text",
    "evaluate_coref",
    "format_coref_table",
    "is_entity_tag",
    "max_weight_matching",
    "muc",
    "parse_topics",
    "read_document",
    "read_ecbplus",
    "read_validated_sentences",
    "score_topics",
    "token_range",
]
