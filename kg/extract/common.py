"""Helpers shared by the extractors: spans of noun phrases, quotations, word lists."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.resources import DATA_DIR

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP")
PRONOUNS = {"he", "she", "him", "her", "they", "them", "it", "who", "which", "that", "we", "i"}
_QUOTE_PAIRS = (("“", "”"), ('"', '"'), ("‘", "’"))


@lru_cache(maxsize=4)
def word_list(name: str) -> frozenset[str]:
    """Lower-cased words of ``kg/data/<name>.txt`` (comments and blank lines skipped).

    >>> "president" in word_list("titles")
    True
    """
    path = DATA_DIR / f"{name}.txt"
    words = (line.strip().casefold() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(w for w in words if w and not w.startswith("#"))


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the text inside quotation marks (marks excluded).

    >>> t = 'He said “a significant breakthrough” and "more".'
    >>> [t[s:e] for s, e in quote_spans(t)]
    ['a significant breakthrough', 'more']
    """
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"“([^“”]{2,2000})”", text):
        spans.append((m.start(1), m.end(1)))
    for m in re.finditer(r'"([^"\n]{2,1000})"', text):
        spans.append((m.start(1), m.end(1)))
    for m in re.finditer(r"(?<![\w])‘([^‘’\n]{2,400})’(?![\w])", text):
        spans.append((m.start(1), m.end(1)))
    return sorted(spans)


def text_of(doc: Doc) -> str:
    """The doc's text, joined once and kept in ``doc.user_data`` (spaCy's ``Doc.text`` joins
    every token again on each call: an extractor slicing it per role paid that every time).

    >>> from spacy.tokens import Doc
    >>> from spacy.vocab import Vocab
    >>> doc = Doc(Vocab(), words=["Egypt", "opened", "it"])
    >>> text_of(doc), text_of(doc) is text_of(doc)
    ('Egypt opened it ', True)
    """
    text = doc.user_data.get("kg_text")
    if not isinstance(text, str):
        text = doc.text
        doc.user_data["kg_text"] = text
    return text


def strip_span(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Token range without leading determiners/punctuation and trailing punctuation/possessives."""
    while start < end and (
        doc[start].is_punct or doc[start].is_space or doc[start].lower_ in {"the", "a", "an"}
    ):
        start += 1
    while end > start and (
        doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].tag_ == "POS"
    ):
        end -= 1
    return (start, end) if start < end else None


_CUT_DEPS = {"conj", "cc", "punct", "relcl", "appos", "advcl", "parataxis", "preconj"}


def phrase_tokens(token: Token, max_tokens: int = 14) -> tuple[int, int] | None:
    """Token range of the noun phrase headed by ``token``, without conjuncts and clauses."""
    doc = token.doc
    left = token.i
    for child in token.lefts:
        if child.dep_ not in _CUT_DEPS:
            left = min(left, child.left_edge.i)
    right = token.i
    for child in token.rights:
        if child.dep_ in _CUT_DEPS:
            break
        right = max(right, child.right_edge.i)
    if right - left + 1 > max_tokens:
        right = left + max_tokens - 1
    return strip_span(doc, left, right + 1)


def sentence_span(token: Token) -> tuple[int, int]:
    """Character span of the token's sentence without surrounding whitespace tokens.

    The spans of all sentences are worked out once per doc and kept in ``doc.user_data``
    (an extractor asks for them tens of times per article).

    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["Egypt", "opened", ".", "\\n", "It", "closed"],
    ...           spaces=[True, False, False, False, True, False],
    ...           sent_starts=[True, False, False, False, True, False])
    >>> sentence_span(doc[1]), sentence_span(doc[5])
    ((0, 13), (14, 23))
    """
    doc = token.doc
    table = doc.user_data.get("kg_sentence_spans")
    if not isinstance(table, list) or len(table) != len(doc):
        table = []
        for sent in doc.sents:
            words = [t for t in sent if not t.is_space]
            chars = (
                (words[0].idx, words[-1].idx + len(words[-1].text))
                if words
                else (sent.start_char, sent.end_char)
            )
            table.extend([chars] * len(sent))
        doc.user_data["kg_sentence_spans"] = table
    found: tuple[int, int] = table[token.i]
    return found


def char_range(doc: Doc, tokens: tuple[int, int]) -> tuple[int, int]:
    span: Span = doc[tokens[0] : tokens[1]]
    return span.start_char, span.end_char


def conjuncts(token: Token) -> list[Token]:
    """The token and the words coordinated with it ("Egypt, Israel and Hamas")."""
    out = [token]
    out.extend(t for t in token.conjuncts if t.i > token.i)
    return out


__all__ = [
    "ENTITY_LABELS",
    "PRONOUNS",
    "char_range",
    "conjuncts",
    "phrase_tokens",
    "quote_spans",
    "sentence_span",
    "strip_span",
    "text_of",
    "word_list",
]
