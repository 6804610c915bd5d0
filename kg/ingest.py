"""Read articles from files, folders, globs and JSON Lines into :class:`~kg.model.Document`.

Plain text keeps its characters exactly: metadata lines and web boilerplate are not cut
out but listed in :attr:`Document.ignored`, so every offset the extractors produce is an
offset into the text as read.

>>> doc = parse_text(" date 2023-11-07 On Wednesday, 300 people left.\\n\\nLoading...\\n", "a.txt")
>>> doc.published.isoformat(), [doc.text[s:e] for s, e, _ in doc.ignored]
('2023-11-07', [' date 2023-11-07 ', 'Loading...'])
"""

from __future__ import annotations

import glob
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kg.calendar import MONTHS
from kg.errors import InputError
from kg.model import Document

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".ndjson"}
HEADER_KEYS = {"title", "date", "published", "source", "publisher", "url", "id", "author"}
MIN_LETTERS = 20

# " date 2023-11-07 On Wednesday, ..." : the date and the first sentence on one line.
_INLINE_DATE = re.compile(r"\A[ \t]*date:?[ \t]+(\d{4}-\d{2}-\d{2})[ \t]*")
_HEADER_LINE = re.compile(r"([A-Za-z_]+)[ \t]*:[ \t]*(.*)")

_BOILERPLATE_LINES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^[ \t]*Loading(?:\.\.\.|…)?[ \t]*$", re.M), "loading placeholder"),
    (
        re.compile(r"^[ \t]*(?:Copyright|©|\(c\))[^\n]*$", re.M | re.I),
        "copyright line",
    ),
    (re.compile(r"^[ \t]*All rights reserved\.?[ \t]*$", re.M | re.I), "copyright line"),
    (
        re.compile(r"^[ \t]*(?:Advertisement|Skip Advertisement|Share this article)[ \t]*$", re.M),
        "advertising line",
    ),
)
# A paragraph that asks the reader to sign up to a newsletter or e-mail list.
_SIGNUP = re.compile(
    r"\b(?:sign(?:ing)?[ -]up|subscribe)\b[^\n]*\b(?:e-?mail|newsletter|inbox|briefing)\b"
    r"|\b(?:e-?mail|newsletter|inbox)\b[^\n]*\bsign(?:ing)?[ -]up\b",
    re.I,
)
# "Fatima Shbair / AP / AP Caption ..." : photographer / agency / agency, at a line start.
_PHOTO_CREDIT = re.compile(
    r"^[ \t]*(?:[A-Z][\w'’.-]*[ \t]+){0,3}[A-Z][\w'’.-]*[ \t]+/[ \t]+(?P<agency>[^/\n]+(?:/[^/\n]+)*?)"
    r"[ \t]+/[ \t]+(?P=agency)(?=[ \t]|$)",
    re.M,
)


def parse_date(value: str) -> date | None:
    """Parse an ISO date, an ISO timestamp, or "1 November 2023" / "November 1, 2023".

    >>> parse_date("2023-11-01T09:30:00Z"), parse_date("November 1, 2023"), parse_date("soon")
    (datetime.date(2023, 11, 1), datetime.date(2023, 11, 1), None)
    """
    value = value.strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})", value) or re.fullmatch(
        r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", value
    )
    if m:
        a, b, year = m.groups()
        day, month = (a, b) if a.isdigit() else (b, a)
        month_no = MONTHS.get(month.lower()) or MONTHS.get(month.lower()[:3])
        if month_no:
            try:
                return date(int(year), month_no, int(day))
            except ValueError:
                return None
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None


_UNICODE_BOMS = (  # the UTF-32 marks first: UTF-32-LE's begins with UTF-16-LE's
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


# Single-byte code pages for other Latin-script languages, which detection tends to pick for
# short Western European text ("naïve" read as cp1250 "naďve", as cp775 "naļve"): when
# Windows-1252 decodes the bytes too, it is the likelier one for news, as the WHATWG
# Encoding Standard makes it the default for unlabelled Western text.
_OTHER_LATIN = {
    "cp1250", "cp1254", "cp1257", "cp1258", "cp775", "cp850", "cp852", "mac_latin2",
    "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_9", "iso8859_10", "iso8859_13",
    "iso8859_14", "iso8859_16",
}  # fmt: skip


def detect_encoding(data: bytes) -> str | None:
    """The encoding of bytes that are not UTF-8, by detection (charset-normalizer), with
    Windows-1252 preferred over other Latin code pages that decode them as well.

    >>> detect_encoding("A naïve déjà vu in Zürich, said the señor.".encode("latin-1"))
    'cp1252'
    >>> detect_encoding("Москва заявила в среду, что переговоры продолжатся.".encode("cp1251"))
    'cp1251'
    """
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    best = results.best()
    if best is None:
        return None
    western = any("cp1252" in (m.encoding, *m.could_be_from_charset) for m in results)
    if western and best.encoding in _OTHER_LATIN:
        return "cp1252"
    return str(best.encoding)


def decode(data: bytes, source: str) -> tuple[str, tuple[str, ...]]:
    """Decode bytes as UTF-8, or by detection with a warning; refuse binary data.

    >>> text, warnings = decode("Le café est très bon à Paris. ".encode("latin-1") * 5, "x.txt")
    >>> text[:28], warnings[0].startswith("x.txt: not UTF-8; decoded as")
    ('Le café est très bon à Paris', True)
    """
    if not data.strip():
        raise InputError(source, "the file is empty")
    for bom, encoding in _UNICODE_BOMS:  # UTF-16 and UTF-32 text is full of NUL bytes
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise InputError(
                    source, f"not valid {encoding} after its byte-order mark"
                ) from None
            _check_sensible(text, source)
            return text.replace("\r\n", "\n").replace("\r", "\n"), ()
    if b"\x00" in data[:4096]:
        raise InputError(source, "binary data (NUL bytes), not a text article")
    try:
        text = data.decode("utf-8-sig")
        warnings: tuple[str, ...] = ()
    except UnicodeDecodeError:
        detected = detect_encoding(data)
        if detected is None:
            raise InputError(source, "bytes decode to no known text encoding") from None
        text = data.decode(detected, errors="replace")
        warnings = (f"{source}: not UTF-8; decoded as {detected} by detection",)
    _check_sensible(text, source)
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings


def _check_sensible(text: str, source: str) -> None:
    letters = sum(ch.isalpha() for ch in text)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(3, len(text) // 100) or (
        "\ufffd" in text[:2000] and text.count("\ufffd") > 5
    ):
        raise InputError(source, "bytes decode to no sensible text (control characters)")
    if letters < MIN_LETTERS:
        raise InputError(source, f"no article text (only {letters} letters)")


def _header(text: str) -> tuple[dict[str, str], list[tuple[int, int, str]]]:
    """Metadata at the start: a ``key: value`` block ended by a blank line, or a leading
    `` date 2023-11-07 `` on the first line (alone or before the first sentence)."""
    pos = 0
    block: dict[str, str] = {}
    while pos < len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        line = text[pos:end]
        if not line.strip():
            break
        hm = _HEADER_LINE.fullmatch(line.strip())
        if not hm or hm[1].lower() not in HEADER_KEYS:
            block = {}
            break
        block[hm[1].lower()] = hm[2].strip()
        pos = end + 1
    if block and pos < len(text):
        return block, [(0, min(pos, len(text)), "metadata")]
    m = _INLINE_DATE.match(text)
    if m:
        return {"date": m[1]}, [(m.start(), m.end(), "metadata")]
    return {}, []


def boilerplate_spans(text: str) -> list[tuple[int, int, str]]:
    """Spans of web boilerplate: sign-up prompts, "Loading...", copyright and photo credits.

    >>> t = "Jane Roe / AP / AP Crowds wait.\\nCopyright 2023 X. All rights reserved."
    >>> [(t[s:e], why) for s, e, why in boilerplate_spans(t)]
    [('Jane Roe / AP / AP', 'photo credit'), ('Copyright 2023 X. All rights reserved.', 'copyright line')]
    """
    spans: list[tuple[int, int, str]] = []
    for pattern, reason in _BOILERPLATE_LINES:
        spans.extend((m.start(), m.end(), reason) for m in pattern.finditer(text))
    for m in _PHOTO_CREDIT.finditer(text):
        start = m.start() + len(m[0]) - len(m[0].lstrip())
        spans.append((start, m.end(), "photo credit"))
    for para in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        if _SIGNUP.search(para[0]) and len(para[0]) < 1200:
            spans.append((para.start(), para.end(), "sign-up prompt"))
    return _merge(spans)


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for start, end, reason in sorted(spans):
        if out and start <= out[-1][1]:
            prev = out[-1]
            out[-1] = (prev[0], max(prev[1], end), prev[2])
        else:
            out.append((start, end, reason))
    return out


_MARKDOWN_NOT_PROSE = re.compile(
    r"^[ \t]*(```|~~~)[^\n]*\n.*?^[ \t]*\1[ \t]*$"  # a fenced code block
    r"|<!--.*?-->"  # an HTML comment
    r"|^[ \t]*</?[A-Za-z][^<>\n]*>[ \t]*$",  # a line that is one HTML tag (<div align=center>)
    re.M | re.S,
)


def _markdown_spans(text: str) -> list[tuple[int, int, str]]:
    r"""Markdown that is not the article's prose: heading markers, fenced code, HTML comments
    and lines that are a bare HTML tag.

    >>> t = "# Title\n<!-- draft -->\n```\nx = 1\n```\nEgypt opened it."
    >>> [t[s:e] for s, e, _ in _markdown_spans(t)]
    ['# ', '<!-- draft -->', '```\nx = 1\n```']
    """
    spans = [
        (m.start(), m.end(), "markup") for m in re.finditer(r"^[ \t]*#{1,6}[ \t]+", text, re.M)
    ]
    spans += [(m.start(), m.end(), "markup") for m in _MARKDOWN_NOT_PROSE.finditer(text)]
    return sorted(spans)


def parse_text(text: str, source: str, *, markdown: bool = False) -> Document:
    """Turn the text of a .txt or .md article into a Document (metadata parsed, boilerplate listed)."""
    meta, spans = _header(text)
    body_start = max((e for _, e, _ in spans), default=0)
    rest = boilerplate_spans(text[body_start:])
    spans += [(s + body_start, e + body_start, r) for s, e, r in rest]
    if markdown:
        spans += _markdown_spans(text)
    doc = Document(
        text=text,
        source=source,
        title=meta.get("title", ""),
        published=parse_date(meta["date"]) if "date" in meta else None,
        publisher=meta.get("source", meta.get("publisher", "")),
        url=meta.get("url", ""),
        external_id=meta.get("id", ""),
        ignored=tuple(_merge(spans)),
    )
    letters = sum(ch.isalpha() for ch in doc.masked_text())
    if letters < MIN_LETTERS:  # a metadata header alone is no article
        raise InputError(source, f"no article text (only {letters} letters after the metadata)")
    if not doc.title:
        doc = replace(doc, title=_first_line_title(doc))
    return doc


def _first_line_title(doc: Document) -> str:
    masked = doc.masked_text()
    for line in masked.splitlines():
        line = line.strip()
        if line:
            return line[:120]
    return Path(doc.source).stem


_DROP_TAGS = (
    "script, style, noscript, nav, header, footer, aside, form, iframe, svg, template, button"
)
_BLOCK_TAGS = "h1, h2, h3, h4, h5, h6, p, li, blockquote, pre, figcaption, td"


_BLOCK_SET = {t.strip() for t in _BLOCK_TAGS.split(",")}


def _has_block_inside(node: Any) -> bool:
    """True when a block element (a paragraph inside a list item, say) lies below ``node``."""
    for child in node.iter(include_text=False):
        if child.tag in _BLOCK_SET or _has_block_inside(child):
            return True
    return False


def _strip_site_name(title: str, site: str) -> str:
    """'Biden says ... | Potomac Ledger' -> 'Biden says ...' when the suffix is the site name."""
    if site:
        for sep in (" | ", " - ", " – ", " — ", " :: "):
            if title.endswith(sep + site):
                return title[: -len(sep + site)].strip()
    return title


def parse_html(html: str, source: str) -> Document:
    """Extract the article text and metadata of an HTML page.

    Scripts, styles, navigation, headers, footers and forms are dropped; the text is taken
    from ``<article>`` (else ``<main>``, else ``<body>``), one paragraph per block element.

    >>> d = parse_html("<html><head><title>T</title><script>x()</script></head><body><nav>Home"
    ...     "</nav><article><p>Egypt opened the Rafah crossing on Wednesday for people.</p>"
    ...     "</article></body></html>", "a.html")
    >>> d.title, d.text
    ('T', 'Egypt opened the Rafah crossing on Wednesday for people.')
    """
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)

    def meta(*selectors: str) -> str:
        for sel in selectors:
            node = tree.css_first(sel)
            if node is not None:
                value = node.attributes.get("content") or node.attributes.get("href") or ""
                if value:
                    return value.strip()
        return ""

    title_node = tree.css_first("title")
    title = meta('meta[property="og:title"]') or (title_node.text(strip=True) if title_node else "")
    published = meta(
        'meta[property="article:published_time"]',
        'meta[name="date"]',
        'meta[name="pubdate"]',
        'meta[itemprop="datePublished"]',
    )
    if not published:
        time_node = tree.css_first("time[datetime]")
        published = time_node.attributes.get("datetime") or "" if time_node else ""
    publisher = meta('meta[property="og:site_name"]', 'meta[name="publisher"]')
    url = meta('link[rel="canonical"]', 'meta[property="og:url"]')
    for node in tree.css(_DROP_TAGS):
        node.decompose()
    root = tree.css_first("article") or tree.css_first("main") or tree.body
    if root is None:
        raise InputError(source, "HTML page has no body")
    blocks = [
        " ".join(node.text(separator=" ").split())
        for node in root.css(_BLOCK_TAGS)
        if not _has_block_inside(node)
    ]
    text = "\n\n".join(b for b in blocks if b) or " ".join(root.text(separator=" ").split())
    _check_sensible(text, source)
    if not title:
        h1 = root.css_first("h1")
        title = h1.text(strip=True) if h1 else ""
    title = _strip_site_name(title, publisher)
    ignored = tuple(boilerplate_spans(text))
    return Document(
        text=text,
        source=source,
        title=title,
        published=parse_date(published) if published else None,
        publisher=publisher,
        url=url,
        ignored=ignored,
    )


def parse_record(record: object, source: str) -> Document:
    """Turn one JSON Lines record (``id, title, date, source, url, text``) into a Document.

    >>> parse_record({"id": "r1", "text": "Qatar mediated an agreement between the parties.",
    ...               "date": "2023-11-01"}, "a.jsonl:1").published
    datetime.date(2023, 11, 1)
    """
    if not isinstance(record, dict):
        raise InputError(source, "a JSON Lines record must be an object with a 'text' field")
    text = record.get("text") or record.get("body")
    if not isinstance(text, str) or not text.strip():
        raise InputError(source, "record has no 'text'")
    _check_sensible(text, source)
    doc = parse_text(text, source)
    raw_date = record.get("date") or record.get("published")
    return replace(
        doc,
        title=str(record.get("title") or doc.title),
        published=parse_date(str(raw_date)) if raw_date else doc.published,
        publisher=str(record.get("source") or record.get("publisher") or doc.publisher),
        url=str(record.get("url") or doc.url),
        external_id=str(record.get("id") or record.get("newid") or doc.external_id),
    )


def _json_lines(
    data: bytes, source: str, on_error: Callable[[InputError], None]
) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """The lines of a JSON Lines file, each decoded and checked on its own: (``file:line``,
    text, warnings).  Lines end at ``\\n`` only (JSON text may hold U+2028, U+0085 and other
    characters Python's ``splitlines`` breaks at).  A line that is not UTF-8 is decoded by the
    encoding detected from all such lines, with a warning naming it; a line with NUL bytes is
    reported; the other lines are not affected."""
    if not data.strip():
        raise InputError(source, "the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        text, _ = decode(data, source)  # UTF-16/32: whole-file, then lines
        lines = [line.encode("utf-8") for line in text.split("\n")]
    else:
        lines = data.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    decoded: dict[int, str] = {}
    foreign: list[int] = []
    for i, raw in enumerate(lines):
        if not raw.strip():
            continue
        try:
            decoded[i] = raw.decode("utf-8")
        except UnicodeDecodeError:
            foreign.append(i)
    encoding = ""
    if foreign:
        encoding = detect_encoding(b"\n".join(lines[i] for i in foreign)) or "cp1252"
    for i in sorted([*decoded, *foreign]):
        where = f"{source}:{i + 1}"
        warnings: tuple[str, ...] = ()
        if i in decoded:
            line = decoded[i]
        else:
            line = lines[i].decode(encoding, errors="replace")
            warnings = (f"{where}: not UTF-8; decoded as {encoding} by detection",)
        if "\x00" in line:
            on_error(InputError(where, "NUL bytes in the line, not a JSON record"))
            continue
        yield where, line.rstrip("\r"), warnings


def read_file(path: Path, on_error: Callable[[InputError], None]) -> Iterator[Document]:
    """Read one file (any supported suffix); bad JSONL lines go to ``on_error``."""
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror or exc}") from None
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        for where, line, warnings in _json_lines(data, source, on_error):
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                on_error(InputError(where, f"not JSON ({exc.msg})"))
                continue
            except RecursionError:
                on_error(InputError(where, "not JSON kg can read (nested too deeply)"))
                continue
            try:
                yield replace(parse_record(record, where), warnings=warnings)
            except InputError as exc:
                on_error(exc)
        return
    text, warnings = decode(data, source)
    if suffix in {".html", ".htm"}:
        doc = parse_html(text, source)
    else:
        doc = parse_text(text, source, markdown=suffix in {".md", ".markdown"})
    yield replace(doc, warnings=warnings)


def expand_paths(inputs: Iterable[str | Path]) -> tuple[list[Path], list[InputError]]:
    """Expand files, folders (recursively, article suffixes only) and globs, in a stable order."""
    files: list[Path] = []
    problems: list[InputError] = []
    for item in inputs:
        raw = str(item)
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
            )
            if not found:
                problems.append(
                    InputError(raw, "folder has no articles (.txt, .md, .html, .jsonl)")
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif glob.has_magic(raw):
            matched = sorted(Path(p) for p in glob.glob(raw, recursive=True) if Path(p).is_file())
            if not matched:
                problems.append(InputError(raw, "pattern matches no files"))
            files.extend(matched)
        else:
            problems.append(InputError(raw, "no such file or folder"))
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, problems


def read_documents(
    inputs: Iterable[str | Path], on_error: Callable[[InputError], None]
) -> Iterator[Document]:
    """Yield the documents of every input; each unreadable file or record goes to ``on_error``."""
    files, problems = expand_paths(inputs)
    for problem in problems:
        on_error(problem)
    for path in files:
        try:
            yield from read_file(path, on_error)
        except InputError as exc:
            on_error(exc)


__all__ = [
    "boilerplate_spans",
    "decode",
    "expand_paths",
    "parse_date",
    "parse_html",
    "parse_record",
    "parse_text",
    "read_documents",
    "read_file",
]
