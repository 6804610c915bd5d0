"""spaCy's lemmatizer with its per-token work done once per distinct word form.

spaCy's rule, lookup and POS-lookup lemmatizers give a token's lemma from its text, its part of
speech and its morphology alone, but they are called token by token from Python (a ``Token``
object, a method call, a cache key made of three attributes, a string set back), about a
quarter of a second per 600 news articles even when every answer is in their cache.
:class:`TableLemmatizer` reads those three attributes for the whole document as one array,
asks the lemmatizer only for combinations it has not seen, and writes the lemmas back with one
``Doc.from_array``.  Tokens that already have a lemma (the attribute ruler sets some) keep it,
as with spaCy's component, unless the lemmatizer overwrites.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> nlp.add_pipe("lemmatizer", config={"mode": "lookup"}).lookups.add_table(
...     "lemma_lookup", {"crossings": "crossing", "opened": "open"})
Table(...)
>>> use_table_lemmatizer(nlp), nlp.pipe_names
(True, ['kg_lemmatizer'])
>>> [t.lemma_ for t in nlp("Egypt opened the crossings")]
['Egypt', 'open', 'the', 'crossing']
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
from spacy.attrs import LEMMA, MORPH, ORTH, POS  # type: ignore[import-not-found]
from spacy.tokens import Doc

_MAX_MEMO = 200_000
_MODES = ("rule", "lookup", "pos_lookup")
"""The lemmatizer modes whose answer depends on the token's text, POS and morphology only."""


def _pure(lemmatizer: Any) -> bool:
    """Whether ``lemmatizer`` is one whose answer is a function of (text, POS, morphology):
    spaCy's own class or its English subclass, in one of spaCy's own modes."""
    from spacy.lang.en.lemmatizer import EnglishLemmatizer
    from spacy.pipeline import Lemmatizer

    return type(lemmatizer) in (Lemmatizer, EnglishLemmatizer) and lemmatizer.mode in _MODES


class TableLemmatizer:
    """Runs a spaCy ``Lemmatizer`` with the same result, asking it once per (text, POS,
    morphology).  The lemmatizer and its tables must not change afterwards.  Made empty by the
    ``kg_lemmatizer`` factory and given its lemmatizer by :func:`use_table_lemmatizer` (a
    lemmatizer with its tables cannot go through a pipeline config)."""

    def __init__(self, lemmatizer: Any | None = None) -> None:
        self.lemmatizer: Any = None
        self._memo: dict[tuple[int, int, int], int] = {}
        if lemmatizer is not None:
            self.attach(lemmatizer)

    def attach(self, lemmatizer: Any) -> None:
        if not _pure(lemmatizer):
            raise ValueError(f"cannot table lemmatizer {type(lemmatizer).__name__}")
        self.lemmatizer = lemmatizer
        self._memo.clear()

    def __call__(self, doc: Doc) -> Doc:
        lemmatizer = self.lemmatizer
        if lemmatizer is None:
            raise ValueError("kg_lemmatizer has no lemmatizer: add it with use_table_lemmatizer()")
        if not getattr(lemmatizer, "_validated", True):
            # spaCy checks its tables on the first document: let it, on the whole document.
            return cast(Doc, lemmatizer(doc))
        n = len(doc)
        if n == 0:
            return doc
        values = doc.to_array(cast(Any, [ORTH, POS, MORPH, LEMMA])).reshape(n, 4)
        lemmas = values[:, 3].copy()
        todo = np.arange(n) if lemmatizer.overwrite else np.nonzero(lemmas == 0)[0]
        memo = self._memo
        strings = doc.vocab.strings
        rows = values[todo, :3].tolist()
        for i, (orth, pos, morph) in zip(todo.tolist(), rows, strict=True):
            key = (orth, pos, morph)
            lemma = memo.get(key)
            if lemma is None:
                if len(memo) >= _MAX_MEMO:
                    memo.clear()
                lemma = memo[key] = strings.add(lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = lemma
        if len(todo):
            doc.from_array(cast(Any, [LEMMA]), cast(Any, lemmas.reshape(n, 1)))
        return doc


FACTORY = "kg_lemmatizer"
"""The name of the component :func:`use_table_lemmatizer` puts in the lemmatizer's place."""


def use_table_lemmatizer(nlp: Any, name: str = "lemmatizer") -> bool:
    """Put a :class:`TableLemmatizer` (component ``kg_lemmatizer``) in place of ``nlp``'s
    lemmatizer ``name``; ``False``, and the pipeline unchanged, when there is none or it is
    not one whose lemmas depend on the token's text, POS and morphology alone."""
    from spacy.language import Language

    if name not in nlp.pipe_names or not _pure(nlp.get_pipe(name)):
        return False
    lemmatizer = nlp.get_pipe(name)
    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY)(_factory)
    table = nlp.add_pipe(FACTORY, after=name)
    nlp.remove_pipe(name)
    table.attach(lemmatizer)
    return True


def _factory(nlp: Any, name: str) -> TableLemmatizer:
    return TableLemmatizer()
