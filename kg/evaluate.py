"""Measure kg against gold data: named entities (CoNLL-2003) and Wikidata links (AIDA).

The one mapping from kg's types (spaCy OntoNotes labels) to CoNLL-2003 types is
:data:`CONLL_TYPE`; labels it does not list (DATE, CARDINAL, ...) are not entities there.

Scores are exact-span micro precision, recall and F1.

>>> score({("a", 0, 2, "PER"), ("a", 3, 4, "LOC")}, {("a", 0, 2, "PER"), ("a", 5, 6, "ORG")})["f1"]
0.5
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError

CONLL_TYPE = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LANGUAGE": "MISC",
    "LAW": "MISC",
}
"""kg (OntoNotes) label -> CoNLL-2003 type. FAC counts as LOC; NORP (demonyms, groups) as MISC."""

Span = tuple[str, int, int, str]
"""(document id, start, end, type); offsets in tokens for NER, in characters for linking."""


def score(gold: set[Span], predicted: set[Span]) -> dict[str, Any]:
    """Micro precision/recall/F1 over exact spans, overall and per type."""
    out: dict[str, Any] = _prf(len(gold & predicted), len(predicted), len(gold))
    types = sorted({s[3] for s in gold | predicted})
    out["per_type"] = {
        t: _prf(
            len({s for s in gold & predicted if s[3] == t}),
            sum(1 for s in predicted if s[3] == t),
            sum(1 for s in gold if s[3] == t),
        )
        for t in types
    }
    return out


def _prf(correct: int, predicted: int, gold: int) -> dict[str, Any]:
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "correct": correct, "predicted": predicted, "gold": gold}  # fmt: skip


# ---------------------------------------------------------------------- CoNLL-2003
@dataclass
class ConllDocument:
    id: str
    sentences: list[list[tuple[str, str]]] = field(default_factory=list)
    """Sentences of (token, IOB2 tag)."""


def read_conll(path: Path, limit: int | None = None) -> list[ConllDocument]:
    """Documents of a CoNLL-2003 file (4 columns, IOB2 tags; -DOCSTART- separates documents).
    ``limit`` counts sentences."""
    if not path.is_file():
        raise InputError(str(path), "no such CoNLL file")
    docs: list[ConllDocument] = []
    sentence: list[tuple[str, str]] = []
    count = 0

    def close_sentence() -> None:
        nonlocal sentence, count
        if sentence:
            if not docs:
                docs.append(ConllDocument(f"{path.name}#1"))
            docs[-1].sentences.append(sentence)
            count += 1
            sentence = []

    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if limit is not None and count >= limit:
            break
        parts = line.split()
        if not parts:
            close_sentence()
        elif parts[0] == "-DOCSTART-":
            close_sentence()
            docs.append(ConllDocument(f"{path.name}#{len(docs) + 1}"))
        elif len(parts) < 4:
            raise InputError(f"{path}:{lineno}", "expected 4 columns (token POS chunk NER)")
        else:
            sentence.append((parts[0], parts[-1]))
    close_sentence()
    return [d for d in docs if d.sentences]


def gold_spans(doc: ConllDocument) -> Iterator[Span]:
    """Entity spans of a document's IOB2 tags, as (doc, first token, end token, type)."""
    offset = 0
    for sentence in doc.sentences:
        start, kind = -1, ""
        for i, (_token, tag) in enumerate([*sentence, ("", "O")]):
            if kind and (tag == "O" or tag.startswith("B-") or tag[2:] != kind):
                yield (doc.id, offset + start, offset + i, kind)
                kind = ""
            if tag.startswith("B-") or (tag.startswith("I-") and not kind):
                start, kind = i, tag[2:]
        offset += len(sentence)


def _doc_text(doc: ConllDocument) -> tuple[str, list[tuple[int, int]]]:
    """The document as text (tokens joined by spaces, one sentence per line) and each
    token's character span."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for sentence in doc.sentences:
        for j, (token, _tag) in enumerate(sentence):
            if j:
                parts.append(" ")
                pos += 1
            spans.append((pos, pos + len(token)))
            parts.append(token)
            pos += len(token)
        parts.append("\n")
        pos += 1
    return "".join(parts), spans


def _token_span(spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    first = next((i for i, (s, e) in enumerate(spans) if s <= start < e), None)
    last = next((i for i, (s, e) in enumerate(spans) if s < end <= e), None)
    return (first, last + 1) if first is not None and last is not None else None


def evaluate_ner(
    path: Path, *, limit: int | None = None, baseline: bool = False, model: str | None = None
) -> dict[str, Any]:
    """Run kg's entity extraction (or, with ``baseline``, the spaCy model alone) on a CoNLL
    file and score it against the gold entities."""
    from kg.extract.entities import entity_mentions
    from kg.nlp import DEFAULT_MODEL, KG_ENTITY_COMPONENTS, load_pipeline, truecase_headlines

    docs = read_conll(path, limit)
    nlp = load_pipeline(model or DEFAULT_MODEL)
    gold: set[Span] = set()
    predicted: set[Span] = set()
    texts = [_doc_text(d) for d in docs]
    disabled = list(KG_ENTITY_COMPONENTS) if baseline else []
    with nlp.select_pipes(disable=disabled):
        parsed = nlp.pipe(
            (t if baseline else truecase_headlines(t) for t, _ in texts), batch_size=16
        )
        for doc, (_text, spans), sdoc in zip(docs, texts, parsed, strict=True):
            gold.update(gold_spans(doc))
            if baseline:
                found = [(e.start_char, e.end_char, e.label_) for e in sdoc.ents]
            else:
                found = [(m.start, m.end, m.label) for m in entity_mentions(sdoc)]
            for start, end, label in found:
                kind = CONLL_TYPE.get(label)
                tok = _token_span(spans, start, end)
                if kind and tok:
                    predicted.add((doc.id, tok[0], tok[1], kind))
    result = score(gold, predicted)
    result["documents"] = len(docs)
    result["sentences"] = sum(len(d.sentences) for d in docs)
    result["system"] = "spaCy model alone" if baseline else "kg"
    return result


# ---------------------------------------------------------------------- AIDA linking
def read_aida(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """AIDA-CoNLL documents as JSON Lines: ``text`` and ``labels`` (character spans with
    Wikidata ids; the labels field may be a JSON or Python-literal list)."""
    if not path.is_file():
        raise InputError(str(path), "no such AIDA JSON Lines file")
    docs: list[dict[str, Any]] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if limit is not None and len(docs) >= limit:
            break
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            labels = record.get("labels", [])
            if isinstance(labels, str):
                labels = ast.literal_eval(labels)
        except (json.JSONDecodeError, ValueError, SyntaxError) as exc:
            raise InputError(f"{path}:{lineno}", f"not an AIDA record ({exc})") from None
        docs.append({"id": str(record.get("id", lineno)), "text": record["text"], "labels": labels})
    return docs


CONFIDENCE_BANDS = ((">=0.9", 0.9, 1.01), ("0.7-0.9", 0.7, 0.9), ("<0.7", 0.0, 0.7))
"""Bands of link confidence (name, lowest, highest exclusive) that linking precision is
reported for."""


def evaluate_linking(
    path: Path,
    *,
    limit: int | None = None,
    model: str | None = None,
    gazetteer: Iterable[str | Path] = (),
) -> dict[str, Any]:
    """Precision of the Wikidata links kg makes (a link is correct when its span and id match
    a gold link exactly), and recall over all gold links.

    ``detail.precision_by_confidence`` gives the precision of the links in each confidence
    band (:data:`CONFIDENCE_BANDS`; the confidence is the one the graph records,
    ``itsrdf:taConfidence``), and ``detail.precision_at_least`` that of the links at or above
    each band's lower bound: choose a threshold from them.  ``gazetteer`` adds the user's
    alias tables (see :func:`kg.gazetteer.read_user_table`)."""
    from kg.extract.entities import entity_mentions
    from kg.gazetteer import Gazetteer
    from kg.model import Document, Extraction
    from kg.nlp import DEFAULT_MODEL, load_pipeline, truecase_headlines
    from kg.resolve import Resolver

    tables = tuple(str(p) for p in gazetteer)
    gz = Gazetteer.load(tables)
    docs = read_aida(path, limit)
    nlp = load_pipeline(model or DEFAULT_MODEL, gazetteer=tables)
    resolver = Resolver(gz)
    gold: set[Span] = set()
    predicted: set[Span] = set()
    confidence: dict[Span, float] = {}
    for record, sdoc in zip(
        docs, nlp.pipe(truecase_headlines(r["text"]) for r in docs), strict=True
    ):
        for label in record["labels"]:
            qid = str(label.get("entity_id") or "")
            if qid.startswith("Q"):
                start, end = label["span"]
                gold.add((record["id"], int(start), int(end), qid))
        mentions = entity_mentions(sdoc)
        document = Document(record["text"], record["id"])
        resolution = resolver.resolve([Extraction(document, mentions)])
        table = resolution.mention_entity[document.id]
        for m in mentions:
            entity = resolution.entities.get(table.get(m.key, ""))
            if entity is not None and entity.qid:
                span = (record["id"], m.start, m.end, entity.qid)
                predicted.add(span)
                confidence[span] = resolution.mention_confidence(document.id, m.key)
    result = score(gold, predicted)
    del result["per_type"]
    result["documents"] = len(docs)
    result["detail"] = {
        "precision_by_confidence": {
            name: _band(gold, {s for s in predicted if low <= confidence[s] < high})
            for name, low, high in CONFIDENCE_BANDS
        },
        "precision_at_least": {
            str(low): _band(gold, {s for s in predicted if confidence[s] >= low})
            for _name, low, _high in CONFIDENCE_BANDS
        },
    }
    return result


def _band(gold: set[Span], links: set[Span]) -> dict[str, Any]:
    correct = len(gold & links)
    return {
        "precision": round(correct / len(links), 4) if links else 0.0,
        "correct": correct,
        "links": len(links),
    }


# ---------------------------------------------------------------------- WikiEvents
KAIROS_ROLES: dict[str, set[str]] = {
    "agent": {"Attacker", "Killer", "Injurer", "Jailer", "Transporter", "Damager", "Destroyer",
              "Investigator", "Prosecutor", "Buyer", "Seller", "Demonstrator", "Communicator",
              "Requester", "Threatener", "Adjudicator", "Defendant", "Giver"},
    "patient": {"Victim", "Target", "Detainee", "Defendant", "Artifact", "Observee"},
    "theme": {"Passenger", "Artifact", "Topic"},
    "speaker": {"Communicator", "Speaker"},
    "addressee": {"Recipient"},
    "beneficiary": {"Recipient", "Beneficiary"},
    "place": {"Place"},
    "origin": {"Origin"},
    "destination": {"Destination"},
    "via": {"Vehicle"},
    "instrument": {"Instrument"},
    "party": {"Participant"},
    "mediator": {"Participant"},
}  # fmt: skip
"""kg role -> the KAIROS argument roles it stands for (one table, used only for scoring)."""


def read_wikievents(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """WikiEvents documents (JSON Lines: text, sentences with token offsets, entity and event
    mentions)."""
    if not path.is_file():
        raise InputError(str(path), "no such WikiEvents JSON Lines file")
    docs: list[dict[str, Any]] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if limit is not None and len(docs) >= limit:
            break
        if line.strip():
            try:
                docs.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{lineno}", f"not JSON ({exc.msg})") from None
    return docs


def _wikievents_text(record: dict[str, Any]) -> tuple[str, list[tuple[int, int]]]:
    """The document text rebuilt from its sentences (same offsets as the tokens) and each
    token's character span, in document token order."""
    spans = [(int(s), int(e)) for sentence in record["sentences"] for _tok, s, e in sentence[0]]
    chars = [" "] * (max(e for _, e in spans) if spans else 0)
    for sentence in record["sentences"]:
        for tok, s, _e in sentence[0]:
            chars[s : s + len(tok)] = tok
    for sentence in record["sentences"][1:]:  # sentence boundaries become line breaks
        first = int(sentence[0][0][1])
        if first > 0 and chars[first - 1] == " ":
            chars[first - 1] = "\n"
    return "".join(chars), spans


def evaluate_events(
    path: Path, *, limit: int | None = None, model: str | None = None
) -> dict[str, Any]:
    """Trigger identification and classification (full KAIROS type) and argument
    classification against WikiEvents; the headline f1 is trigger classification."""
    from kg.extract import Extractor
    from kg.extract.entities import entity_mentions, nominal_mentions
    from kg.lexicon import Lexicon
    from kg.model import Document
    from kg.nlp import DEFAULT_MODEL, load_pipeline, truecase_headlines

    lexicon = Lexicon.load()
    extractor = Extractor(lexicon)
    records = read_wikievents(path, limit)
    nlp = load_pipeline(model or DEFAULT_MODEL)
    texts = [_wikievents_text(r) for r in records]
    gold_id: set[Span] = set()
    gold_cls: set[Span] = set()
    pred_id: set[Span] = set()
    pred_cls: set[Span] = set()
    gold_args: set[tuple[str, int, int, int, str]] = set()
    pred_args: set[tuple[str, int, int, int, str]] = set()
    pred_emitted: set[Span] = set()
    for record, (text, spans), sdoc in zip(
        records, texts, nlp.pipe(truecase_headlines(t) for t, _ in texts), strict=True
    ):
        doc_id = str(record["doc_id"])
        entities = {e["id"]: e for e in record["entity_mentions"]}
        for event in record["event_mentions"]:
            t = event["trigger"]
            start, end = spans[t["start"]][0], spans[t["end"] - 1][1]
            gold_id.add((doc_id, start, end, "trigger"))
            gold_cls.add((doc_id, start, end, event["event_type"]))
            for arg in event["arguments"]:
                ent = entities.get(arg["entity_id"])
                if ent is not None:
                    gold_args.add(
                        (
                            doc_id,
                            start,
                            spans[ent["start"]][0],
                            spans[ent["end"] - 1][1],
                            arg["role"],
                        )
                    )
        named = entity_mentions(sdoc)
        mentions = sorted([*named, *nominal_mentions(sdoc, named)], key=lambda m: (m.start, m.end))
        for i, cls in extractor.events.triggers(sdoc, mentions).items():
            tok = sdoc[i]
            kairos = lexicon.frames[cls].kairos
            pred_id.add((doc_id, tok.idx, tok.idx + len(tok), "trigger"))
            if kairos:
                pred_cls.add((doc_id, tok.idx, tok.idx + len(tok), kairos))
        extraction = extractor(Document(text, doc_id), sdoc)
        for ev in extraction.events:
            if lexicon.frames[ev.event_class].kairos:
                pred_emitted.add(
                    (
                        doc_id,
                        ev.trigger_start,
                        ev.trigger_end,
                        lexicon.frames[ev.event_class].kairos,
                    )
                )
            for role in ev.roles:
                for kairos_role in KAIROS_ROLES.get(role.name, ()):
                    pred_args.add((doc_id, ev.trigger_start, role.start, role.end, kairos_role))
    result = score(gold_cls, pred_cls)
    # kg writes an event to the graph only when it has a participant: score those too.
    result["emitted_events"] = {
        k: v for k, v in score(gold_cls, pred_emitted).items() if k != "per_type"
    }
    result["trigger_identification"] = {
        k: v for k, v in score(gold_id, pred_id).items() if k != "per_type"
    }
    # An argument is right when its trigger is, its role maps to the gold role, and its span
    # contains the gold entity's head or lies within the gold span (head match).
    correct = 0
    matched: set[tuple[str, int, int, int, str]] = set()
    for d, trig, gs, ge, gold_role in gold_args:
        hit = next(
            (
                p
                for p in pred_args
                if p[0] == d and p[1] == trig and p[4] == gold_role and p[2] < ge and gs < p[3]
            ),
            None,
        )
        if hit is not None and hit not in matched:
            matched.add(hit)
            correct += 1
    distinct_pred = len({(d, t, s, e) for d, t, s, e, _r in pred_args})
    result["argument"] = _prf(correct, distinct_pred, len(gold_args))
    result["argument_f1"] = result["argument"]["f1"]
    result["documents"] = len(records)
    return result
