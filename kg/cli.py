"""The ``kg`` command: thin commands over the Python API.

Exit codes: 0 success; 1 the command ran but found problems (bad input files skipped, graph
does not conform); 2 usage or input error (bad option, unreadable query, no articles);
3 store error (not a store, in use); 4 model error; 70 internal error (a bug: please report).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from kg.errors import InputError, KGError, ModelError, QueryError, StoreError
from kg.graph import DEFAULT_STORE, KnowledgeGraph, write_atomically
from kg.nlp import DEFAULT_MODEL
from kg.pipeline import BuildReport, unset_worker_environment
from kg.query import Rows, get_named, named_queries, run, run_with_timeout
from kg.store import paginate
from kg.vocab import DEFAULT_BASE

EXIT_PROBLEMS, EXIT_USAGE, EXIT_STORE, EXIT_MODEL, EXIT_INTERNAL = 1, 2, 3, 4, 70
F = TypeVar("F", bound=Callable[..., Any])


def _err(message: str) -> None:
    click.echo(f"kg: {message}", err=True)


def handle_errors(func: F) -> F:
    """Turn kg's errors into one clear line on stderr and an exit code; no tracebacks."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import signal
        import threading

        if threading.current_thread() is threading.main_thread():
            # SIGTERM (kill, a service manager, `timeout`) ends kg the way Ctrl-C does: the
            # worker processes are stopped and the store closed, not left behind
            signal.signal(signal.SIGTERM, _terminate)
        try:
            return func(*args, **kwargs)
        except _TerminatedError:
            _err("terminated; the store keeps every article written before the signal")
            sys.exit(143)
        except StoreError as exc:
            _err(str(exc))
            sys.exit(EXIT_STORE)
        except ModelError as exc:
            _err(str(exc))
            sys.exit(EXIT_MODEL)
        except (QueryError, InputError) as exc:
            _err(str(exc))
            sys.exit(EXIT_USAGE)
        except KGError as exc:
            _err(str(exc))
            sys.exit(EXIT_USAGE)
        except ValueError as exc:
            _err(str(exc))
            sys.exit(EXIT_USAGE)
        except BrokenPipeError:  # `kg query ... | head`: the reader went away
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_PROBLEMS)
        except KeyboardInterrupt:
            _err("interrupted; the store keeps every article written before the interruption")
            sys.exit(130)
        except OSError as exc:  # the disk is full, a folder went away: not a bug in kg
            _err(f"cannot read or write: {exc}")
            sys.exit(EXIT_STORE)
        except Exception as exc:
            if os.environ.get("KG_DEBUG"):
                raise
            _err(f"internal error: {type(exc).__name__}: {exc} (set KG_DEBUG=1 for the traceback)")
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


class _TerminatedError(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that its clean-up runs as for Ctrl-C."""


def _terminate(_signum: int, _frame: Any) -> None:
    raise _TerminatedError


store_option = click.option(
    "--store",
    "store_dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_STORE,
    show_default=True,
    help="Store folder.",
)


endpoint_option = click.option(
    "--endpoint",
    metavar="URL",
    help="Use a SPARQL 1.1 endpoint instead of the store folder (its update URL, e.g. "
    "http://127.0.0.1:7878/update).",
)
query_endpoint_option = click.option(
    "--query-endpoint",
    metavar="URL",
    help="The endpoint's query URL, when it is not the update URL with /update -> /query.",
)


def _open(
    store_dir: Path,
    endpoint: str | None = None,
    query_endpoint: str | None = None,
    *,
    read_only: bool = False,
) -> KnowledgeGraph:
    """The store of a command; ``read_only`` for commands that only read it, which then work
    while a build or ``kg serve`` holds it (on a snapshot taken when it is opened)."""
    return KnowledgeGraph(
        store_dir,
        create=False,
        endpoint=endpoint,
        query_endpoint=query_endpoint,
        read_only=read_only,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """kg: turn news articles into a knowledge graph you can query with SPARQL and explore."""
    _one_blas_thread()


def _one_blas_thread() -> None:
    """Give this process the worker processes' one BLAS/OpenMP thread
    (:data:`kg.pipeline.WORKER_ENVIRONMENT`), unless the user set those variables: small
    builds, ``kg demo`` and ``kg eval`` parse here, and spaCy parses about a tenth slower with
    numpy's default of one OpenBLAS thread per core.  OpenBLAS reads them when numpy is
    loaded, which the ``kg`` command does only after this (in-process callers that already
    loaded numpy keep theirs)."""
    if "numpy" not in sys.modules:
        os.environ.update(unset_worker_environment())


@main.command()
@click.argument("articles", nargs=-1, required=True)
@store_option
@click.option(
    "--memory", is_flag=True, help="Build in memory only: nothing is written; prints the summary."
)
@click.option(
    "--base-iri", default=DEFAULT_BASE, show_default=True, help="Base IRI for minted IRIs."
)
@click.option(
    "--model", default=DEFAULT_MODEL, show_default=True, help="spaCy model package or path."
)
@click.option(
    "--workers",
    type=click.IntRange(1),
    default=os.cpu_count() or 1,
    show_default="number of cores",
    help="Processes that parse and extract (one model load each).",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1),
    default=32,
    show_default=True,
    help="Articles per batch.",
)
@click.option(
    "--dask",
    metavar="ADDRESS",
    help="Extract on a Dask cluster (scheduler address, or local / local:N for a LocalCluster).",
)
@click.option(
    "--gazetteer",
    "gazetteer",
    type=click.Path(path_type=Path, dir_okay=False),
    multiple=True,
    metavar="FILE",
    help="Your own alias table (TSV: label, type, qid, aliases separated by |; header line). "
    "Its names are recognised and linked, and win over kg's. Repeatable.",
)
@endpoint_option
@query_endpoint_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
@handle_errors
def build(
    articles: tuple[str, ...],
    store_dir: Path,
    memory: bool,
    base_iri: str,
    model: str,
    workers: int,
    batch_size: int,
    dask: str | None,
    gazetteer: tuple[Path, ...],
    endpoint: str | None,
    query_endpoint: str | None,
    quiet: bool,
) -> None:
    """Add ARTICLES (files, folders, globs, .jsonl) to the store.

    Articles already in the store (same text) are skipped; each article is written in its
    own transaction. Files that cannot be read are reported and skipped (exit code 1).
    """
    from kg.mapping import Iris
    from kg.pipeline import _check_model

    Iris(base_iri)  # check the base IRI and the model before the store is touched
    # a package or folder that is there is enough: the workers load the model, not this
    # process (a model that is there but broken stops the build at its first batch)
    _check_model(model, load=False)
    local = not memory and endpoint is None
    # a store this build makes, in a new folder or in an empty one the user made
    fresh = local and not (store_dir.is_dir() and any(store_dir.iterdir()))
    new_folder = local and not store_dir.exists()
    graph = KnowledgeGraph(
        store_dir if local else None,
        memory=memory,
        base_iri=base_iri,
        model=model,
        endpoint=endpoint,
        query_endpoint=query_endpoint,
        gazetteer=gazetteer,
    )
    report: BuildReport | None = None
    removed = False
    try:
        report = graph.add_documents(
            list(articles), progress=not quiet, workers=workers, batch_size=batch_size, dask=dask
        )
    finally:
        # Leave no empty store behind; but a store that holds articles stays, even when the
        # build stopped half-way (Ctrl-C, an error): each article was its own transaction.
        removed = fresh and not _holds_articles(graph)
        graph.close()
        if removed and new_folder:
            shutil.rmtree(store_dir, ignore_errors=True)
        elif removed:  # the user's own empty folder stays, empty
            for item in store_dir.iterdir():
                shutil.rmtree(item) if item.is_dir() else item.unlink()
    for warning in report.warnings:
        _err(f"warning: {warning}")
    for problem in report.problems:
        _err(problem)
    if not quiet:
        where = "memory" if memory else endpoint or str(store_dir)
        if removed:
            click.echo(f"{report.summary(stored=False)} [{where}: no store written]", err=True)
        else:
            click.echo(f"{report.summary()} [{where}]", err=True)
    if not report.added and not report.skipped:
        if not report.problems:
            _err("no articles could be read")
        sys.exit(EXIT_USAGE)
    if report.problems:
        sys.exit(EXIT_PROBLEMS)


def _holds_articles(graph: KnowledgeGraph) -> bool:
    """Whether the store holds at least one article; True when it cannot be asked, so that a
    store is never deleted on a guess."""
    try:
        return bool(graph.local.query("ASK { GRAPH ?g { ?d a schema:NewsArticle } }"))
    except KGError:
        return True


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in params:
        if "=" not in item:
            raise QueryError(f"--param {item!r}: expected name=value")
        name, value = item.split("=", 1)
        out[name.strip()] = value
    return out


def _adhoc_value(value: str) -> Any:
    """``<IRI>`` binds an IRI; anything else a plain string literal."""
    from rdflib import URIRef

    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+", iri):
            raise QueryError(f"--param {value!r}: not an absolute IRI")
        return URIRef(iri)
    return value


def _print_rows(rows: Rows, fmt: str) -> None:
    if fmt == "csv":
        click.echo(rows.to_csv(), nl=False)
    elif fmt == "tsv":
        click.echo(rows.to_csv("\t"), nl=False)
    elif fmt == "json":
        click.echo(rows.to_json())
    elif fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, default=str))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(show_lines=False)
        for col in rows.columns:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*["" if row.get(c) is None else str(row[c]) for c in rows.columns])
        Console(soft_wrap=False).print(table)
        click.echo(f"{len(rows)} row(s)", err=True)


@main.command()
@click.argument("sparql", required=False)
@store_option
@click.option("--named", "named", help="Run a named query (see --list).")
@click.option(
    "--list", "list_queries", is_flag=True, help="List the named queries and their parameters."
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind ?NAME (typed as a named query declares; ad hoc: <IRI> or a string).",
)
@click.option(
    "--queries", "queries_dir", type=click.Path(path_type=Path), help="Folder of extra .rq files."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "jsonl"]),
    default="table",
    show_default=True,
)
@click.option(
    "--file",
    "-f",
    "query_file",
    type=click.Path(path_type=Path),
    help="Read the SPARQL from a file.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=300,
    show_default=True,
    help="Stop a query on the store folder after this many seconds.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=None,
    help="One page: at most this many rows of a SELECT (default: all rows).",
)
@click.option(
    "--offset",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Skip this many rows first (with --limit: the next page).",
)
@endpoint_option
@query_endpoint_option
@handle_errors
def query(
    sparql: str | None,
    store_dir: Path,
    named: str | None,
    list_queries: bool,
    params: tuple[str, ...],
    queries_dir: Path | None,
    fmt: str,
    query_file: Path | None,
    timeout: float,
    limit: int | None,
    offset: int,
    endpoint: str | None,
    query_endpoint: str | None,
) -> None:
    """Run SPARQL over all graphs (prefixes kg:, schema:, sem:, nif:, rdfs:, skos:, ... are predefined)."""
    extra = [queries_dir] if queries_dir else None
    if list_queries:
        for name, nq in sorted(named_queries(extra).items()):
            click.echo(f"{name}: {nq.title}")
            for p in nq.params:
                need = (
                    "required" if p.required else f"optional{'=' + p.default if p.default else ''}"
                )
                click.echo(f"    --param {p.name}=<{p.type}>  {need}  {p.description}")
        return
    bindings: dict[str, Any] = {}
    labels: list[str] = []
    if named and (sparql or query_file):
        raise QueryError("give either a SPARQL query or --named NAME, not both")
    if named:
        nq = get_named(named, extra)
        text = nq.sparql
        bindings = nq.bind(_parse_params(params))
        labels = nq.labels
    elif query_file is not None:
        try:
            text = query_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"--file {query_file}: {exc.strerror}") from None
    elif sparql:
        text = sparql
        if re.fullmatch(r"[\w-]+", sparql.strip()) and sparql.strip() in named_queries(extra):
            raise QueryError(
                f"{sparql.strip()!r} is a named query: run it with --named {sparql.strip()}"
            )
    else:
        raise QueryError("give a SPARQL query, --file FILE, --named NAME or --list")
    if params and not named:
        bindings = {k: _adhoc_value(v) for k, v in _parse_params(params).items()}
    text = paginate(text, limit, offset)
    if endpoint is None:
        result = run_with_timeout(store_dir, text, bindings, timeout, labels)
    else:
        with _open(store_dir, endpoint, query_endpoint) as graph:
            result = run(graph.store, text, bindings, labels=labels)
    if isinstance(result, bool):
        click.echo("true" if result else "false")
        sys.exit(0 if result else EXIT_PROBLEMS)
    if isinstance(result, Rows):
        _print_rows(result, fmt)
        if limit and len(result) == limit:
            _err(f"more rows may follow: the next page is --offset {offset + limit}")
    else:
        for s, p, o in result:
            click.echo(f"{s}\t{p}\t{o}")


@main.command(name="list")
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "jsonl"]),
    default="table",
    show_default=True,
)
@handle_errors
def list_documents(store_dir: Path, fmt: str) -> None:
    """List the articles in the store: id, date, publisher, title, source file, URL, quads."""
    with _open(store_dir, read_only=True) as graph:
        docs = graph.documents()
    columns = ["id", "published", "publisher", "title", "source", "url", "quads"]
    _print_rows(Rows([{c: d.get(c, "") for c in columns} for d in docs], columns), fmt)


@main.command()
@click.argument("documents", nargs=-1, required=True)
@store_option
@handle_errors
def remove(documents: tuple[str, ...], store_dir: Path) -> None:
    """Remove DOCUMENTS (an id or id prefix, a source file, a URL) from the store.

    Each article's graph goes, and so does its contribution to the merged entities:
    aliases only it gave are dropped; an entity no other article mentions is removed.
    """
    with _open(store_dir) as graph:
        for doc in graph.remove(*documents):  # all or nothing
            click.echo(f"removed {doc['id']} {doc['title'] or doc['source']}", err=True)


@main.command()
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["trig", "nquads", "turtle", "ntriples", "jsonld"]),
    default="trig",
    show_default=True,
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Output file (default: stdout)."
)
@handle_errors
def export(store_dir: Path, fmt: str, output: Path | None) -> None:
    """Write the graph as RDF (turtle and ntriples merge all graphs into one)."""
    with _open(store_dir, read_only=True) as graph:
        data = graph.local.dump(fmt)
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        write_atomically(output, data)
        click.echo(f"wrote {output}", err=True)


@main.command()
@store_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("output/graph.html"),
    show_default=True,
)
@click.option("--focus", help="Only the neighbourhood of the entity with this name.")
@click.option("--hops", type=click.IntRange(0, 10), default=2, show_default=True)
@click.option("--max-nodes", type=click.IntRange(1), default=500, show_default=True)
@click.option(
    "--view", type=click.Choice(["entities", "events"]), default="entities", show_default=True
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "graphml", "gexf"]),
    default="html",
    show_default=True,
    help="html: the interactive page; graphml/gexf: the same projection for Gephi or Cytoscape.",
)
@handle_errors
def render(
    store_dir: Path,
    output: Path,
    focus: str | None,
    hops: int,
    max_nodes: int,
    view: str,
    fmt: str,
) -> None:
    """Draw the graph as one self-contained HTML page (works offline), or export it for Gephi."""
    with _open(store_dir, read_only=True) as graph:
        path = graph.render(
            output, focus=focus, hops=hops, max_nodes=max_nodes, view=view, format=fmt
        )
    click.echo(f"wrote {path}", err=True)


@main.command()
@store_option
@handle_errors
def validate(store_dir: Path) -> None:
    """Check the graph against the SHACL shapes in ontology/shapes.ttl (exit 1 if it does not conform)."""
    with _open(store_dir, read_only=True) as graph:
        report = graph.validate()
    if report.conforms:
        click.echo("the graph conforms to the kg shapes")
        return
    click.echo(report.text)
    sys.exit(EXIT_PROBLEMS)


@main.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@handle_errors
def stats(store_dir: Path, as_json: bool) -> None:
    """Counts: documents, mentions, events, claims, relations; entities, events and relations
    by type; quads."""
    with _open(store_dir, read_only=True) as graph:
        counts = graph.stats()
    if as_json:
        click.echo(json.dumps(counts, indent=2))
        return
    for key, value in counts.items():
        if isinstance(value, dict):
            click.echo(f"{key}:")
            for k, v in value.items():
                click.echo(f"  {k:<16} {v}")
        else:
            click.echo(f"{key:<18} {value}")


model_option = click.option(
    "--model", default=DEFAULT_MODEL, show_default=True, help="spaCy model package or path."
)


@main.group(name="eval")
def eval_group() -> None:
    """Measure kg on gold data (see the README for the data sets and today's numbers)."""


def _print_scores(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    rows = [
        {
            "type": "ALL",
            **{k: result[k] for k in ("precision", "recall", "f1", "correct", "predicted", "gold")},
        }
    ]
    for kind, numbers in result.get("per_type", {}).items():
        rows.append({"type": kind, **numbers})
    _print_rows(
        Rows(rows, ["type", "precision", "recall", "f1", "correct", "predicted", "gold"]), "table"
    )
    extra = {
        k: v
        for k, v in result.items()
        if k not in {"per_type", "precision", "recall", "f1", "correct", "predicted", "gold"}
    }
    click.echo("  ".join(f"{k}: {v}" for k, v in extra.items()))


@eval_group.command(name="ner")
@click.option(
    "--conll", "conll", type=click.Path(path_type=Path), required=True, help="CoNLL-2003 file."
)
@click.option("--limit", type=click.IntRange(1), help="Only the first N sentences.")
@click.option("--baseline", is_flag=True, help="Score the spaCy model alone instead of kg.")
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON object: precision, recall, f1, per_type."
)
@model_option
@handle_errors
def eval_ner(conll: Path, limit: int | None, baseline: bool, as_json: bool, model: str) -> None:
    """Named entities against CoNLL-2003: exact-span micro P/R/F1, per type (PER ORG LOC MISC)."""
    from kg.evaluate import evaluate_ner

    _print_scores(evaluate_ner(conll, limit=limit, baseline=baseline, model=model), as_json)


@eval_group.command(name="linking")
@click.option(
    "--aida",
    "aida",
    type=click.Path(path_type=Path),
    required=True,
    help="AIDA JSON Lines with Wikidata ids.",
)
@click.option("--limit", type=click.IntRange(1), help="Only the first N documents.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object: precision, recall, f1.")
@model_option
@handle_errors
def eval_linking(aida: Path, limit: int | None, as_json: bool, model: str) -> None:
    """Wikidata links against AIDA: precision of the links kg makes, recall of the gold links."""
    from kg.evaluate import evaluate_linking

    _print_scores(evaluate_linking(aida, limit=limit, model=model), as_json)


@eval_group.command(name="events")
@click.option(
    "--wikievents",
    "wikievents",
    type=click.Path(path_type=Path),
    required=True,
    help="WikiEvents JSON Lines.",
)
@click.option("--limit", type=click.IntRange(1), help="Only the first N documents.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="One JSON object: precision, recall, f1 (trigger classification), argument_f1.",
)
@model_option
@handle_errors
def eval_events(wikievents: Path, limit: int | None, as_json: bool, model: str) -> None:
    """Events against WikiEvents: trigger classification (full KAIROS type) P/R/F1, argument F1."""
    from kg.evaluate import evaluate_events

    _print_scores(evaluate_events(wikievents, limit=limit, model=model), as_json)


@eval_group.command(name="relations")
@click.option(
    "--conll04",
    "conll04",
    type=click.Path(path_type=Path),
    required=True,
    help="CoNLL04 JSON (SpERT format).",
)
@click.option(
    "--gold-entities",
    is_flag=True,
    help="Give the extractor the gold entity spans instead of kg's own entities.",
)
@click.option("--limit", type=click.IntRange(1), help="Only the first N sentences.")
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON object: precision, recall, f1, per_type."
)
@model_option
@handle_errors
def eval_relations(
    conll04: Path, gold_entities: bool, limit: int | None, as_json: bool, model: str
) -> None:
    """Relations against CoNLL04: strict micro P/R/F1 (both spans exact, entity types ignored),
    per relation (Work_For Live_In Located_In OrgBased_In Kill)."""
    from kg.evaluate_relations import evaluate_relations

    result = evaluate_relations(conll04, limit, gold_entities=gold_entities, model=model)
    _print_scores(result, as_json)


@eval_group.command(name="coref")
@click.option(
    "--ecbplus",
    "ecbplus",
    type=click.Path(path_type=Path),
    required=True,
    help="ECB+ folder (the topic folders of .xml files, with ECBplus_coreference_sentences.csv).",
)
@click.option("--limit", type=click.IntRange(1), help="Only the first N topics.")
@click.option("--baseline", is_flag=True, help="Also score the same-head-lemma baseline.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="One JSON object: precision, recall, f1 (CoNLL F1), baseline_f1 with --baseline.",
)
@model_option
@handle_errors
def eval_coref(ecbplus: Path, limit: int | None, baseline: bool, as_json: bool, model: str) -> None:
    """Entity coreference across documents against ECB+: MUC, B3, CEAF-e and the CoNLL F1
    (their mean), clusters within each topic."""
    from kg.evaluate_coref import evaluate_coref, format_coref_table

    report = evaluate_coref(ecbplus, limit=limit, baseline=baseline, model=model)
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        click.echo(format_coref_table(report))


@main.command()
@store_option
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True)
@click.option(
    "--bind",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 lets other machines query the store.",
)
@click.option("--writable", is_flag=True, help="Accept SPARQL updates and Graph Store writes.")
@click.option("--cors", is_flag=True, help="Answer cross-origin requests from browsers.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=30,
    show_default=True,
    help="Cancel queries running longer than this many seconds (0 = no limit).",
)
@handle_errors
def serve(
    store_dir: Path, port: int, bind: str, writable: bool, cors: bool, timeout: float
) -> None:
    """Serve the store as a SPARQL 1.1 endpoint (default graph = union of all graphs) until Ctrl-C."""
    from kg.serve import SparqlServer

    server = SparqlServer(
        store_dir, bind=bind, port=port, writable=writable, cors=cors, timeout=timeout or None
    ).start()
    click.echo(server.describe(), err=True)
    if server.warning:
        _err(server.warning)
    click.echo("Press Ctrl-C to stop.", err=True)
    server.wait()


@main.command()
@click.option(
    "--output",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("output"),
    show_default=True,
)
@handle_errors
def demo(out_dir: Path) -> None:
    """Build the bundled sample corpus into OUTPUT/store and write graph.trig and graph.html."""
    from kg.resources import SAMPLE_DIR

    store_dir = out_dir / "store"
    graph = KnowledgeGraph(store_dir)
    try:
        report = graph.add_documents([SAMPLE_DIR], progress=True)
        click.echo(report.summary(), err=True)
        trig = graph.export(out_dir / "graph.trig", "trig")
        html = graph.render(out_dir / "graph.html")
        rows = graph.named_query("mediations")
    finally:
        graph.close()
    click.echo(f"store:  {store_dir}\ntrig:   {trig}\nviewer: {html}")
    click.echo("\nExample query: kg query --named mediations   (who mediated what, between whom)")
    for row in rows:
        parties = row["parties"] or "parties not named"
        coordinators = (
            f", in coordination with {row['coordinators']}" if row["coordinators"] else ""
        )
        click.echo(
            f"  {row['mediatorLabel']} mediated: {row['eventType']} ({parties}{coordinators})"
            f' in "{row["headline"]}"'
        )


__all__ = ["main"]
