"""The gazetteer's link decision and the user's own alias tables (``--gazetteer FILE``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import KnowledgeGraph
from kg.cli import main
from kg.errors import InputError
from kg.gazetteer import Gazetteer, read_user_table

pytestmark = pytest.mark.filterwarnings("ignore:.*is deprecated.*:DeprecationWarning")

# A made-up person and organisation with made-up Wikidata ids.
TABLE = """# my names
label\ttype\tqid\taliases
Orla Venncastle\tPerson\tQ987654321\tVenncastle|O. Venncastle
Brightwater Relief League\tOrganization\tQ987654322\tBRL|Brightwater League
"""
TEXT = (
    "Orla Venncastle, the head of the Brightwater Relief League, met officials in Cairo on "
    "Monday. The BRL said Egypt had opened the crossing.\n"
)
WD = "http://www.wikidata.org/entity/"


def write(tmp_path: Path, text: str, name: str = "names.tsv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_confidence_scale() -> None:
    gz = Gazetteer.default()
    tagged, found = gz.link("Egypt", "GPE", "Q79"), gz.link("Egypt", "GPE")
    assert tagged is not None and tagged.confidence == 0.95
    assert found is not None and found.confidence == 0.85
    as_org = gz.link("Egypt", "ORG")
    assert as_org is not None and as_org.confidence == 0.7
    assert gz.link("Egypt", "GPE", "Q79~team") is None
    assert gz.link("Egypt", "PERSON") is None  # a person's name never links to a country
    weak = gz.link("Egypt", "GPE", "Q79~weak")
    assert weak is not None and weak.confidence == 0.7
    assert gz.link("Egyptian", "NORP") is None


def test_sports_teams_are_not_linked_but_places_are() -> None:
    from kg.nlp import load_pipeline

    nlp = load_pipeline()
    doc = nlp(
        "SOCCER - ARDENIA CUP . LISBON , Portugal 1996-08-31 Belgium beat Turkey 2-1 "
        "( halftime 1-0 ) in a World Cup qualifier . Scorers : Belgium - Jan Peeters ( 13th ) , "
        "Ivo Lind ( Sweden ) . Egypt opened its border with Israel on Monday ."
    )
    kb = {e.text: e.kb_id_ for e in doc.ents if e.label_ == "GPE"}
    assert kb["Turkey"].endswith("~team") and kb["Belgium"].endswith("~team")
    assert kb["Portugal"] == "Q45" and kb["Sweden"] == "Q34"  # dateline, nationality
    assert kb["Egypt"] == "Q79"  # a sentence that is not about sport


def test_a_surname_is_the_person_not_the_country() -> None:
    from kg.nlp import load_pipeline

    doc = load_pipeline()("Director Neil Jordan presented his film. Jordan said it was hard.")
    jordan = [e for e in doc.ents if e.text == "Jordan"]
    assert jordan and all(e.label_ == "PERSON" and not e.kb_id_ for e in jordan)


def test_user_table_is_read() -> None:
    entries = read_user_table_text(TABLE)
    assert [(e.label, e.type, e.qid) for e in entries] == [
        ("Orla Venncastle", "Person", "Q987654321"),
        ("Brightwater Relief League", "Organization", "Q987654322"),
    ]
    assert entries[1].aliases == ("BRL", "Brightwater League")


def read_user_table_text(text: str) -> list:  # type: ignore[type-arg]
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return read_user_table(write(Path(tmp), text))


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("Orla\tPerson\tQ1\n", 1, "header"),
        ("label\ttype\tqid\taliases\nOrla Venncastle\tPerson\n", 2, "3 tab-separated"),
        ("label\ttype\tqid\taliases\n# c\nOrla\tWizard\tQ1\t\n", 3, "unknown type 'Wizard'"),
        ("label\ttype\tqid\taliases\nOrla\tPerson\t987\t\n", 2, "not a Wikidata id"),
        ("label\ttype\tqid\taliases\n\tPerson\tQ1\t\n", 2, "empty label"),
        ("label\ttype\tqid\taliases\nA B\tPerson\tQ1\tAB\nC\tORG\tQ2\tAB\n", 3, "already names"),
    ],
)
def test_bad_rows_name_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as err:
        read_user_table(path)
    assert str(err.value).startswith(f"{path}:{line}: ") and words in str(err.value)


def test_missing_and_empty_tables(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such gazetteer file"):
        read_user_table(tmp_path / "nope.tsv")
    with pytest.raises(InputError, match="empty gazetteer table"):
        read_user_table(write(tmp_path, "# only a comment\n"))


def test_user_entries_win_over_shipped_ones(tmp_path: Path) -> None:
    path = write(
        tmp_path, "label\ttype\tqid\taliases\nHamas Dairy Cooperative\tORG\tQ987654323\tHamas\n"
    )
    gz = Gazetteer.load([path])
    link = gz.link("Hamas", "ORG")
    assert link is not None and link.entry.qid == "Q987654323" and link.confidence == 0.95
    assert Gazetteer.default().link("Hamas", "ORG").entry.qid != "Q987654323"  # type: ignore[union-attr]


def test_api_build_links_the_user_entries(tmp_path: Path) -> None:
    from kg.nlp import load_pipeline

    table = write(tmp_path, TABLE)
    doc = load_pipeline(gazetteer=[table])(TEXT)
    ents = {(e.text, e.label_, e.kb_id_) for e in doc.ents}
    assert ("Orla Venncastle", "PERSON", "Q987654321") in ents
    assert ("BRL", "ORG", "Q987654322") in ents  # the alias is recognised
    with KnowledgeGraph(memory=True, gazetteer=[table]) as kg:
        kg.add_text(TEXT)
        for qid in ("Q987654321", "Q987654322", "Q79"):
            assert kg.query(f"ASK {{ ?e owl:sameAs <{WD}{qid}> }}"), qid


def test_api_bad_table_fails_before_the_store_is_made(tmp_path: Path) -> None:
    table = write(tmp_path, "label\ttype\tqid\taliases\nOrla\tPerson\tQ1\textra|\n" + "x\n")
    with pytest.raises(InputError, match=r"names\.tsv:3: "):
        KnowledgeGraph(tmp_path / "store", gazetteer=[table])
    assert not (tmp_path / "store").exists()


def test_cli_build_with_gazetteer(tmp_path: Path) -> None:
    table = write(tmp_path, TABLE)
    article = write(tmp_path, TEXT, "article.txt")
    store = tmp_path / "store"
    result = CliRunner().invoke(
        main, ["build", str(article), "--store", str(store), "--gazetteer", str(table), "-q"]
    )
    assert result.exit_code == 0, result.output
    with KnowledgeGraph(store, create=False) as kg:
        assert kg.query(f"ASK {{ ?e owl:sameAs <{WD}Q987654321> }}")
        assert kg.query(f"ASK {{ ?e owl:sameAs <{WD}Q987654322> }}")


def test_cli_build_with_a_bad_table_writes_nothing(tmp_path: Path) -> None:
    table = write(tmp_path, "label\ttype\tqid\taliases\nOrla\tWizard\tQ1\t\n")
    article = write(tmp_path, TEXT, "article.txt")
    store = tmp_path / "store"
    result = CliRunner().invoke(
        main, ["build", str(article), "--store", str(store), "--gazetteer", str(table)]
    )
    assert result.exit_code == 2
    assert f"{table}:2: unknown type 'Wizard'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not store.exists() or not any(store.iterdir())
