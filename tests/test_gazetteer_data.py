"""Checks on the shipped gazetteer tables in kg/data/gazetteer/ (no shared data needed)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
GAZETTEER = REPO_ROOT / "kg" / "data" / "gazetteer"
SCRIPT = REPO_ROOT / "scripts" / "build_gazetteer.py"
SHARED = REPO_ROOT.parent / "shared"
FILES = ("countries.jsonl", "organisations.jsonl", "news_actors.jsonl")

TYPES = {
    "Country": "GPE",
    "City": "GPE",
    "Region": "GPE",
    "Organization": "ORG",
    "ArmedGroup": "ORG",
    "Person": "PERSON",
    "Place": "LOC",
    "Facility": "FAC",
}
KEYS = {"qid", "label", "type", "ner", "aliases", "demonyms", "ambiguous", "source"}
QID_RE = re.compile(r"^Q[1-9][0-9]*$")

Record = dict[str, Any]


def load(name: str) -> list[Record]:
    path = GAZETTEER / name
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:  # pragma: no cover - reported as a failure
            pytest.fail(f"{name}:{number}: not JSON: {exc}")
    return records


@pytest.fixture(scope="module")
def tables() -> dict[str, list[Record]]:
    return {name: load(name) for name in FILES}


def find(records: list[Record], label: str) -> Record:
    hits = [r for r in records if r["label"] == label]
    assert len(hits) == 1, f"expected one record labelled {label!r}, found {len(hits)}"
    return hits[0]


@pytest.mark.parametrize("name", FILES)
def test_records_are_well_formed(tables: dict[str, list[Record]], name: str) -> None:
    records = tables[name]
    assert records, f"{name} is empty"
    for rec in records:
        assert set(rec) == KEYS, rec
        assert isinstance(rec["label"], str) and rec["label"].strip() == rec["label"] != ""
        assert rec["type"] in TYPES, rec
        assert rec["ner"] == TYPES[rec["type"]], rec
        assert rec["qid"] == "" or QID_RE.match(rec["qid"]), rec
        assert isinstance(rec["ambiguous"], bool)
        assert isinstance(rec["source"], str) and rec["source"]
        for key in ("aliases", "demonyms"):
            assert isinstance(rec[key], list)
            assert all(isinstance(a, str) and a.strip() == a != "" for a in rec[key]), rec
            assert len(set(rec[key])) == len(rec[key]), f"duplicate {key}: {rec}"
        assert rec["label"] not in rec["aliases"]


@pytest.mark.parametrize("name", FILES)
def test_file_is_sorted_utf8_jsonl(name: str) -> None:
    raw = (GAZETTEER / name).read_bytes()
    text = raw.decode("utf-8")
    assert text.endswith("\n") and "\r" not in text
    assert "\\u" not in text, "written with ensure_ascii=False: no \\u escapes expected"
    labels = [json.loads(line)["label"] for line in text.splitlines()]
    assert labels == sorted(labels, key=lambda s: (s.casefold(), s))


@pytest.mark.parametrize("name", FILES)
def test_no_duplicate_qid_within_a_file(tables: dict[str, list[Record]], name: str) -> None:
    qids = [r["qid"] for r in tables[name] if r["qid"]]
    assert len(qids) == len(set(qids))


def test_no_qid_in_two_files(tables: dict[str, list[Record]]) -> None:
    owner: dict[str, str] = {}
    for name, records in tables.items():
        for rec in records:
            if rec["qid"]:
                assert rec["qid"] not in owner, (
                    f"{rec['qid']} in {owner.get(rec['qid'])} and {name}"
                )
                owner[rec["qid"]] = name


@pytest.mark.parametrize("name", FILES)
def test_no_mojibake(tables: dict[str, list[Record]], name: str) -> None:
    for rec in tables[name]:
        for text in [rec["label"], *rec["aliases"], *rec["demonyms"]]:
            assert "Ã" not in text and "Â" not in text and "\ufffd" not in text, rec


def test_no_two_letter_codes_except_news_abbreviations(tables: dict[str, list[Record]]) -> None:
    allowed = {"US", "UK"}
    for rec in tables["countries.jsonl"]:
        short = {a for a in rec["aliases"] if len(a) <= 2}
        assert short <= allowed, rec
    assert not {"IN", "AS", "IT", "IS"} & {
        a for rec in tables["countries.jsonl"] for a in rec["aliases"]
    }


@pytest.mark.parametrize(
    ("label", "qid"),
    [("Egypt", "Q79"), ("Israel", "Q801"), ("Qatar", "Q846"), ("United States", "Q30")],
)
def test_key_countries(tables: dict[str, list[Record]], label: str, qid: str) -> None:
    rec = find(tables["countries.jsonl"], label)
    assert rec["qid"] == qid
    assert rec["type"] == "Country" and rec["ner"] == "GPE"


def test_united_states_aliases_and_demonyms(tables: dict[str, list[Record]]) -> None:
    us = find(tables["countries.jsonl"], "United States")
    assert {"US", "U.S.", "USA", "America", "United States of America"} <= set(us["aliases"])
    assert {"American", "Americans"} <= set(us["demonyms"])
    assert "UAE" in find(tables["countries.jsonl"], "United Arab Emirates")["aliases"]
    assert "DRC" in find(tables["countries.jsonl"], "Democratic Republic of the Congo")["aliases"]
    assert "Palestinian" in find(tables["countries.jsonl"], "Palestine")["demonyms"]
    assert {"Egyptian", "Egyptians"} <= set(find(tables["countries.jsonl"], "Egypt")["demonyms"])


def test_ambiguous_flags(tables: dict[str, list[Record]]) -> None:
    countries = tables["countries.jsonl"]
    for label in ("Jordan", "Chad", "Georgia", "Turkey"):
        assert find(countries, label)["ambiguous"] is True, label
    for label in ("Egypt", "Israel", "China", "United States"):
        assert find(countries, label)["ambiguous"] is False, label


@pytest.mark.parametrize(
    ("label", "qid", "kind"),
    [
        ("Hamas", "Q38799", "ArmedGroup"),
        ("Joe Biden", "Q6279", "Person"),
        ("Gaza Strip", "Q39760", "Region"),
    ],
)
def test_key_news_actors(tables: dict[str, list[Record]], label: str, qid: str, kind: str) -> None:
    rec = find(tables["news_actors.jsonl"], label)
    assert rec["qid"] == qid
    assert rec["type"] == kind


def test_news_actor_aliases(tables: dict[str, list[Record]]) -> None:
    actors = tables["news_actors.jsonl"]
    assert {"Biden", "Joseph Biden"} <= set(find(actors, "Joe Biden")["aliases"])
    assert "Gaza" in find(actors, "Gaza Strip")["aliases"]
    assert "IDF" in find(actors, "Israel Defense Forces")["aliases"]
    assert {"Sisi", "el-Sisi", "al-Sisi"} <= set(find(actors, "Abdel Fattah el-Sisi")["aliases"])
    assert "Izz ad-Din al-Qassam Brigades" in find(actors, "al-Qassam Brigades")["aliases"]
    for rec in actors:
        for alias in rec["aliases"]:
            assert not alias.startswith(("President ", "the ", "The ")), rec


def test_rafah_city_and_crossing_are_distinct(tables: dict[str, list[Record]]) -> None:
    actors = tables["news_actors.jsonl"]
    city = find(actors, "Rafah")
    crossing = find(actors, "Rafah Border Crossing")
    assert city["type"] == "City" and crossing["type"] == "Facility"
    assert "Rafah crossing" in crossing["aliases"]
    assert "Rafah" not in crossing["aliases"]
    assert not {"Rafah crossing", "Rafah Border Crossing"} & set(city["aliases"])
    assert not (city["qid"] and city["qid"] == crossing["qid"])


def test_organisations_include_the_un(tables: dict[str, list[Record]]) -> None:
    un = find(tables["organisations.jsonl"], "United Nations")
    assert un["qid"] == "Q1065" and "UN" in un["aliases"]
    assert all(r["type"] == "Organization" for r in tables["organisations.jsonl"])


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"shared source data not available at {SHARED}")
def test_regeneration_reproduces_the_shipped_files(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--shared", str(SHARED), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (GAZETTEER / name).read_bytes(), (
            f"{name} differs from a fresh build; run scripts/build_gazetteer.py"
        )


def test_missing_shared_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--shared", str(tmp_path / "absent"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "shared" in result.stderr
