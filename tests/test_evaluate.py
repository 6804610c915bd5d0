"""Gold-data scoring: metrics on hand-worked examples, readers, and the eval commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.evaluate import (
    CONLL_TYPE,
    evaluate_linking,
    gold_spans,
    read_aida,
    read_conll,
    score,
)

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"

# Our own sentences, tagged by hand in CoNLL-2003 format (token POS chunk NER).
TINY = """-DOCSTART- -X- -X- O

Norway NNP B-NP B-LOC
mediated VBD B-VP O
between IN B-PP O
Colombia NNP B-NP B-LOC
and CC O O
the DT B-NP O
ELN NNP I-NP B-ORG
. . O O

Dara NNP B-NP B-PER
Quill NNP I-NP I-PER
spoke VBD B-VP O
in IN B-PP O
Spanish JJ B-NP B-MISC
. . O O
"""


def test_score_by_hand() -> None:
    gold = {("d", 0, 1, "LOC"), ("d", 3, 4, "LOC"), ("d", 6, 7, "ORG"), ("d", 8, 10, "PER")}
    # right: Norway, Dara Quill; wrong type: ELN as LOC; wrong span: Quill alone; missed: Colombia
    predicted = {("d", 0, 1, "LOC"), ("d", 8, 10, "PER"), ("d", 6, 7, "LOC"), ("d", 9, 10, "PER")}
    result = score(gold, predicted)
    assert (result["precision"], result["recall"]) == (0.5, 0.5)
    assert result["f1"] == 0.5
    assert result["per_type"]["LOC"] == {
        "precision": 0.5, "recall": 0.5, "f1": 0.5, "correct": 1, "predicted": 2, "gold": 2
    }  # fmt: skip
    assert result["per_type"]["ORG"]["recall"] == 0.0
    assert result["per_type"]["PER"]["precision"] == 0.5


def test_conll_reader_and_gold_spans(tmp_path: Path) -> None:
    path = tmp_path / "tiny.txt"
    path.write_text(TINY, encoding="utf-8")
    docs = read_conll(path)
    assert len(docs) == 1 and len(docs[0].sentences) == 2
    spans = sorted(gold_spans(docs[0]))
    doc = docs[0].id
    assert spans == [
        (doc, 0, 1, "LOC"), (doc, 3, 4, "LOC"), (doc, 6, 7, "ORG"), (doc, 8, 10, "PER"), (doc, 12, 13, "MISC")
    ]  # fmt: skip
    assert read_conll(path, limit=1)[0].sentences == docs[0].sentences[:1]


def test_type_mapping_lives_in_one_table() -> None:
    assert (
        CONLL_TYPE["PERSON"] == "PER"
        and CONLL_TYPE["GPE"] == "LOC"
        and CONLL_TYPE["NORP"] == "MISC"
    )
    assert "DATE" not in CONLL_TYPE and "CARDINAL" not in CONLL_TYPE


@pytest.mark.slow
def test_eval_ner_command_on_the_tiny_file(tmp_path: Path) -> None:
    path = tmp_path / "tiny.txt"
    path.write_text(TINY, encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "ner", "--conll", str(path), "--json"])
    assert result.exit_code == 0, result.output
    numbers = json.loads(result.output)
    assert numbers["gold"] == 5
    p, r = numbers["precision"], numbers["recall"]
    assert numbers["recall"] == round(numbers["correct"] / 5, 4)
    assert numbers["f1"] == pytest.approx(2 * p * r / (p + r) if p + r else 0.0, abs=1e-3)
    missing = CliRunner().invoke(main, ["eval", "ner", "--conll", str(tmp_path / "none.txt")])
    assert missing.exit_code == 2 and "no such CoNLL file" in missing.output


def test_aida_reader_accepts_python_literal_labels(tmp_path: Path) -> None:
    path = tmp_path / "aida.jsonl"
    record = {"id": 1, "text": "Norway won.", "labels": "[{'span': [0, 6], 'entity_id': 'Q20'}]"}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert read_aida(path)[0]["labels"] == [{"span": [0, 6], "entity_id": "Q20"}]


@pytest.mark.slow
@pytest.mark.skipif(
    not (EVAL / "conll2003" / "dev.txt").is_file(), reason="../shared/eval is absent"
)
def test_kg_beats_the_model_alone_on_a_conll_slice() -> None:
    runner = CliRunner()
    args = [
        "eval",
        "ner",
        "--conll",
        str(EVAL / "conll2003" / "dev.txt"),
        "--limit",
        "400",
        "--json",
    ]
    kg = json.loads(runner.invoke(main, args).output)
    model = json.loads(runner.invoke(main, [*args, "--baseline"]).output)
    assert kg["gold"] == model["gold"] > 0
    assert kg["f1"] > model["f1"]


@pytest.mark.slow
@pytest.mark.skipif(not (EVAL / "aida").is_dir(), reason="../shared/eval is absent")
def test_eval_linking_on_an_aida_slice() -> None:
    path = next((EVAL / "aida").glob("*.jsonl"))
    result = CliRunner().invoke(
        main, ["eval", "linking", "--aida", str(path), "--limit", "10", "--json"]
    )
    numbers = json.loads(result.output)
    assert {"precision", "recall", "f1"} <= set(numbers)
    assert numbers["predicted"] > 0
    assert numbers["precision"] == round(numbers["correct"] / numbers["predicted"], 4)
    bands = numbers["detail"]["precision_by_confidence"]
    assert list(bands) == [">=0.9", "0.7-0.9", "<0.7"]
    assert sum(b["links"] for b in bands.values()) == numbers["predicted"]
    assert sum(b["correct"] for b in bands.values()) == numbers["correct"]
    assert numbers["detail"]["precision_at_least"]["0.0"]["links"] == numbers["predicted"]


def test_linking_bands_on_a_hand_made_document(tmp_path: Path) -> None:
    # Our own text: a sports result (the countries are teams, not linked) and a news line.
    text = (
        "SOCCER - ARDENIA CUP . Belgium beat Turkey 2-1 ( halftime 1-0 ) in a World Cup "
        "qualifier on Saturday . Scorers : Belgium - Jan Peeters ( 13th ) . Coach Marc Dubois "
        "said the match was hard . Egypt opened its border with Israel on Monday ."
    )
    spans = {w: (text.index(w), text.index(w) + len(w)) for w in ("Turkey", "Egypt")}
    record = {
        "id": "own-1",
        "text": text,
        "labels": [
            {"span": list(spans["Turkey"]), "entity_id": "Q483856"},
            {"span": list(spans["Egypt"]), "entity_id": "Q79"},
        ],
    }
    path = tmp_path / "own.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = evaluate_linking(path)
    assert result["correct"] == 1 and result["gold"] == 2
    assert result["predicted"] == 2  # Egypt and Israel; not the teams
    assert result["detail"]["precision_by_confidence"][">=0.9"]["links"] == 2


def _wikievents_record() -> dict[str, object]:
    # Our own two sentences in WikiEvents' format.
    s1 = [["Rebels", 0, 6], ["attacked", 7, 15], ["the", 16, 19], ["convoy", 20, 26], [".", 26, 27]]
    s2 = [["Two", 28, 31], ["soldiers", 32, 40], ["died", 41, 45], [".", 45, 46]]
    return {
        "doc_id": "own-1",
        "tokens": [t[0] for t in s1 + s2],
        "text": "Rebels attacked the convoy. Two soldiers died.",
        "sentences": [[s1, "Rebels attacked the convoy."], [s2, "Two soldiers died."]],
        "entity_mentions": [
            {"id": "T1", "start": 0, "end": 1, "text": "Rebels"},
            {"id": "T2", "start": 3, "end": 4, "text": "convoy"},
            {"id": "T3", "start": 6, "end": 7, "text": "soldiers"},
        ],
        "event_mentions": [
            {"id": "E1", "event_type": "Conflict.Attack.Unspecified",
             "trigger": {"start": 1, "end": 2, "text": "attacked"},
             "arguments": [{"entity_id": "T1", "role": "Attacker"}, {"entity_id": "T2", "role": "Target"}]},
            {"id": "E2", "event_type": "Life.Die.Unspecified",
             "trigger": {"start": 7, "end": 8, "text": "died"},
             "arguments": [{"entity_id": "T3", "role": "Victim"}]},
        ],
    }  # fmt: skip


@pytest.mark.slow
def test_eval_events_on_a_hand_made_document(tmp_path: Path) -> None:
    path = tmp_path / "we.jsonl"
    path.write_text(json.dumps(_wikievents_record()) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "events", "--wikievents", str(path), "--json"])
    assert result.exit_code == 0, result.output
    numbers = json.loads(result.output)
    # both triggers found and typed; three arguments: Rebels (agent->Attacker), convoy
    # (patient->Target), soldiers (patient->Victim)
    assert (numbers["precision"], numbers["recall"], numbers["f1"]) == (1.0, 1.0, 1.0)
    assert numbers["argument"]["gold"] == 3
    assert numbers["argument"]["correct"] == 3
    assert "argument_f1" in numbers
