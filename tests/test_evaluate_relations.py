"""CoNLL04 relation scoring: the reader, the label table and strict scoring on a tiny file of
our own sentences, and (slow) kg on that file and on a slice of the dev split."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError
from kg.evaluate import score
from kg.evaluate_relations import (
    CONLL04_RELATION,
    GOLD_ENTITY_LABEL,
    evaluate_relations,
    gold_relations,
    read_conll04,
    relation_span,
    token_range,
    tokens_text,
)

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "conll04"


def words(text: str) -> list[str]:
    return text.split(" ")


# Our own sentences in CoNLL04's SpERT format (tokens; entities by token; relations by entity).
TINY: list[dict[str, Any]] = [
    {
        "tokens": words(
            "Dara Quill , a spokeswoman for the Harbour Authority , said the port would reopen ."
        ),
        "entities": [
            {"type": "Peop", "start": 0, "end": 2},
            {"type": "Org", "start": 7, "end": 9},
        ],
        "relations": [{"type": "Work_For", "head": 0, "tail": 1}],
    },
    {
        "tokens": words("Ivo Kral shot Mayor Ana Ruiz in Salem , Ore. , on Friday ."),
        "entities": [
            {"type": "Peop", "start": 0, "end": 2},
            {"type": "Peop", "start": 4, "end": 6},
            {"type": "Loc", "start": 7, "end": 8},
            {"type": "Loc", "start": 9, "end": 10},
        ],
        "relations": [
            {"type": "Kill", "head": 0, "tail": 1},
            {"type": "Located_In", "head": 2, "tail": 3},
        ],
    },
    {
        "tokens": words("The Oslo-based Fjord Institute published the report ."),
        "entities": [
            {"type": "Loc", "start": 1, "end": 2},
            {"type": "Org", "start": 2, "end": 4},
        ],
        "relations": [{"type": "OrgBased_In", "head": 1, "tail": 0}],
    },
]


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(TINY), encoding="utf-8")
    return path


def test_reader_text_and_gold_relations(tiny: Path) -> None:
    sentences = read_conll04(tiny)
    assert len(sentences) == 3 and len(read_conll04(tiny, limit=1)) == 1
    first = sentences[0]
    assert first.entities == [(0, 2, "Peop"), (7, 9, "Org")]
    assert first.relations == [("Work_For", 0, 1)]
    text, spans = tokens_text(first.tokens)
    assert text.startswith("Dara Quill , a spokeswoman")
    assert [text[s:e] for s, e in spans[:3]] == ["Dara", "Quill", ","]
    assert gold_relations(first) == {relation_span(first.id, (0, 2), (7, 9), "Work_For")}
    assert sum(len(gold_relations(s)) for s in sentences) == 4


def test_reader_rejects_what_is_not_conll04(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        read_conll04(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"tokens": []}', encoding="utf-8")
    with pytest.raises(InputError):
        read_conll04(bad)
    bad.write_text('[{"tokens": ["a"]}]', encoding="utf-8")
    with pytest.raises(InputError):
        read_conll04(bad)


def test_character_spans_map_to_gold_tokens() -> None:
    _text, spans = tokens_text(["Kennedy.", "was", "shot"])
    assert token_range(spans, 0, 7) == (0, 1)  # "Kennedy" inside the token "Kennedy."
    assert token_range(spans, 0, 12) == (0, 2)
    assert token_range(spans, 9, 17) == (1, 3)
    assert token_range(spans, 40, 45) is None


def test_strict_scoring_by_hand(tiny: Path) -> None:
    sentences = read_conll04(tiny)
    gold = set().union(*(gold_relations(s) for s in sentences))
    a, b, c = (s.id for s in sentences)
    predicted = {
        relation_span(a, (0, 2), (7, 9), "Work_For"),  # right
        relation_span(b, (0, 2), (4, 6), "Kill"),  # right
        relation_span(b, (7, 8), (9, 10), "OrgBased_In"),  # wrong label
        relation_span(c, (2, 4), (1, 3), "OrgBased_In"),  # tail span too long
    }
    result = score(gold, predicted)
    assert (result["correct"], result["predicted"], result["gold"]) == (2, 4, 4)
    assert (result["precision"], result["recall"], result["f1"]) == (0.5, 0.5, 0.5)
    assert result["per_type"]["Kill"]["f1"] == 1.0
    assert result["per_type"]["Located_In"]["recall"] == 0.0
    assert result["per_type"]["OrgBased_In"]["precision"] == 0.0


def test_one_table_maps_kg_relations_to_conll04_labels() -> None:
    assert CONLL04_RELATION["worksFor"] == "Work_For"
    assert CONLL04_RELATION["livesIn"] == "Live_In"
    assert CONLL04_RELATION["locatedIn"] == "Located_In"
    assert CONLL04_RELATION["basedIn"] == "OrgBased_In"
    assert CONLL04_RELATION["killed"] == "Kill"
    assert "nationality" not in CONLL04_RELATION
    assert set(CONLL04_RELATION.values()) == {
        "Work_For", "Live_In", "Located_In", "OrgBased_In", "Kill"
    }  # fmt: skip
    assert GOLD_ENTITY_LABEL == {"Peop": "PERSON", "Org": "ORG", "Loc": "GPE", "Other": "MISC"}


def _consistent(result: dict[str, Any]) -> None:
    correct, predicted, gold = result["correct"], result["predicted"], result["gold"]
    assert 0 <= correct <= min(predicted, gold)
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    assert result["precision"] == round(p, 4) and result["recall"] == round(r, 4)
    assert result["f1"] == round(2 * p * r / (p + r) if p + r else 0.0, 4)
    per_type = result["per_type"].values()
    assert sum(t["correct"] for t in per_type) == correct
    assert sum(t["predicted"] for t in per_type) == predicted
    assert sum(t["gold"] for t in per_type) == gold


@pytest.mark.slow
def test_kg_on_the_tiny_file(tiny: Path) -> None:
    with_gold = evaluate_relations(tiny, gold_entities=True)
    _consistent(with_gold)
    assert with_gold["gold"] == 4 and with_gold["entities"] == "gold"
    # the apposition, the "-based" name, the killing and "Salem, Ore." are all found
    assert with_gold["correct"] == 4 and with_gold["precision"] == 1.0
    own = evaluate_relations(tiny)
    _consistent(own)
    assert own["entities"] == "kg" and own["gold"] == 4
    assert own["per_type"]["Work_For"]["correct"] == 1


@pytest.mark.slow
@pytest.mark.skipif(not (EVAL / "conll04_dev.json").is_file(), reason="no CoNLL04 data here")
def test_dev_slice_numbers_are_consistent() -> None:
    path = EVAL / "conll04_dev.json"
    records = json.loads(path.read_text(encoding="utf-8"))[:30]
    expected_gold = len({
        (i, r["type"], *(tuple(s["entities"][r[k]][e] for e in ("start", "end")) for k in ("head", "tail")))
        for i, s in enumerate(records)
        for r in s["relations"]
    })  # fmt: skip
    for gold_entities in (False, True):
        result = evaluate_relations(path, limit=30, gold_entities=gold_entities)
        _consistent(result)
        assert result["sentences"] == 30 and result["gold"] == expected_gold
        assert result["correct"] > 0


@pytest.mark.slow
def test_eval_relations_command(tiny: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["eval", "relations", "--conll04", str(tiny)]
    result = runner.invoke(main, [*args, "--gold-entities", "--json"])
    assert result.exit_code == 0, result.output
    numbers = json.loads(result.output)
    # with the gold entities every relation of the tiny file is found, and nothing else
    assert (numbers["correct"], numbers["predicted"], numbers["gold"]) == (4, 4, 4)
    assert (numbers["precision"], numbers["recall"], numbers["f1"]) == (1.0, 1.0, 1.0)
    assert set(numbers["per_type"]) == {"Work_For", "Kill", "Located_In", "OrgBased_In"}
    assert numbers["entities"] == "gold"
    first = json.loads(
        runner.invoke(main, [*args, "--gold-entities", "--limit", "1", "--json"]).output
    )
    assert (first["sentences"], first["gold"], first["correct"]) == (1, 1, 1)
    table = runner.invoke(main, args)
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert any(line.split("│")[1].strip() == "ALL" for line in lines if "│" in line)
    assert "entities: kg" in table.stdout and "f1_kg_spans" in table.stdout
    missing = runner.invoke(main, ["eval", "relations", "--conll04", str(tmp_path / "none.json")])
    assert missing.exit_code == 2 and "no such CoNLL04 JSON file" in missing.output
    no_file = runner.invoke(main, ["eval", "relations"])
    assert no_file.exit_code == 2 and "--conll04" in no_file.output


def test_kg_spans_written_as_conll04_writes_them() -> None:
    import spacy
    from spacy.tokens import Doc

    from kg.evaluate_relations import conll04_relations
    from kg.model import Mention, Relation

    tokens = words("Ana Ruiz was born in Salem , Ore. , and shot President Ivo Kral .")
    text, spans = tokens_text(tokens)
    doc = Doc(spacy.blank("en").vocab, words=tokens)
    sentence = (0, len(text))

    def m(name: str, label: str) -> Mention:
        start = text.index(name)
        return Mention(start, start + len(name), name, label, sentence)

    ruiz, salem, ore, kral = (
        m("Ana Ruiz", "PERSON"), m("Salem", "GPE"), m("Ore.", "GPE"), m("Ivo Kral", "PERSON")
    )  # fmt: skip

    def rel(kind: str, head: Mention, tail: Mention) -> Relation:
        return Relation(kind, head.key, tail.key, sentence, 0.7, "")

    found = [
        rel("livesIn", ruiz, salem),
        rel("livesIn", ruiz, ore),
        rel("locatedIn", salem, ore),
        rel("killed", ruiz, kral),
    ]
    written = conll04_relations(doc, [ruiz, salem, ore, kral], found)
    as_text = {(k, text[h[0] : h[1]], text[t[0] : t[1]]) for k, h, t in written}
    # the birthplace is one place; the title is part of the name
    assert as_text == {
        ("livesIn", "Ana Ruiz", "Salem , Ore."),
        ("killed", "Ana Ruiz", "President Ivo Kral"),
    }
    assert token_range(spans, *written[0][2]) == (5, 8)
