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
    found: tuple[int, int] = _sentence_table(token.doc)[0][token.i]
    return found


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the doc's sentences that are not all whitespace, in order: the
    spans :func:`sentence_span` gives their tokens.

    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["Egypt", "opened", ".", "\\n\\n", "It", "closed"],
    ...           spaces=[True, False, False, False, True, False],
    ...           sent_starts=[True, False, False, True, True, False])
    >>> sentence_spans(doc)
    [(0, 13), (15, 24)]
    """
    return _sentence_table(doc)[1]


def _sentence_table(doc: Doc) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(the sentence span of each token, the spans of the sentences with a word), worked out
    once per doc from its arrays and kept in ``doc.user_data`` (an extractor asks tens of
    times per article)."""
    cached = doc.user_data.get("kg_sentence_spans")
    if isinstance(cached, tuple) and len(cached[0]) == len(doc):
        return cached
    n = len(doc)
    if not n:
        return [], []
    columns = doc.to_array(["IDX", "LENGTH", "IS_SPACE", "SENT_START"]).T.tolist()
    idx, length, space, sent_start = (list(map(int, c)) for c in columns)
    ends = [i + k for i, k in zip(idx, length, strict=True)]
    starts = [0, *(i for i, v in enumerate(sent_start) if v == 1 and i)]
    table: list[tuple[int, int]] = []
    spans: list[tuple[int, int]] = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else n
        words = [i for i in range(start, end) if not space[i]]
        if words:
            chars = (idx[words[0]], ends[words[-1]])
            spans.append(chars)
        else:
            chars = (idx[start], ends[end - 1])
        table.extend([chars] * (end - start))
    doc.user_data["kg_sentence_spans"] = (table, spans)
    return table, spans


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
