"""The build: the only module that wires the stages together.

ingest -> nlp -> extract -> resolve -> mapping -> store, one article at a time: each article
is written in its own transaction, so memory depends on the batch size and an interrupted
build leaves every earlier article in place and nothing of the one it was working on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import InputError
from kg.extract import Extractor
from kg.gazetteer import Gazetteer
from kg.ingest import read_documents
from kg.lexicon import Lexicon
from kg.mapping import Mapper
from kg.model import Document, Extraction
from kg.nlp import DEFAULT_MODEL, load_pipeline
from kg.resolve import Resolver
from kg.resources import ontology_dir
from kg.vocab import DEFAULT_BASE

if TYPE_CHECKING:
    from kg.store import TripleStore

BATCH_SIZE = 32
ONTOLOGY_GRAPH = "https://w3id.org/kg-news/ontology"


@dataclass
class BuildReport:
    """What a build did."""

    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Documents already in the store (same content hash)."""
    replaced: int = 0
    """Older versions (same URL or external id, other text) replaced by a new one."""
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    mentions: int = 0
    events: int = 0
    claims: int = 0
    triples_before: int = 0
    triples_after: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return (
            f"{len(self.added)} article(s) added"
            + (f" ({self.replaced} replacing an older version)" if self.replaced else "")
            + f", {len(self.skipped)} already present, "
            f"{len(self.problems)} problem(s); {self.mentions} mentions, {self.events} events, "
            f"{self.claims} quantity claims; store holds {self.triples_after} quads "
            f"(+{self.triples_after - self.triples_before})"
        )


@dataclass
class BuildSettings:
    model: str = DEFAULT_MODEL
    base_iri: str = DEFAULT_BASE
    batch_size: int = BATCH_SIZE
    progress: bool = False


def _batches(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def build(
    inputs: Iterable[str | Path | Document],
    store: TripleStore,
    settings: BuildSettings | None = None,
    on_problem: Callable[[str], None] | None = None,
) -> BuildReport:
    """Read, extract and store every input; bad inputs are reported, the rest still built."""
    settings = settings or BuildSettings()
    report = BuildReport(triples_before=len(store))
    store.ensure_ontology(ontology_dir() / "kg.ttl", ONTOLOGY_GRAPH)
    lexicon = Lexicon.load()
    mapper = Mapper(lexicon, settings.base_iri)
    nlp = load_pipeline(settings.model)
    extractor = Extractor(lexicon)
    resolver = Resolver(Gazetteer.default())
    for key, label, qid in store.people():
        resolver.remember_person(key, label, qid)

    def problem(exc: InputError | str) -> None:
        message = str(exc)
        report.problems.append(message)
        if on_problem is not None:
            on_problem(message)

    items = list(inputs)
    paths = [i for i in items if not isinstance(i, Document)]
    documents = [i for i in items if isinstance(i, Document)]
    documents += read_documents(paths, problem)
    seen: set[str] = set()
    fresh: list[Document] = []
    for document in documents:
        report.warnings.extend(document.warnings)
        if document.id in seen or store.has_graph(mapper.iris.graph(document.id)):
            report.skipped.append(document.source)
            continue
        seen.add(document.id)
        fresh.append(document)

    progress = _progress(settings.progress, len(fresh))
    try:
        for batch in _batches(fresh, settings.batch_size):
            parsed = nlp.pipe((d.masked_text() for d in batch), batch_size=settings.batch_size)
            for document, doc in zip(batch, parsed, strict=True):
                extraction = extractor(document, doc)
                report.replaced += _store_document(extraction, resolver, mapper, store)
                report.added.append(document.source)
                report.mentions += len(extraction.mentions)
                report.events += len(extraction.events)
                report.claims += len(extraction.claims)
                progress(1)
    finally:
        progress(0, done=True)
        store.flush()
    report.triples_after = len(store)
    return report


def _store_document(
    extraction: Extraction, resolver: Resolver, mapper: Mapper, store: TripleStore
) -> int:
    """Write one article in one transaction; returns how many older versions it replaced."""
    resolution = resolver.resolve([extraction])
    quads = list(mapper.document_quads(extraction, resolution))
    keys = set(resolution.mention_entity.get(extraction.document.id, {}).values())
    for key in sorted(keys):
        entity = resolution.entities[key]
        if entity.type == "Group":
            continue
        # An entity keeps the label it was first stored with; later spellings become aliases.
        labelled = store.label_of(mapper.entity_iri(entity))
        if labelled is not None and labelled != entity.label:
            entity.aliases.add(entity.label)
            entity.label = labelled
        quads.extend((s, p, o, None) for s, p, o in mapper.entity_triples(entity))
    old_versions = store.versions_of(
        extraction.document.url, extraction.document.external_id, extraction.document.id
    )
    if old_versions:
        store.replace_documents(old_versions, quads)  # a new version of the same article
    else:
        store.add_quads(quads)
    return len(old_versions)


def _progress(enabled: bool, total: int) -> Callable[..., None]:
    if not enabled or total < 2 or not sys.stderr.isatty():
        return lambda n, done=False: None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
    )
    task = bar.add_task("building", total=total)
    bar.start()

    def advance(n: int, done: bool = False) -> None:
        if n:
            bar.advance(task, n)
        if done:
            bar.stop()

    return advance


__all__ = ["BuildReport", "BuildSettings", "build"]
