"""Cross-document coreference scoring: the metrics by hand, the ECB+ reader, the evaluation."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from kg.cli import main
from kg.evaluate_coref import (
    b_cubed,
    ceaf_e,
    conll_scores,
    document_text,
    evaluate_coref,
    format_coref_table,
    max_weight_matching,
    muc,
    read_ecbplus,
)

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
ECBPLUS = EVAL / "ecbplus" / "xml"

# The example of Pradhan et al. 2014 ("Scoring coreference partitions of predicted mentions:
# a reference implementation", ACL), with predicted mentions: h and i are twinless system
# mentions, e is a gold mention the system missed.
KEY = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
RESPONSE = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]


def test_muc_by_hand() -> None:
    # Recall: partition each key cluster by the response (missing mentions stand alone).
    #   {a,b,c} -> {a,b} {c}: 3 - 2 = 1;  {d,e,f,g} -> {d} {e} {f,g}: 4 - 3 = 1
    #   R = (1 + 1) / ((3 - 1) + (4 - 1)) = 2/5 = 0.4
    # Precision: partition each response cluster by the key.
    #   {a,b} -> 1 part: 1;  {c,d} -> {c} {d}: 0;  {f,g,h,i} -> {f,g} {h} {i}: 1
    #   P = (1 + 0 + 1) / (1 + 1 + 3) = 2/5 = 0.4;  F1 = 0.4
    assert muc(KEY, RESPONSE) == (0.4, 0.4, 0.4)


def test_b_cubed_by_hand() -> None:
    # Recall, per key mention |K∩R| / |K|, summed:
    #   a, b: 2/3 each; c: 1/3; d: 1/4; e: 0; f, g: 2/4 each -> 4/3 + 1/3 + 1/4 + 1 = 35/12
    #   R = (35/12) / 7 = 5/12 = 0.41667
    # Precision, per response mention |K∩R| / |R|:
    #   a, b: 2/2 each; c, d: 1/2 each; f, g: 2/4 each; h, i: 0 -> 2 + 1 + 1 = 4
    #   P = 4 / 8 = 0.5;  F1 = 2 * 0.5 * 5/12 / (0.5 + 5/12) = 5/11 = 0.45455
    assert b_cubed(KEY, RESPONSE) == (0.5, 0.4167, 0.4545)


def test_ceaf_e_by_hand() -> None:
    # φ4(K, R) = 2|K∩R| / (|K| + |R|):
    #              {a,b}   {c,d}   {f,g,h,i}
    #   {a,b,c}     4/5     2/5     0
    #   {d,e,f,g}   0       2/6     4/8
    # Best one-to-one alignment: {a,b,c}-{a,b} + {d,e,f,g}-{f,g,h,i} = 0.8 + 0.5 = 1.3
    # (the others: 0.4 + 0.5 = 0.9, 0.8 + 1/3 = 1.13).
    #   R = 1.3 / 2 key clusters = 0.65;  P = 1.3 / 3 response clusters = 0.43333
    #   F1 = 2 * 0.65 * 0.43333 / 1.08333 = 0.52
    assert ceaf_e(KEY, RESPONSE) == (0.4333, 0.65, 0.52)


def test_conll_f1_is_the_mean_of_the_three() -> None:
    scores = conll_scores(KEY, RESPONSE)
    # (0.4 + 0.4545 + 0.52) / 3 = 0.4582; P = (0.4 + 0.5 + 0.4333) / 3, R = (0.4 + 0.4167 + 0.65) / 3
    assert scores["f1"] == scores["conll_f1"] == 0.4582
    assert scores["precision"] == 0.4444
    assert scores["recall"] == 0.4889
    assert scores["muc"] == {"precision": 0.4, "recall": 0.4, "f1": 0.4}


def test_perfect_and_empty_responses() -> None:
    key = [{1, 2}, {3}, {4, 5, 6}]
    assert conll_scores(key, key)["f1"] == 1.0
    assert conll_scores(key, [])["f1"] == 0.0
    # all singletons on both sides: MUC has no links to score (0), B³ and CEAF-e are perfect
    alone = [{1}, {2}]
    assert (muc(alone, alone), b_cubed(alone, alone)[2], ceaf_e(alone, alone)[2]) == (
        (0.0, 0.0, 0.0),
        1.0,
        1.0,
    )


@given(
    st.integers(1, 4).flatmap(
        lambda n: st.lists(
            st.lists(st.floats(0, 1, allow_nan=False), min_size=n, max_size=n),
            min_size=1,
            max_size=5,
        )
    )
)
def test_kuhn_munkres_finds_the_best_assignment(weights: list[list[float]]) -> None:
    rows, cols = len(weights), len(weights[0])
    if rows <= cols:
        best = max(
            sum(weights[i][j] for i, j in enumerate(perm))
            for perm in itertools.permutations(range(cols), rows)
        )
    else:
        best = max(
            sum(weights[i][j] for j, i in enumerate(perm))
            for perm in itertools.permutations(range(rows), cols)
        )
    assert max_weight_matching(weights) == pytest.approx(best)


# ---------------------------------------------------------------------- reader
def _xml(name: str, sentences: list[str], markables: str, relations: str) -> str:
    tokens = []
    t_id = 0
    for s, sentence in enumerate(sentences):
        for n, word in enumerate(sentence.split()):
            t_id += 1
            tokens.append(f'<token t_id="{t_id}" sentence="{s}" number="{n}">{word}</token>')
    return (
        f'<Document doc_name="{name}.xml" doc_id="x">\n'
        + "\n".join(tokens)
        + f"\n<Markables>\n{markables}\n</Markables>\n<Relations>\n{relations}\n</Relations>\n"
        "</Document>\n"
    )


def _mark(tag: str, m_id: int, *t_ids: int) -> str:
    anchors = "".join(f'<token_anchor t_id="{t}"/>' for t in t_ids)
    return f'<{tag} m_id="{m_id}">{anchors}</{tag}>'


def _chain(kind: str, r_id: int, note: str, target: int, *sources: int) -> str:
    srcs = "".join(f'<source m_id="{s}"/>' for s in sources)
    return f'<{kind} r_id="{r_id}" note="{note}">{srcs}<target m_id="{target}"/></{kind}>'


@pytest.fixture
def tiny_ecbplus(tmp_path: Path) -> Path:
    """Our own two-article topic in ECB+ format (an ecb and an ecbplus file)."""
    root = tmp_path / "ecbplus"
    (root / "xml" / "1").mkdir(parents=True)
    # 1_1ecb, tokens (t_id): Tara(1) Reid(2) entered(3) rehab(4) in(5) California(6) .(7) |
    # Reid(8) 's(9) representative(10) confirmed(11) it(12) .(13) | Paris(14) Hilton(15) ...
    (root / "xml" / "1" / "1_1ecb.xml").write_text(
        _xml(
            "1_1ecb",
            [
                "Tara Reid entered rehab in California .",
                "Reid 's representative confirmed it .",
                "Paris Hilton was not there .",
            ],
            "\n".join(
                [
                    _mark("HUMAN_PART_PER", 1, 1, 2),  # Tara Reid
                    _mark("LOC_GEO", 2, 6),  # California
                    _mark("ACTION_OCCURRENCE", 3, 3),  # entered: an event, not scored
                    _mark("HUMAN_PART_PER", 4, 8),  # Reid
                    _mark("HUMAN_PART_PER", 5, 10),  # representative: an intra-document chain
                    _mark("HUMAN_PART_PER", 6, 10),  # the same tokens again: counted once
                    _mark("HUMAN_PART_PER", 7, 14, 15),  # Paris Hilton: sentence 2, not validated
                    '<HUMAN_PART_PER m_id="90" RELATED_TO="" TAG_DESCRIPTOR="t1_reid" '
                    'instance_id="HUM1" />',
                    '<LOC_GEO m_id="92" RELATED_TO="" TAG_DESCRIPTOR="t1_ca" instance_id="LOC1" />',
                    '<UNKNOWN_INSTANCE_TAG m_id="91" RELATED_TO="" TAG_DESCRIPTOR="" />',
                ]
            ),
            _chain("CROSS_DOC_COREF", 1, "HUM1", 90, 1, 4)
            + _chain("CROSS_DOC_COREF", 2, "LOC1", 92, 2)
            + _chain("INTRA_DOC_COREF", 3, "", 91, 5),
        ),
        encoding="utf-8",
    )
    # 1_1ecbplus: sentence 0 is the source URL; Actress(4) Tara(5) Reid(6) left(7) California(8)
    (root / "xml" / "1" / "1_1ecbplus.xml").write_text(
        _xml(
            "1_1ecbplus",
            ["http : //example.org/reid", "Actress Tara Reid left California ."],
            "\n".join(
                [
                    _mark("HUMAN_PART_PER", 1, 5, 6),  # Tara Reid
                    _mark("LOC_GEO", 2, 8),  # California
                    '<HUMAN_PART_PER m_id="90" RELATED_TO="" TAG_DESCRIPTOR="t1_reid" '
                    'instance_id="HUM1" />',
                    '<LOC_GEO m_id="92" RELATED_TO="" TAG_DESCRIPTOR="t1_ca" instance_id="LOC1" />',
                ]
            ),
            _chain("CROSS_DOC_COREF", 1, "HUM1", 90, 1)
            + _chain("CROSS_DOC_COREF", 2, "LOC1", 92, 2),
        ),
        encoding="utf-8",
    )
    (root / "ECBplus_coreference_sentences.csv").write_text(
        "Topic,File,Sentence Number\n1,1ecb,0\n1,1ecb,1\n1,1ecbplus,1\n", encoding="utf-8"
    )
    return root / "xml"


def test_reader_keeps_entity_mentions_of_validated_sentences(tiny_ecbplus: Path) -> None:
    [topic] = read_ecbplus(tiny_ecbplus)
    ecb, plus = topic
    assert (ecb.name, plus.name, ecb.validated) == ("1_1ecb", "1_1ecbplus", frozenset({0, 1}))
    got = [(" ".join(ecb.tokens[i] for i in m.tokens), m.cluster) for m in ecb.mentions]
    assert got == [
        ("Tara Reid", "1/HUM1"),
        ("California", "1/LOC1"),
        ("Reid", "1/HUM1"),
        ("representative", "1/1_1ecb/91"),
    ]
    assert [m.cluster for m in plus.mentions] == ["1/HUM1", "1/LOC1"]
    text, spans = document_text(plus)
    assert text == "Actress Tara Reid left California."  # the URL sentence is left out
    assert spans[:3] == [None, None, None] and spans[4] == (8, 12)


def test_reader_errors(tmp_path: Path) -> None:
    from kg.errors import InputError

    with pytest.raises(InputError, match="no such ECB"):
        read_ecbplus(tmp_path / "absent")
    (tmp_path / "1").mkdir()
    with pytest.raises(InputError, match=r"ECBplus_coreference_sentences\.csv"):
        read_ecbplus(tmp_path)


# ---------------------------------------------------------------------- evaluation
@pytest.mark.slow
def test_evaluate_coref_on_the_tiny_topic(tiny_ecbplus: Path) -> None:
    report = evaluate_coref(tiny_ecbplus, baseline=True)
    # Gold (key): {Tara Reid, Reid, Tara Reid'} {representative} {California, California'}.
    assert report["mentions"]["gold"] == 6
    assert report["clusters"] == {"gold": 3, "gold_singletons": 1, "system": 3}
    # kg: the three Reid names are one person across both articles, both Californias one
    # place (a gazetteer id), and "Reid's representative" an unnamed group: a twinless system
    # mention, since ECB+ marks "representative" alone.  Response {T,R,T'} {C,C'} {Rr}.
    #   MUC: R = ((3 - 1) + (2 - 1)) / ((3 - 1) + (2 - 1)) = 1 ({rep} has no links);
    #        P = (2 + 1 + 0) / (2 + 1 + 0) = 1
    #   B³: R = (3²/3 + 0 + 2²/2) / 6 = 5/6;  P = (3²/3 + 2²/2 + 0) / 6 = 5/6
    #   CEAF-e: φ4 = 1 for {T,R,T'} and for {C,C'}; {rep} and {Rr} share nothing: 2 in all,
    #           R = 2/3 key clusters, P = 2/3 response clusters
    #   CoNLL F1 = (1 + 0.8333 + 0.6667) / 3 = 0.8333
    assert report["mentions"]["system"] == 6 and report["mentions"]["matched"] == 5
    assert report["muc"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert report["b3"] == {"precision": 0.8333, "recall": 0.8333, "f1": 0.8333}
    assert report["ceafe"] == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667}
    assert (report["f1"], report["precision"], report["recall"]) == (0.8333, 0.8333, 0.8333)
    # The head-lemma baseline clusters the same six mentions the same way here (reid,
    # california, representative).
    assert report["baseline_f1"] == report["f1"]
    # Gold mentions: "representative" takes the entity of the kg mention with the same head
    # ("Reid's representative"), alone in its cluster: kg's clustering is then perfect.
    assert report["gold_mentions"]["kg"]["f1"] == 1.0
    table = format_coref_table(report)
    assert "same-head-lemma baseline" in table and "CoNLL F1" in table


@pytest.mark.slow
@pytest.mark.skipif(not ECBPLUS.is_dir(), reason="../shared/eval is absent")
def test_evaluate_coref_on_an_ecbplus_slice() -> None:
    report = evaluate_coref(ECBPLUS, limit=1, baseline=True)
    assert report["topics"] == 1 and report["documents"] > 10
    assert report["mentions"]["gold"] > 100 and report["mentions"]["matched"] > 0
    for scores in (report, report["baseline"], report["gold_mentions"]["kg"]):
        f1s = [scores[m]["f1"] for m in ("muc", "b3", "ceafe")]
        assert scores["f1"] == pytest.approx(sum(f1s) / 3, abs=1e-4)
        for m in ("muc", "b3", "ceafe"):
            p, r = scores[m]["precision"], scores[m]["recall"]
            assert scores[m]["f1"] == pytest.approx(2 * p * r / (p + r) if p + r else 0, abs=1e-3)
    assert report["baseline_f1"] == report["baseline"]["f1"]


@pytest.mark.slow
def test_eval_coref_command(tiny_ecbplus: Path) -> None:
    args = ["eval", "coref", "--ecbplus", str(tiny_ecbplus), "--limit", "1", "--json"]
    result = CliRunner().invoke(main, [*args, "--baseline"])
    assert result.exit_code == 0, result.output
    numbers = json.loads(result.output)
    assert {"precision", "recall", "f1", "baseline_f1"} <= set(numbers)
    assert numbers["f1"] == round(sum(numbers[m]["f1"] for m in ("muc", "b3", "ceafe")) / 3, 4)
    table = CliRunner().invoke(main, args[:-1])
    assert table.exit_code == 0 and "CoNLL F1" in table.output
