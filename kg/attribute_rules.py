"""spaCy's ``attribute_ruler`` by table lookup: the same annotations, about nine times faster.

The English models map every fine-grained tag to its universal part of speech and morphology
with an ``AttributeRuler``: about 180 Matcher patterns, each match applied by Python code
(a ``Span``, then ``set_token_attrs``).  In kg's pipeline that was a seventh of the parse
(2,000 Reuters articles: 47.2 s with it, 40.4 s with this table; ``scripts/bench_build.py``),
although almost every pattern looks at one token and asks only for exact values (this tag,
this lowercase form, one of these dependency labels, none of those).  Whether such a pattern
matches depends only on the token's values of the few attributes the patterns name, and only
on whether those values are among the few the patterns mention, so
:class:`TableAttributeRuler` codes every token by those values, works out once per distinct
code which patterns match, and writes the attributes with one ``Doc.from_array``.  Patterns of
several tokens (or with a regular expression) are looked for around the tokens that pass one
of their conditions; what is left (operators such as ``OP``, other attributes) goes to a
``Matcher`` of its own.  The rules are applied in the ruler's order whichever way they
matched, so the result is the ruler's, token for token.

>>> import spacy
>>> from spacy.pipeline import AttributeRuler
>>> nlp = spacy.blank("en")
>>> ruler = AttributeRuler(nlp.vocab)
>>> ruler.add([[{"LOWER": "who"}]], {"LEMMA": "who", "POS": "PRON"})
>>> ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "go"})
>>> fast = TableAttributeRuler(ruler)
>>> doc = fast(nlp("Who is gonna go?"))
>>> [(t.text, t.pos_, t.lemma_) for t in doc][:3]
[('Who', 'PRON', 'who'), ('is', '', ''), ('gon', '', 'go')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, cast

import numpy as np
from spacy.attrs import DEP, IDS, LEMMA, MORPH, POS, TAG  # type: ignore[import-not-found]
from spacy.matcher import Matcher
from spacy.tokens import Doc

# Token attributes a tabled pattern may test, with the value types it may test them for.
_TABLE_ATTRS = {"ORTH", "LOWER", "NORM", "TAG", "POS", "DEP", "IS_SPACE", "IS_PUNCT"}
# Attributes the ruler may set that ``Doc.from_array`` writes like ``set_token_attrs`` does.
_ARRAY_SETS = (POS, MORPH, LEMMA)
_MAX_MEMO = 100_000


def _key(name: str) -> str:
    upper = name.upper()
    return "ORTH" if upper == "TEXT" else upper


_Test = tuple[int, str, Any]
"""One condition on a token: (attribute id, ``"in"``/``"not_in"``/``"regex"``, operand)."""


def _direct(pattern: Sequence[Mapping[str, Any]], strings: Any) -> list[list[_Test]] | None:
    """The conditions of a fixed-length pattern, token by token, or ``None`` when only the
    Matcher can decide it (an operator such as ``OP``, an unsupported attribute or test)."""
    out: list[list[_Test]] = []
    for spec in pattern:
        tests: list[_Test] = []
        for name, value in spec.items():
            key = _key(name)
            if key not in _TABLE_ATTRS:
                return None
            flag = key.startswith("IS_")
            if isinstance(value, dict):
                if len(value) != 1:
                    return None
                operator, operand = next(iter(value.items()))
                if operator == "REGEX" and isinstance(operand, str) and not flag:
                    tests.append((IDS[key], "regex", re.compile(operand)))
                    continue
                if operator not in ("IN", "NOT_IN") or not isinstance(operand, list):
                    return None
                values = operand
                kind = operator.lower()
            else:
                values, kind = [value], "in"
            if not all(isinstance(v, bool if flag else str) for v in values):
                return None
            ids = {int(v) if isinstance(v, bool) else strings.add(v) for v in values}
            tests.append((IDS[key], kind, ids))
        out.append(tests)
    return out


def _anchor(specs: list[list[_Test]]) -> tuple[int, _Test] | None:
    """The condition whose tokens are looked for first: a value test on a word form if there
    is one (few tokens pass it), else any value test, else a regular expression."""
    ranked = [
        (rank, k, test)
        for k, tests in enumerate(specs)
        for test in tests
        for rank in [
            0
            if test[1] == "in" and test[0] in (IDS["ORTH"], IDS["LOWER"], IDS["NORM"])
            else 1
            if test[1] == "in"
            else 2
            if test[1] == "regex"
            else None
        ]
        if rank is not None
    ]
    if not ranked:
        return None
    _, k, test = min(ranked, key=lambda item: item[0])
    return k, test


def _one_token_values(specs: list[list[_Test]], index: int) -> bool:
    """Whether a pattern is one token tested for values only (no regex, each attribute once):
    whether it matches then depends only on which of the mentioned values the token has."""
    if len(specs) != 1 or index not in (0, -1):
        return False
    attrs = [attr for attr, _, _ in specs[0]]
    return len(set(attrs)) == len(attrs) and all(kind != "regex" for _, kind, _ in specs[0])


def _places(wanted: np.ndarray, column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each value of ``column``: whether it is in the sorted array ``wanted``, and where."""
    place = np.searchsorted(wanted, column)
    clipped = np.minimum(place, len(wanted) - 1)
    return (place < len(wanted)) & (wanted[clipped] == column), place


class TableAttributeRuler:
    """Applies an ``AttributeRuler``'s rules with the same result, by table lookup.

    Built from the ruler (its patterns, attributes and indices are read once); used as a
    pipeline component in its place.  The rules must not change afterwards.
    """

    def __init__(self, ruler: Any) -> None:
        self.vocab = ruler.vocab
        strings = self.vocab.strings
        self._attrs: list[dict[int, int]] = [dict(a) for a in ruler.attrs]
        writes = {attr for attrs in self._attrs for attr in attrs}
        unknown = writes - {POS, MORPH, LEMMA, TAG, DEP}
        if unknown:
            raise ValueError(f"attribute ruler sets attributes kg cannot table: {unknown}")
        self._writes = writes
        self._array_attrs = [a for a in _ARRAY_SETS if a in writes]
        # One-token patterns, as (rule number, {attr id: (negated, values)}), in rule order.
        tabled: list[tuple[int, dict[int, tuple[bool, set[int]]]]] = []
        self._matcher = Matcher(self.vocab)
        matched_rules = 0
        # Fixed-length patterns: (rule, conditions per token, (token, condition) to look for).
        direct: list[tuple[int, list[list[_Test]], tuple[int, _Test]]] = []
        for rule, entry in enumerate(ruler.patterns):
            index = entry.get("index", 0)
            rest = []
            for pattern in entry["patterns"]:
                specs = _direct(pattern, strings)
                if specs is None:
                    rest.append(pattern)
                elif _one_token_values(specs, index):
                    tests = specs[0]
                    tabled.append((rule, {a: (kind == "not_in", ids) for a, kind, ids in tests}))
                elif (anchor := _anchor(specs)) is not None:
                    direct.append((rule, specs, anchor))
                else:
                    rest.append(pattern)
            if rest:
                self._matcher.add(str(rule), rest)
                matched_rules += 1
        self._indices: list[int] = [int(i) for i in ruler.indices]
        self._tabled = tabled
        self._has_matcher = matched_rules > 0
        # The attributes tabled patterns test, and per attribute the values they mention.
        self._tests = sorted({attr for _, c in tabled for attr in c}) or [TAG]
        self._mentioned = [
            np.array(
                sorted({v for _, c in tabled if attr in c for v in c[attr][1]}), dtype=np.uint64
            )
            for attr in self._tests
        ]
        self._radix = [len(m) + 1 for m in self._mentioned]
        if np.prod([float(r) for r in self._radix]) >= 2.0**62:
            raise ValueError("attribute ruler patterns mention too many values to table")
        self._memo: dict[int, tuple[int, ...]] = {}
        self._finals: dict[int, dict[int, int]] = {}
        self._direct = direct
        # The value anchors, by attribute: all values any anchor looks for, and per value the
        # patterns (their place in ``direct``) anchored on it.
        by_value: dict[int, dict[int, list[int]]] = {}
        for place, (_, _, (_, (attr, kind, operand))) in enumerate(direct):
            if kind == "in":
                for value in operand:
                    by_value.setdefault(attr, {}).setdefault(value, []).append(place)
        self._anchored = {
            attr: (np.array(sorted(table), dtype=np.uint64), table)
            for attr, table in by_value.items()
        }
        self._regex_anchored = [
            place for place, (_, _, (_, test)) in enumerate(direct) if test[1] == "regex"
        ]
        self._regex_memo: dict[tuple[int, int], bool] = {}
        used = set(self._tests) | {t[0] for _, specs, _ in direct for ts in specs for t in ts}
        self._columns = sorted(used)
        self._column = {attr: col for col, attr in enumerate(self._columns)}

    # ------------------------------------------------------------------ lookup
    def _codes(self, values: np.ndarray) -> np.ndarray:
        """Each token's code: per tested attribute, 0 for a value no pattern mentions, else
        1 + its place among the mentioned values; mixed-radix over the attributes."""
        codes = np.zeros(values.shape[0], dtype=np.int64)
        for attr, mentioned, radix in zip(self._tests, self._mentioned, self._radix, strict=True):
            if not len(mentioned):
                codes = codes * radix
                continue
            hit, place = _places(mentioned, values[:, self._column[attr]])
            codes = codes * radix + np.where(hit, place + 1, 0)
        return codes

    def _rules_for(self, code: int) -> tuple[int, ...]:
        """The tabled rules a token with ``code`` matches, in rule order."""
        rules = self._memo.get(code)
        if rules is not None:
            return rules
        values: dict[int, int | None] = {}
        rest = code
        for attr, mentioned, radix in zip(
            reversed(self._tests), reversed(self._mentioned), reversed(self._radix), strict=True
        ):
            rest, digit = divmod(rest, radix)
            values[attr] = int(mentioned[digit - 1]) if digit else None
        matched: list[int] = []
        for rule, constraints in self._tabled:
            if (not matched or matched[-1] != rule) and all(
                (values[attr] in allowed) != negated
                for attr, (negated, allowed) in constraints.items()
            ):
                matched.append(rule)
        if len(self._memo) >= _MAX_MEMO:
            self._memo.clear()
        rules = self._memo[code] = tuple(matched)
        return rules

    def _passes(self, test: _Test, value: int) -> bool:
        _, kind, operand = test
        if kind == "in":
            return value in operand
        if kind == "not_in":
            return value not in operand
        key = (id(operand), value)
        known = self._regex_memo.get(key)
        if known is None:
            if len(self._regex_memo) >= _MAX_MEMO:
                self._regex_memo.clear()
            known = self._regex_memo[key] = bool(operand.search(self.vocab.strings[value]))
        return known

    def _direct_matches(self, values: np.ndarray) -> Iterator[tuple[int, int]]:
        """(rule, token) for every match of a fixed-length pattern: the tokens that pass its
        anchor condition are found with numpy, the rest of the pattern checked around them."""
        candidates: list[tuple[int, int]] = []  # (place in self._direct, anchor token)
        for attr, (wanted, table) in self._anchored.items():
            column = values[:, self._column[attr]]
            for hit in np.nonzero(_places(wanted, column)[0])[0].tolist():
                candidates.extend((p, hit) for p in table[int(column[hit])])
        for p in self._regex_anchored:
            anchor = self._direct[p][2][1]
            column = values[:, self._column[anchor[0]]]
            unique, inverse = np.unique(column, return_inverse=True)
            passed = np.array([self._passes(anchor, int(v)) for v in unique.tolist()], dtype=bool)
            candidates.extend((p, hit) for hit in np.nonzero(passed[inverse])[0].tolist())
        n = values.shape[0]
        for p, hit in sorted(candidates):
            rule, specs, (k, _) = self._direct[p]
            start = hit - k
            length = len(specs)
            if start < 0 or start + length > n:
                continue
            if all(
                self._passes(test, int(values[start + j, self._column[test[0]]]))
                for j, tests in enumerate(specs)
                for test in tests
            ):
                yield rule, self._target(rule, start, start + length)

    def _target(self, rule: int, start: int, end: int) -> int:
        """The token a match of ``rule`` over ``start:end`` sets (its index may count from
        the end); an index outside the match is an error, as in spaCy."""
        index = self._indices[rule]
        target = (start if index >= 0 else end) + index
        if not start <= target < end:
            raise ValueError(
                f"attribute ruler rule {rule}: index {index} is outside a match of "
                f"{end - start} token(s)"
            )
        return target

    def _final_for(self, code: int) -> dict[int, int]:
        """What the tabled rules set on a token with ``code``: {attribute id: value}."""
        final = self._finals.get(code)
        if final is None:
            if len(self._finals) >= _MAX_MEMO:
                self._finals.clear()
            final = self._finals[code] = self._final(self._rules_for(code))
        return final

    def _final(self, rules: Sequence[int]) -> dict[int, int]:
        out: dict[int, int] = {}
        for rule in rules:
            out.update(self._attrs[rule])
        return out

    # ------------------------------------------------------------------ component
    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        values = doc.to_array(cast(Any, self._columns)).reshape(n, len(self._columns))
        codes = self._codes(values)
        unique, inverse = np.unique(codes, return_inverse=True)
        per_code = [self._final_for(c) for c in unique.tolist()]
        extra: dict[int, list[int]] = {}
        for rule, i in self._direct_matches(values):
            extra.setdefault(i, []).append(rule)
        if self._has_matcher:
            for match_id, start, end in self._matcher(doc, allow_missing=True):
                rule = int(self.vocab.strings[match_id])
                extra.setdefault(self._target(rule, start, end), []).append(rule)
        array_attrs = self._array_attrs
        if array_attrs:
            current = doc.to_array(cast(Any, array_attrs)).reshape(n, len(array_attrs))
            new = current.copy()
            for col, attr in enumerate(array_attrs):
                table_values = np.array([f.get(attr, 0) for f in per_code], dtype=np.uint64)
                table_sets = np.array([attr in f for f in per_code], dtype=bool)
                sets = table_sets[inverse]
                new[:, col] = np.where(sets, table_values[inverse], current[:, col])
        # Tokens a Matcher rule also matched: every rule they matched, in rule order.
        finals: dict[int, dict[int, int]] = {}
        for i, rules in extra.items():
            merged = sorted(set(self._rules_for(int(codes[i]))) | set(rules))
            finals[i] = self._final(merged)
        if array_attrs:
            for i, final in finals.items():
                for col, attr in enumerate(array_attrs):
                    if attr in final:
                        new[i, col] = final[attr]
            if not np.array_equal(new, current):
                doc.from_array(cast(Any, array_attrs), cast(Any, new))
        # Tag and dependency label (the rules for whitespace tokens): token by token.
        if TAG in self._writes or DEP in self._writes:
            codes_setting = [k for k, f in enumerate(per_code) if TAG in f or DEP in f]
            tokens = set(np.nonzero(np.isin(inverse, codes_setting))[0].tolist()) | set(finals)
            for i in sorted(tokens):
                final = finals.get(i) or per_code[inverse[i]]
                if TAG in final:
                    doc[i].tag = final[TAG]
                if DEP in final:
                    doc[i].dep = final[DEP]
        return doc


FACTORY = "kg_attribute_rules"
"""The name of :class:`TableAttributeRuler`'s factory (and of the component in kg's pipeline)."""


def _factory(nlp: Any, name: str, patterns: list[dict[str, Any]]) -> TableAttributeRuler:
    from spacy.pipeline import AttributeRuler

    ruler = AttributeRuler(nlp.vocab, name)
    ruler.add_patterns(patterns)
    return TableAttributeRuler(ruler)


def use_table_attribute_ruler(nlp: Any, name: str = "attribute_ruler") -> bool:
    """Put a :class:`TableAttributeRuler` (component ``kg_attribute_rules``) in place of
    ``nlp``'s attribute ruler ``name``, with its rules.  ``False``, and the pipeline
    unchanged, when there is none or its rules set attributes the table cannot write.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> ruler = nlp.add_pipe("attribute_ruler")
    >>> ruler.add([[{"LOWER": "rafah"}]], {"POS": "PROPN"})
    >>> use_table_attribute_ruler(nlp), nlp.pipe_names
    (True, ['kg_attribute_rules'])
    >>> [t.pos_ for t in nlp("the Rafah crossing")]
    ['', 'PROPN', '']
    >>> use_table_attribute_ruler(nlp)  # nothing left to replace
    False
    """
    from spacy.language import Language
    from spacy.pipeline import AttributeRuler

    if name not in nlp.pipe_names or not isinstance(nlp.get_pipe(name), AttributeRuler):
        return False
    ruler = nlp.get_pipe(name)
    try:
        TableAttributeRuler(ruler)
    except ValueError:
        return False
    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, default_config={"patterns": []})(_factory)
    nlp.add_pipe(FACTORY, after=name, config={"patterns": ruler.patterns})
    nlp.remove_pipe(name)
    return True
