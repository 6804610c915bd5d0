"""The ``kg`` command: help, bad input, exit codes, output formats, exports.

Most tests run the command in-process with click's CliRunner (the spaCy model is loaded
once per process); a few run the installed ``kg`` script end to end.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset, Graph

from kg import KnowledgeGraph
from kg.cli import main
from kg.query import named_queries
from kg.resources import QUERIES_DIR, SAMPLE_DIR
from kg.store import GraphStore

pytestmark = pytest.mark.filterwarnings("ignore:.*is deprecated.*:DeprecationWarning")

REPO = Path(__file__).resolve().parents[1]
COMMANDS = [
    "build", "query", "export", "render", "validate", "stats", "list", "remove", "serve", "eval", "demo"
]  # fmt: skip
GOOD_TEXT = "Qatar mediated an agreement between Egypt and Israel on Wednesday, officials said.\n"
RunKg = Callable[..., subprocess.CompletedProcess[str]]


def invoke(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"kg {args} raised {result.exception!r}\n{result.stderr}")
    return result


def snapshot(store: Path) -> tuple[int, dict[str, Any]]:
    graph = KnowledgeGraph(store, create=False)
    try:
        return len(graph.store), graph.stats()
    finally:
        graph.close()


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("kg: ")]


def assert_one_clear_line(stderr: str, *names: str) -> str:
    """Exactly one ``kg: ...`` line names the culprit; no traceback."""
    assert "Traceback" not in stderr
    assert "internal error" not in stderr
    lines = [line for line in error_lines(stderr) if all(n in line for n in names)]
    assert len(lines) == 1, stderr
    return lines[0]


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_TEXT)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 64)
    (folder / "nothing").mkdir()
    (folder / "nothing" / "data.csv").write_text("a,b\n1,2\n")
    lines = [
        json.dumps({"id": "j1", "text": "Egypt opened the Rafah crossing on Wednesday morning."}),
        '{"id": "j2", "text": oops}',
        json.dumps({"id": "j3", "text": "Hamas released two hostages to the Red Cross in Gaza."}),
    ]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n")
    return folder


# --------------------------------------------------------------------------- help and docs


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout and command in result.stdout


def test_main_help_lists_every_command() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\b", result.stdout, re.M), command
    assert set(main.commands) == set(COMMANDS)


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0 and "0.1.0" in result.stdout


def test_unknown_option_is_usage_error() -> None:
    result = invoke("stats", "--no-such-option")
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_readme_documents_every_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Commands\s*$(.*?)(?=^## |\Z)", readme, re.M | re.S)
    if match is None:
        pytest.skip("README.md has no '## Commands' section yet")
    section = match[1]
    missing = [c for c in COMMANDS if not re.search(rf"\bkg {c}\b", section)]
    assert not missing, f"README '## Commands' does not document: {missing}"


# --------------------------------------------------------------------------- build: bad input


@pytest.mark.slow
def test_build_skips_empty_and_binary_files(store_copy: Path, articles: Path) -> None:
    before_len, before = snapshot(store_copy)
    good, empty, binary = articles / "good.txt", articles / "empty.txt", articles / "binary.txt"
    result = invoke("build", "--store", store_copy, good, empty, binary)
    assert result.exit_code == 1
    assert "the file is empty" in assert_one_clear_line(result.stderr, str(empty))
    assert "binary data" in assert_one_clear_line(result.stderr, str(binary))
    assert "1 article(s) added" in result.stderr
    after_len, after = snapshot(store_copy)
    assert after["documents"] == before["documents"] + 1
    assert after_len > before_len


@pytest.mark.slow
def test_build_folder_without_articles(store_copy: Path, articles: Path) -> None:
    before = snapshot(store_copy)
    folder = articles / "nothing"
    result = invoke("build", "--store", store_copy, folder)
    assert result.exit_code == 2
    assert "folder has no articles" in assert_one_clear_line(result.stderr, str(folder))
    assert snapshot(store_copy) == before


@pytest.mark.slow
def test_build_missing_file(store_copy: Path, tmp_path: Path) -> None:
    before = snapshot(store_copy)
    missing = tmp_path / "nope.txt"
    result = invoke("build", "--store", store_copy, missing)
    assert result.exit_code == 2
    assert "no such file" in assert_one_clear_line(result.stderr, str(missing))
    assert snapshot(store_copy) == before


@pytest.mark.slow
def test_build_jsonl_with_a_bad_line(store_copy: Path, articles: Path) -> None:
    _, before = snapshot(store_copy)
    feed = articles / "feed.jsonl"
    result = invoke("build", "--store", store_copy, feed)
    assert result.exit_code == 1
    assert "not JSON" in assert_one_clear_line(result.stderr, f"{feed}:2")
    assert "2 article(s) added" in result.stderr
    _, after = snapshot(store_copy)
    assert after["documents"] == before["documents"] + 2


@pytest.mark.slow
def test_build_same_articles_twice_adds_nothing(store_copy: Path) -> None:
    before = snapshot(store_copy)
    result = invoke("build", "--store", store_copy, SAMPLE_DIR)
    assert result.exit_code == 0
    n = len(list(SAMPLE_DIR.iterdir()))
    assert f"0 article(s) added, {n} already present" in result.stderr
    assert "(+0)" in result.stderr
    assert snapshot(store_copy) == before


@pytest.mark.slow
def test_build_quiet_prints_nothing(tmp_path: Path, articles: Path) -> None:
    result = invoke("build", "-q", "--store", tmp_path / "s", articles / "good.txt")
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""


@pytest.mark.slow
def test_build_memory_writes_nothing(tmp_path: Path, articles: Path) -> None:
    store = tmp_path / "never"
    result = invoke("build", "--memory", "--store", store, articles / "good.txt")
    assert result.exit_code == 0
    assert "[memory]" in result.stderr
    assert not store.exists()


def test_build_needs_articles() -> None:
    result = invoke("build")
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


# --------------------------------------------------------------------------- store errors


@pytest.mark.parametrize("command", [["stats"], ["export"], ["query", "ASK {}"], ["validate"]])
def test_store_folder_with_other_files(tmp_path: Path, command: list[str]) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.txt").write_text("do not touch")
    (folder / "sub").mkdir()
    (folder / "sub" / "x.bin").write_bytes(b"\x00\x01")
    before = tree(folder)
    result = invoke(*command, "--store", folder)
    assert result.exit_code == 3
    assert "not a kg store" in assert_one_clear_line(result.stderr, str(folder))
    assert tree(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == ["sub", "thesis.txt"]


@pytest.mark.slow
def test_build_into_folder_with_other_files(tmp_path: Path, articles: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.txt").write_text("do not touch")
    result = invoke("build", "--store", folder, articles / "good.txt")
    assert result.exit_code == 3
    assert_one_clear_line(result.stderr, str(folder))
    assert tree(folder) == {"thesis.txt": b"do not touch"}


def test_store_pointing_at_a_file(tmp_path: Path) -> None:
    path = tmp_path / "store.ttl"
    path.write_text("x")
    result = invoke("stats", "--store", path)
    assert result.exit_code == 3
    assert "is a file" in assert_one_clear_line(result.stderr, str(path))
    assert path.read_text() == "x"


def test_reading_a_store_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    for command in (["stats"], ["query", "ASK {}"], ["export"]):
        result = invoke(*command, "--store", missing)
        assert result.exit_code == 3
        assert "kg build" in assert_one_clear_line(result.stderr, str(missing))
        assert not missing.exists()


# --------------------------------------------------------------------------- query


@pytest.mark.slow
def test_query_syntax_error(sample_store: Path) -> None:
    result = invoke("query", "--store", sample_store, "SELECT ?x WHERE { ?x ?y }")
    assert result.exit_code == 2
    assert_one_clear_line(result.stderr, "SPARQL syntax error")
    assert result.stdout == ""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--named", "no-such-query"], ["--named no-such-query", "mediations"]),
        (["--named", "timeline"], ["missing parameter", "--param name="]),
        (["--named", "timeline", "--param", "name"], ["--param 'name'", "name=value"]),
        (["--named", "timeline", "--param", "colour=red"], ["unknown parameter 'colour'"]),
        (["--named", "mediations", "--param", "mediator=not an iri"], ["mediator", "iri"]),
        (["--named", "disputed-numbers", "--param", "topic=(unclosed"], ["topic", "regex"]),
        (["--named", "mediations", "SELECT * {}"], ["not both"]),
        (["SELECT * { ?e ?p ?o }", "--param", "e=<not an iri>"], ["--param", "not an iri"]),
        (["SELECT * { ?e ?p ?o }", "--param", "a b=c"], ["a b", "variable name"]),
        ([], ["give a SPARQL query"]),
        (["--file", "missing.rq"], ["--file missing.rq"]),
        (["--queries", "no-such-dir", "--list"], ["--queries no-such-dir", "not a folder"]),
    ],
    ids=[
        "unknown-named",
        "missing-param",
        "param-without-equals",
        "unknown-param",
        "bad-iri",
        "bad-regex",
        "named-and-sparql",
        "adhoc-bad-iri",
        "adhoc-bad-name",
        "nothing",
        "missing-file",
        "missing-queries-dir",
    ],
)
def test_query_usage_errors(sample_store: Path, args: list[str], names: list[str]) -> None:
    result = invoke("query", "--store", sample_store, *args)
    assert result.exit_code == 2
    assert_one_clear_line(result.stderr, *names)
    assert result.stdout == ""


def test_query_list_shows_every_named_query_and_its_params() -> None:
    result = invoke("query", "--list")
    assert result.exit_code == 0
    listed = re.findall(r"^(\S+): ", result.stdout, re.M)
    assert listed == sorted(p.stem for p in QUERIES_DIR.glob("*.rq"))
    blocks = dict(re.findall(r"^(\S+): [^\n]*\n((?:    [^\n]*\n)*)", result.stdout, re.M))
    for name, nq in named_queries().items():
        assert f"{name}: {nq.title}" in result.stdout
        for p in nq.params:
            assert f"--param {p.name}=<{p.type}>" in blocks[name], (name, p.name)
            assert ("required" if p.required else "optional") in blocks[name]


def test_query_list_includes_extra_folder(tmp_path: Path) -> None:
    (tmp_path / "mine.rq").write_text(
        "# title: My query\n# param: who iri required  someone\nSELECT * { ?who ?p ?o }\n"
    )
    result = invoke("query", "--list", "--queries", tmp_path)
    assert result.exit_code == 0
    assert "mine: My query" in result.stdout
    assert "--param who=<iri>  required  someone" in result.stdout


@pytest.mark.slow
def test_query_from_file_and_extra_folder(sample_store: Path, tmp_path: Path) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text("# a comment\nSELECT (COUNT(*) AS ?n) WHERE { ?d a schema:NewsArticle }\n")
    result = invoke("query", "--store", sample_store, "-f", rq, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["n"] >= 4
    (tmp_path / "docs.rq").write_text(rq.read_text())
    result = invoke(
        "query",
        "--store",
        sample_store,
        "--queries",
        tmp_path,
        "--named",
        "docs",
        "--format",
        "csv",
    )
    assert result.exit_code == 0 and result.stdout.splitlines()[0] == "n"


MEDIATION_COLUMNS = [
    "mediatorLabel",
    "eventType",
    "parties",
    "coordinators",
    "date",
    "headline",
    "event",
    "mediator",
]


@pytest.mark.slow
def test_query_output_formats_parse(sample_store: Path) -> None:
    def run(fmt: str) -> str:
        result = invoke("query", "--store", sample_store, "--named", "mediations", "--format", fmt)
        assert result.exit_code == 0, result.stderr
        return result.stdout

    rows = json.loads(run("json"))
    assert rows and all(list(r) == MEDIATION_COLUMNS for r in rows)
    assert {r["mediatorLabel"] for r in rows} == {"Qatar"}

    jsonl = [json.loads(line) for line in run("jsonl").splitlines()]
    assert jsonl == rows

    as_csv = list(csv.DictReader(io.StringIO(run("csv"))))
    assert [r["event"] for r in as_csv] == [r["event"] for r in rows]
    assert list(as_csv[0]) == MEDIATION_COLUMNS
    assert all(c["parties"] == (r["parties"] or "") for c, r in zip(as_csv, rows, strict=True))

    as_tsv = list(csv.DictReader(io.StringIO(run("tsv")), delimiter="\t"))
    assert as_tsv == as_csv

    table = CliRunner().invoke(
        main, ["query", "--store", str(sample_store), "--named", "mediations"]
    )
    assert table.exit_code == 0
    assert "Qatar" in table.stdout and "┃" in table.stdout
    assert f"{len(rows)} row(s)" in table.stderr


@pytest.mark.slow
def test_query_with_param_from_command_line(sample_store: Path) -> None:
    result = invoke(
        "query",
        "--store",
        sample_store,
        "--named",
        "timeline",
        "--param",
        "name=egypt",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows and all(r["date"] is None or r["date"] >= "2023-10-01" for r in rows)
    dated = [r["date"] for r in rows if r["date"]]
    assert dated == sorted(dated)


@pytest.mark.slow
def test_query_pages_with_limit_and_offset(sample_store: Path) -> None:
    def rows(*extra: str) -> tuple[list[dict[str, object]], str]:
        result = invoke(
            "query", "--store", sample_store, "--named", "entities", "--format", "json", *extra
        )
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout), result.stderr

    every, note = rows()
    assert len(every) > 6 and "more rows" not in note
    first, note = rows("--limit", "3")
    assert first == every[:3]
    assert "the next page is --offset 3" in note
    second, note = rows("--limit", "3", "--offset", "3")
    assert second == every[3:6] and "--offset 6" in note
    rest, note = rows("--offset", "6")
    assert rest == every[6:] and "more rows" not in note


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["SELECT ?s WHERE { ?s ?p ?o } LIMIT 2", "--limit", "1"], ["own LIMIT", "--limit"]),
        (["ASK { ?s ?p ?o }", "--limit", "1"], ["SELECT", "--limit"]),
    ],
    ids=["own-limit", "not-select"],
)
def test_query_page_errors(sample_store: Path, args: list[str], names: list[str]) -> None:
    result = invoke("query", "--store", sample_store, *args)
    assert result.exit_code == 2
    assert_one_clear_line(result.stderr, *names)
    assert result.stdout == ""


@pytest.mark.parametrize(("option", "value"), [("--limit", "-1"), ("--offset", "x")])
def test_query_page_option_values_checked(sample_store: Path, option: str, value: str) -> None:
    result = invoke("query", "--store", sample_store, "SELECT ?s WHERE { ?s ?p ?o }", option, value)
    assert result.exit_code == 2
    assert f"Invalid value for '{option}'" in result.stderr and result.stdout == ""


@pytest.mark.slow
def test_query_adhoc_params(sample_store: Path) -> None:
    qatar = "https://w3id.org/kg-news/id/entity/Q846"
    by_name = invoke(
        "query",
        "--store",
        sample_store,
        "SELECT ?e WHERE { ?e rdfs:label ?l FILTER(STR(?l) = ?name) }",
        "--param",
        "name=Qatar",
        "--format",
        "json",
    )
    assert by_name.exit_code == 0, by_name.stderr
    assert json.loads(by_name.stdout) == [{"e": qatar}]
    by_iri = invoke(
        "query",
        "--store",
        sample_store,
        "SELECT ?l WHERE { ?e rdfs:label ?l }",
        "--param",
        f"e=<{qatar}>",
        "--format",
        "csv",
    )
    assert by_iri.exit_code == 0, by_iri.stderr
    assert by_iri.stdout == "l\nQatar\n"
    as_text = invoke(
        "query",
        "--store",
        sample_store,
        "SELECT ?l WHERE { ?e rdfs:label ?l }",
        "--param",
        f"e={qatar}",
        "--format",
        "csv",
    )
    assert as_text.stdout == "l\n"  # without <...> the value is a string, not an IRI


@pytest.mark.slow
def test_query_ask_and_construct(sample_store: Path) -> None:
    yes = invoke("query", "--store", sample_store, "ASK { ?e a kg:Mediation }")
    assert (yes.exit_code, yes.stdout) == (0, "true\n")
    no = invoke("query", "--store", sample_store, "ASK { ?e a kg:NoSuchClass }")
    assert (no.exit_code, no.stdout) == (1, "false\n")
    triples = invoke(
        "query",
        "--store",
        sample_store,
        "CONSTRUCT { ?e a kg:Mediation } WHERE { ?e a kg:Mediation }",
    )
    assert triples.exit_code == 0
    lines = triples.stdout.splitlines()
    assert lines and all(line.split("\t")[2].endswith("#Mediation") for line in lines)


# --------------------------------------------------------------------------- export


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld"])
def test_export_dataset_formats_parse_back(sample_store: Path, tmp_path: Path, fmt: str) -> None:
    n_quads, _ = snapshot(sample_store)
    out = tmp_path / f"graph.{fmt}"
    result = invoke("export", "--store", sample_store, "--format", fmt, "-o", out)
    assert result.exit_code == 0
    assert f"wrote {out}" in result.stderr
    ds = Dataset()
    ds.parse(out, format="json-ld" if fmt == "jsonld" else fmt)
    assert len(list(ds.quads((None, None, None, None)))) == n_quads


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_export_triple_formats_parse_back(sample_store: Path, tmp_path: Path, fmt: str) -> None:
    graph = KnowledgeGraph(sample_store, create=False)
    try:
        distinct = len(graph.query("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"))
    finally:
        graph.close()
    out = tmp_path / "out" / f"graph.{fmt}"
    result = invoke("export", "--store", sample_store, "--format", fmt, "-o", out)
    assert result.exit_code == 0
    g = Graph().parse(out, format=fmt)
    assert len(g) == distinct


@pytest.mark.slow
def test_export_to_stdout(sample_store: Path) -> None:
    result = invoke("export", "--store", sample_store, "--format", "nquads")
    assert result.exit_code == 0
    ds = Dataset().parse(data=result.stdout, format="nquads")
    assert len(list(ds.quads((None, None, None, None)))) == snapshot(sample_store)[0]


@pytest.mark.slow
def test_export_unknown_format(sample_store: Path) -> None:
    result = invoke("export", "--store", sample_store, "--format", "xml")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


@pytest.mark.slow
def test_export_to_unwritable_path_leaves_no_partial_file(
    sample_store: Path, tmp_path: Path
) -> None:
    target_dir = tmp_path / "out"
    (target_dir / "graph.trig").mkdir(parents=True)  # a folder where the file should go
    blocker = tmp_path / "plain-file"
    blocker.write_text("x")
    for out in (target_dir / "graph.trig", blocker / "graph.trig"):
        before = tree(tmp_path)
        result = invoke("export", "--store", sample_store, "-o", out)
        assert result.exit_code != 0
        assert "Traceback" not in result.stderr
        assert len(error_lines(result.stderr)) == 1, result.stderr
        assert tree(tmp_path) == before
        assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


# --------------------------------------------------------------------------- stats, render, validate


@pytest.mark.slow
def test_stats_json(sample_store: Path) -> None:
    result = invoke("stats", "--store", sample_store, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {
        "documents",
        "mentions",
        "events",
        "claims",
        "entities_by_type",
        "events_by_type",
        "quads",
    } <= set(data)
    assert data["documents"] == len(list(SAMPLE_DIR.iterdir()))
    assert data["quads"] == snapshot(sample_store)[0]
    assert data["events"] == sum(data["events_by_type"].values())
    assert data["events_by_type"]["Mediation"] >= 1
    assert data["entities_by_type"]["Country"] >= 3
    text = invoke("stats", "--store", sample_store)
    assert text.exit_code == 0
    assert re.search(rf"^documents\s+{data['documents']}$", text.stdout, re.M)


@pytest.mark.slow
def test_render_is_self_contained(sample_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "view" / "graph.html"
    result = invoke("render", "--store", sample_store, "-o", out)
    assert result.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "Qatar" in html
    remote = re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert remote == []
    result = invoke("render", "--store", sample_store, "-o", out, "--view", "events")
    assert result.exit_code == 0


@pytest.mark.slow
def test_render_unknown_focus(sample_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.html"
    result = invoke("render", "--store", sample_store, "--focus", "no such thing", "-o", out)
    assert result.exit_code == 2
    assert_one_clear_line(result.stderr, "--focus", "no such thing")
    assert not out.exists()


@pytest.mark.slow
def test_render_focus_on_entity(sample_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.html"
    result = invoke("render", "--store", sample_store, "--focus", "Qatar", "--hops", "1", "-o", out)
    assert result.exit_code == 0
    assert "Qatar" in out.read_text(encoding="utf-8")


@pytest.mark.slow
def test_render_empty_store(tmp_path: Path) -> None:
    GraphStore.open(tmp_path / "empty").close()
    result = invoke("render", "--store", tmp_path / "empty", "-o", tmp_path / "g.html")
    assert result.exit_code == 2
    assert_one_clear_line(result.stderr, "empty")


@pytest.mark.slow
def test_validate_sample_store(sample_store: Path) -> None:
    pytest.importorskip("kg.validate")
    result = invoke("validate", "--store", sample_store)
    assert "Traceback" not in result.stderr
    assert result.exit_code == 0, result.stdout
    assert "conforms" in result.stdout


@pytest.mark.slow
def test_demo(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = invoke("demo", "--output", out)
    assert result.exit_code == 0, result.stderr
    assert (out / "store" / "CURRENT").is_file()
    assert (out / "graph.html").is_file()
    ds = Dataset().parse(out / "graph.trig", format="trig")
    assert len(list(ds.quads((None, None, None, None)))) > 1000
    assert (
        "Qatar mediated: Agreement (Israel, Egypt, Hamas, in coordination with United States)"
        in result.stdout
    )
    again = invoke("demo", "--output", out)
    assert again.exit_code == 0
    assert "already present" in again.stderr


# --------------------------------------------------------------------------- end to end (subprocess)


def test_e2e_help(run_kg: RunKg) -> None:
    proc = run_kg("--help")
    assert proc.returncode == 0
    for command in COMMANDS:
        assert command in proc.stdout


@pytest.mark.slow
def test_e2e_build_with_bad_files(run_kg: RunKg, articles: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    proc = run_kg(
        "build",
        "--store",
        store,
        articles / "good.txt",
        articles / "empty.txt",
        articles / "binary.txt",
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert_one_clear_line(proc.stderr, str(articles / "empty.txt"))
    assert_one_clear_line(proc.stderr, str(articles / "binary.txt"))
    assert snapshot(store)[1]["documents"] == 1


@pytest.mark.slow
def test_e2e_unknown_model_leaves_store_untouched(
    run_kg: RunKg, store_copy: Path, articles: Path
) -> None:
    before = snapshot(store_copy)
    proc = run_kg(
        "build", "--store", store_copy, "--model", "nonexistent_model_xyz", articles / "good.txt"
    )
    assert proc.returncode == 4
    line = assert_one_clear_line(proc.stderr, "nonexistent_model_xyz")
    assert "--model" in line
    assert snapshot(store_copy) == before


def test_e2e_store_errors(run_kg: RunKg, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("mine")
    proc = run_kg("stats", "--store", folder)
    assert proc.returncode == 3
    assert_one_clear_line(proc.stderr, str(folder))
    assert tree(folder) == {"a.txt": b"mine"}


@pytest.mark.slow
def test_e2e_query_errors(run_kg: RunKg, sample_store: Path) -> None:
    proc = run_kg("query", "--store", sample_store, "SELECT ?x WHERE { ?x ?y }")
    assert proc.returncode == 2
    assert_one_clear_line(proc.stderr, "SPARQL syntax error")
    proc = run_kg("query", "--store", sample_store, "--named", "timeline", "--param", "name")
    assert proc.returncode == 2
    assert_one_clear_line(proc.stderr, "--param 'name'")


@pytest.fixture
def held_store(store_copy: Path) -> Iterator[Path]:
    """The store copy, held open by another process until the test ends."""
    holder = textwrap.dedent(
        f"""
        import sys
        from kg.store import GraphStore
        store = GraphStore.open({str(store_copy)!r}, create=False)
        print("ready", flush=True)
        sys.stdin.read()
        store.close()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        yield store_copy
    finally:
        proc.communicate(timeout=30)


@pytest.mark.slow
def test_e2e_second_build_while_store_in_use(
    run_kg: RunKg, held_store: Path, articles: Path
) -> None:
    proc = run_kg("build", "--store", held_store, articles / "good.txt")
    assert proc.returncode == 3
    assert "in use" in assert_one_clear_line(proc.stderr, str(held_store))


@pytest.mark.slow
def test_surname_in_a_later_build_joins_the_person_of_an_earlier_build(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(
        "date: 2024-01-02\n\nSpokesman Dara Quill of the Harbour Authority said the port would reopen.\n",
        encoding="utf-8",
    )
    second.write_text(
        "date: 2024-01-03\n\nQuill said the port had reopened on time.\n", encoding="utf-8"
    )
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(first), "--store", str(store), "-q"]).exit_code == 0
    assert runner.invoke(main, ["build", str(second), "--store", str(store), "-q"]).exit_code == 0
    result = runner.invoke(
        main,
        [
            "query",
            "SELECT ?l WHERE { ?e a schema:Person ; rdfs:label ?l }",
            "--store",
            str(store),
            "--format",
            "csv",
        ],
    )
    assert result.output.splitlines() == ["l", "Dara Quill"]


def test_the_kg_command_parses_with_one_blas_thread_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`kg` sets the workers' thread variables for its own process before numpy is loaded
    (a user's own value wins); a process that already loaded numpy is left alone."""
    import os

    from kg.cli import _one_blas_thread

    script = (
        "import os, sys\n"
        "from kg.cli import _one_blas_thread\n"
        "assert 'numpy' not in sys.modules\n"
        "_one_blas_thread()\n"
        "import numpy\n"
        "print(os.environ['OMP_NUM_THREADS'], os.environ['OPENBLAS_NUM_THREADS'],"
        " os.environ['MKL_NUM_THREADS'])\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    env["MKL_NUM_THREADS"] = "4"
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["1", "1", "4"]
    import numpy  # noqa: F401 - as in any process that has parsed already

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    _one_blas_thread()
    assert "OMP_NUM_THREADS" not in os.environ


def _interrupted_build(
    monkeypatch: pytest.MonkeyPatch, store: Path, signal_error: type[BaseException], articles: int
) -> Result:
    """``kg build`` of the sample corpus into a new store, stopped by ``signal_error`` after
    ``articles`` articles were written (each in its own transaction)."""
    real = KnowledgeGraph.add_documents
    first = sorted(SAMPLE_DIR.iterdir())[:articles]

    def add_then_stop(self: KnowledgeGraph, inputs: Any, **options: Any) -> Any:
        if first:
            real(self, first, workers=0)
        raise signal_error

    monkeypatch.setattr(KnowledgeGraph, "add_documents", add_then_stop)
    return CliRunner().invoke(main, ["build", str(SAMPLE_DIR), "--store", str(store), "-q"])


def test_an_interrupted_build_keeps_the_new_store_and_the_articles_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "new-store"
    result = _interrupted_build(monkeypatch, store, KeyboardInterrupt, 2)
    assert result.exit_code == 130, result.output
    assert "keeps every article written" in result.output
    assert len(GraphStore.open(store, create=False).documents()) == 2


def test_sigterm_ends_a_build_as_ctrl_c_does_with_exit_143(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.cli import _TerminatedError

    store = tmp_path / "new-store"
    result = _interrupted_build(monkeypatch, store, _TerminatedError, 1)
    assert result.exit_code == 143, result.output
    assert len(GraphStore.open(store, create=False).documents()) == 1


def test_a_build_stopped_before_any_article_leaves_no_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "new-store"
    assert _interrupted_build(monkeypatch, store, KeyboardInterrupt, 0).exit_code == 130
    assert not store.exists()
    mine = tmp_path / "my-empty-folder"  # a folder the user made stays, empty
    mine.mkdir()
    assert _interrupted_build(monkeypatch, mine, KeyboardInterrupt, 0).exit_code == 130
    assert mine.is_dir() and not any(mine.iterdir())


def test_build_into_a_file_is_a_store_error(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("not a store")
    result = CliRunner().invoke(main, ["build", str(SAMPLE_DIR), "--store", str(afile), "-q"])
    assert result.exit_code == 3, result.output
    assert "is a file, not a store folder" in result.output


def test_remove_is_all_or_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store"
    KnowledgeGraph(store).add_documents([SAMPLE_DIR])
    first = GraphStore.open(store, create=False)
    ids = [d["id"] for d in first.documents()]
    first.close()
    runner = CliRunner()
    result = runner.invoke(main, ["remove", ids[0], "no-such-article", "--store", str(store)])
    assert result.exit_code == 2 and "no-such-article" in result.output
    listed = runner.invoke(main, ["list", "--store", str(store), "--format", "csv"])
    assert len(listed.output.strip().splitlines()) == 1 + len(ids)  # nothing removed
    result = runner.invoke(main, ["remove", ids[0], ids[1], "--store", str(store)])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(main, ["list", "--store", str(store), "--format", "csv"])
    assert len(listed.output.strip().splitlines()) == 1 + len(ids) - 2


def test_a_param_the_query_does_not_have_is_an_error(sample_store: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "query",
            "SELECT ?l WHERE { ?e rdfs:label ?name } LIMIT 3",
            "--param",
            "nmae=Egypt",
            "--store",
            str(sample_store),
        ],
    )
    assert result.exit_code == 2
    assert "the query has no variable ?nmae" in result.output


def test_an_iri_param_may_have_an_upper_case_scheme(sample_store: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "query",
            "--named",
            "mediations",
            "--param",
            "mediator=HTTPS://w3id.org/kg-news/id/entity/Q846",
            "--store",
            str(sample_store),
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output  # a valid IRI (RFC 3987: any case scheme)


def test_a_named_query_given_as_sparql_gets_a_hint(sample_store: Path) -> None:
    result = CliRunner().invoke(main, ["query", "mediations", "--store", str(sample_store)])
    assert result.exit_code == 2
    assert "run it with --named mediations" in result.output


def test_an_io_failure_is_a_store_error_not_an_internal_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk or a store folder deleted under kg is the system's problem, exit 3."""

    def no_space(self: GraphStore, quads: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(GraphStore, "add_quads", no_space)
    result = CliRunner().invoke(
        main, ["build", str(SAMPLE_DIR), "--store", str(tmp_path / "s"), "-q"]
    )
    assert result.exit_code == 3, result.output
    assert "No space left on device" in result.output and "internal error" not in result.output
