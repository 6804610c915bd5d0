"""Reading articles: metadata, boilerplate, HTML, encodings, bad files, JSONL, paths."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.ingest import (
    boilerplate_spans,
    decode,
    expand_paths,
    parse_html,
    parse_record,
    parse_text,
    read_documents,
    read_file,
)
from kg.model import Document, content_id
from kg.resources import SAMPLE_DIR

BODY = (
    "Qatar mediated an agreement between Egypt, Israel and Hamas on Wednesday.\n\n"
    "Egypt opened the Rafah crossing to foreign passport holders.\n"
)


def ignored_texts(doc: Document) -> list[str]:
    return [doc.text[s:e] for s, e, _ in doc.ignored]


def reasons(doc: Document) -> dict[str, str]:
    return {doc.text[s:e]: why for s, e, why in doc.ignored}


def check_spans(doc: Document) -> None:
    """Spans are in range, sorted, disjoint; masking keeps length and every other character."""
    previous_end = -1
    for start, end, reason in doc.ignored:
        assert 0 <= start < end <= len(doc.text), (start, end, reason)
        assert start > previous_end, doc.ignored
        previous_end = end
    masked = doc.masked_text()
    assert len(masked) == len(doc.text)
    inside: set[int] = set()
    for start, end, _ in doc.ignored:
        inside.update(range(start, end))
    for i, (orig, new) in enumerate(zip(doc.text, masked, strict=True)):
        if i in inside:
            assert new == (orig if orig in "\n\r" else " "), (i, orig, new)
        else:
            assert new == orig, (i, orig, new)


def no_error(exc: InputError) -> None:
    raise AssertionError(f"unexpected input error: {exc}")


def collect(inputs: list[str | Path]) -> tuple[list[Document], list[InputError]]:
    errors: list[InputError] = []
    docs = list(read_documents(inputs, errors.append))
    return docs, errors


# --------------------------------------------------------------------------- metadata


def test_metadata_header_block_is_parsed_and_ignored_not_cut() -> None:
    header = (
        "title: Qatar brokers a deal\n"
        "date: 2023-11-01\n"
        "source: Harbour Line News\n"
        "url: https://example.org/a/1\n"
        "\n"
    )
    text = header + BODY
    doc = parse_text(text, "a.txt")
    assert doc.text == text
    assert doc.title == "Qatar brokers a deal"
    assert doc.published == date(2023, 11, 1)
    assert doc.publisher == "Harbour Line News"
    assert doc.url == "https://example.org/a/1"
    assert doc.ignored[0] == (0, len(header) - 1, "metadata")
    assert ignored_texts(doc)[0] == header[:-1]
    assert "Qatar mediated" in doc.masked_text()
    assert "Harbour" not in doc.masked_text()
    check_spans(doc)


def test_header_keys_are_case_insensitive_and_publisher_alias() -> None:
    doc = parse_text("Title: T1\nPublisher: P1\nID: x-7\n\n" + BODY, "a.txt")
    assert (doc.title, doc.publisher, doc.external_id) == ("T1", "P1", "x-7")


def test_a_colon_line_that_is_not_metadata_is_body_text() -> None:
    text = "Officials said: the border stays closed for travellers.\n\n" + BODY
    doc = parse_text(text, "a.txt")
    assert doc.ignored == ()
    assert doc.published is None
    assert doc.title == "Officials said: the border stays closed for travellers."


def test_header_without_body_is_not_metadata() -> None:
    doc = parse_text("title: Only a header line and nothing after it\n", "a.txt")
    assert doc.ignored == ()


def test_leading_inline_date() -> None:
    text = " date 2023-11-07 On Wednesday, 300 people left Gaza through Rafah.\n\nMore text here.\n"
    doc = parse_text(text, "a.txt")
    assert doc.text == text
    assert doc.published == date(2023, 11, 7)
    assert doc.ignored == ((0, 17, "metadata"),)
    assert ignored_texts(doc) == [" date 2023-11-07 "]
    assert doc.text[17:].startswith("On Wednesday")
    assert doc.masked_text() == " " * 17 + text[17:]
    assert doc.title == "On Wednesday, 300 people left Gaza through Rafah."


@pytest.mark.parametrize("prefix", ["date: 2023-11-07 ", "date 2023-11-07\t"])
def test_inline_date_variants(prefix: str) -> None:
    doc = parse_text(prefix + "Egypt opened the Rafah crossing on Wednesday.", "a.txt")
    assert doc.published == date(2023, 11, 7)
    assert ignored_texts(doc) == [prefix]


def test_title_falls_back_to_first_unignored_line() -> None:
    doc = parse_text("Loading...\n\nEgypt opened the Rafah crossing.\nMore.", "x/y.txt")
    assert doc.title == "Egypt opened the Rafah crossing."


# --------------------------------------------------------------------------- boilerplate


def test_loading_placeholder() -> None:
    text = BODY + "\nLoading...\n\nLoading…\n\nMore text follows about the crossing.\n"
    doc = parse_text(text, "a.txt")
    assert ignored_texts(doc) == ["Loading...", "Loading…"]
    assert set(reasons(doc).values()) == {"loading placeholder"}
    check_spans(doc)


def test_loading_inside_a_sentence_is_kept() -> None:
    doc = parse_text("Trucks were loading... aid at the border crossing all day.", "a.txt")
    assert doc.ignored == ()


def test_newsletter_signup_paragraph() -> None:
    signup = (
        "Sign up for our daily briefing to receive the day's top stories by email every morning."
    )
    text = BODY + "\n" + signup + "\n\nThe crossing closed again in the evening.\n"
    doc = parse_text(text, "a.txt")
    assert reasons(doc) == {signup: "sign-up prompt"}
    assert "crossing closed again" in doc.masked_text()
    check_spans(doc)


def test_copyright_lines() -> None:
    text = BODY + "\nCopyright 2023 Harbour Line News. All rights reserved.\n© 2023 Other Paper\n"
    doc = parse_text(text, "a.txt")
    assert reasons(doc) == {
        "Copyright 2023 Harbour Line News. All rights reserved.": "copyright line",
        "© 2023 Other Paper": "copyright line",
    }
    check_spans(doc)


def test_photo_credit_ignored_caption_kept() -> None:
    line = "Jane Doe / AP / AP Caption: travellers wait at the gate of the terminal."
    text = BODY + "\n" + line + "\n"
    doc = parse_text(text, "a.txt")
    assert ignored_texts(doc) == ["Jane Doe / AP / AP"]
    assert reasons(doc)["Jane Doe / AP / AP"] == "photo credit"
    assert "Caption: travellers wait at the gate of the terminal." in doc.masked_text()
    check_spans(doc)


def test_photo_credit_with_slashed_agency() -> None:
    line = "Mohammed Abed / AFP/Getty Images / AFP/Getty Images"
    doc = parse_text(BODY + "\n" + line + "\nPeople queue at the Rafah crossing.\n", "a.txt")
    assert reasons(doc) == {line: "photo credit"}
    assert "People queue" in doc.masked_text()


def test_sample_photo_credit_in_corpus() -> None:
    path = SAMPLE_DIR / "02-crossing-opens.txt"
    (doc,) = read_file(path, no_error)
    credit = "Mara Lindqvist / Reuters / Reuters"
    assert credit in ignored_texts(doc)
    assert "Travellers wait with their bags" in doc.masked_text()


def test_sample_boilerplate_in_corpus() -> None:
    (doc,) = read_file(SAMPLE_DIR / "01-agreement.txt", no_error)
    found = reasons(doc)
    assert found["Loading..."] == "loading placeholder"
    assert found["Copyright 2023 Harbour Line News. All rights reserved."] == "copyright line"
    assert any(why == "sign-up prompt" for why in found.values())
    assert doc.published == date(2023, 11, 1)
    check_spans(doc)


def test_boilerplate_spans_doctest_example() -> None:
    t = "Jane Roe / AP / AP Crowds wait.\nCopyright 2023 X. All rights reserved."
    assert [t[s:e] for s, e, _ in boilerplate_spans(t)] == [
        "Jane Roe / AP / AP",
        "Copyright 2023 X. All rights reserved.",
    ]


def test_masked_text_blanks_exactly_the_ignored_spans() -> None:
    text = (
        "title: T\ndate: 2023-11-01\n\nLoading...\nEgypt opened the crossing.\n"
        "Jane Doe / AP / AP Caption text.\n\nSubscribe to our newsletter by email today.\n"
        "Copyright 2023 X.\n"
    )
    doc = parse_text(text, "a.txt")
    check_spans(doc)
    masked = doc.masked_text()
    assert masked.count("\n") == text.count("\n")
    assert masked.split() == ["Egypt", "opened", "the", "crossing.", "Caption", "text."]


def test_markdown_heading_markers_are_ignored() -> None:
    (doc,) = read_file(SAMPLE_DIR / "03-wounded.md", no_error)
    assert "## " in ignored_texts(doc)
    assert "Conflicting figures" in doc.masked_text()
    assert "##" not in doc.masked_text()
    check_spans(doc)


# --------------------------------------------------------------------------- HTML


def test_html_sample_metadata_and_cleaning() -> None:
    (doc,) = read_file(SAMPLE_DIR / "04-washington.html", no_error)
    assert doc.title.startswith("Biden says Americans will start leaving Gaza")
    assert doc.published == date(2023, 11, 2)
    assert doc.publisher == "Potomac Ledger"
    assert doc.url == "https://example.org/potomac-ledger/2023/11/02/biden-americans-leave-gaza"
    for junk in ("ledgerStats", "font-family", "Politics", "Opinion", "Copyright", "pageview"):
        assert junk not in doc.text, junk
    paragraphs = [
        "President Joe Biden said on Wednesday that Americans trapped in Gaza",
        "National Security Council spokesperson John Kirby",
        "The US State Department was in touch with about 400 Americans",
        "Kirby said the process would continue over the coming days.",
    ]
    positions = [doc.text.find(p) for p in paragraphs]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_html_head_metadata_variants() -> None:
    html = (
        "<html><head><title>Page title</title>"
        '<meta property="og:title" content="OG title">'
        '<meta property="article:published_time" content="2023-11-01T09:30:00Z">'
        '<meta name="publisher" content="The Wire">'
        '<meta property="og:url" content="https://example.org/x">'
        "</head><body><main><p>Egypt opened the Rafah crossing on Wednesday for people.</p>"
        "</main><aside>Related stories here and there</aside>"
        "<form>Search the archive of stories</form></body></html>"
    )
    doc = parse_html(html, "a.html")
    assert (doc.title, doc.published, doc.publisher, doc.url) == (
        "OG title",
        date(2023, 11, 1),
        "The Wire",
        "https://example.org/x",
    )
    assert doc.text == "Egypt opened the Rafah crossing on Wednesday for people."


def test_html_time_element_date_and_h1_title() -> None:
    html = (
        "<html><body><article><h1>Crossing opens</h1><time datetime='2023-11-02'>Thu</time>"
        "<p>Egypt opened the Rafah crossing on Wednesday for people.</p></article></body></html>"
    )
    doc = parse_html(html, "a.html")
    assert doc.published == date(2023, 11, 2)
    assert doc.title == "Crossing opens"


def test_html_without_text_is_refused() -> None:
    with pytest.raises(InputError, match=r"a\.html: no article text"):
        parse_html("<html><body><nav>Home News World</nav><p>Hi</p></body></html>", "a.html")


# --------------------------------------------------------------------------- encodings, bad files


def test_latin1_file_decoded_with_warning(tmp_path: Path) -> None:
    text = "Le président égyptien a annoncé que la frontière à Rafah était ouverte. " * 3
    path = tmp_path / "latin.txt"
    path.write_bytes(text.encode("latin-1"))
    (doc,) = read_file(path, no_error)
    assert doc.text == text
    assert len(doc.warnings) == 1
    assert doc.warnings[0].startswith(f"{path}: not UTF-8; decoded as")


def test_cp1252_file_decoded_with_warning(tmp_path: Path) -> None:
    text = "“The crossing is open,” the officials said in Cairo — café owners cheered. " * 3
    path = tmp_path / "cp.txt"
    path.write_bytes(text.encode("cp1252"))
    (doc,) = read_file(path, no_error)
    assert doc.text == text
    assert doc.warnings and "not UTF-8" in doc.warnings[0]


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufefftitle: T\r\n\r\nEgypt opened the Rafah crossing.\r\n".encode())
    (doc,) = read_file(path, no_error)
    assert doc.text == "title: T\n\nEgypt opened the Rafah crossing.\n"
    assert doc.title == "T"
    assert doc.warnings == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n\t ", "the file is empty"),
        (b"Egypt\x00opened\x00the crossing" * 10, "binary data"),
        (b"Gaza 2023 ...\n", "no article text"),
        (bytes(range(1, 9)) * 200, "no sensible text"),
    ],
    ids=["empty", "whitespace", "nul-bytes", "too-short", "control-chars"],
)
def test_bad_files_are_refused_with_their_name(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as info:
        list(read_file(path, no_error))
    assert info.value.source == str(path)
    assert str(info.value).startswith(f"{path}: ")


def test_random_bytes_are_refused(tmp_path: Path) -> None:
    rng = random.Random(1234)
    data = bytes(rng.randrange(1, 256) for _ in range(3000))  # no NUL: not caught as binary
    path = tmp_path / "noise.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=r"noise\.txt: .*(encoding|sensible|no article)"):
        list(read_file(path, no_error))


def test_decode_refuses_binary_even_when_valid_utf8() -> None:
    with pytest.raises(InputError, match="binary data"):
        decode(("Egypt opened the crossing \x00" * 10).encode(), "x.txt")


def test_bad_file_among_good_ones_goes_to_on_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY)
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_bytes(b"\x00\x01\x02" * 50)
    docs, errors = collect([tmp_path])
    assert [Path(d.source).name for d in docs] == ["a.txt"]
    assert sorted(Path(e.source).name for e in errors) == ["b.txt", "c.txt"]


# --------------------------------------------------------------------------- JSON Lines


def test_jsonl_bad_line_reported_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "r1", "title": "One", "date": "2023-11-01", "text": BODY}),
        "{this is not json",
        "",
        json.dumps({"id": "r2", "source": "Wire", "url": "https://e.org/2", "body": BODY + "x"}),
        json.dumps({"id": "r3", "title": "no text"}),
        json.dumps(["a", "list"]),
    ]
    path.write_text("\n".join(lines) + "\n")
    docs, errors = collect([path])
    assert [d.external_id for d in docs] == ["r1", "r2"]
    assert [d.source for d in docs] == [f"{path}:1", f"{path}:4"]
    assert docs[0].title == "One" and docs[0].published == date(2023, 11, 1)
    assert docs[1].publisher == "Wire" and docs[1].url == "https://e.org/2"
    assert [e.source for e in errors] == [f"{path}:2", f"{path}:5", f"{path}:6"]
    assert "not JSON" in str(errors[0])
    assert "no 'text'" in str(errors[1])


def test_jsonl_record_without_text() -> None:
    with pytest.raises(InputError, match=r"f\.jsonl:3: record has no 'text'"):
        parse_record({"id": "x", "text": "   "}, "f.jsonl:3")


def test_jsonl_record_fields_override_text_header() -> None:
    doc = parse_record(
        {"text": "date: 2023-10-01\n\n" + BODY, "date": "November 2, 2023", "newid": 7}, "f:1"
    )
    assert doc.published == date(2023, 11, 2)
    assert doc.external_id == "7"


# --------------------------------------------------------------------------- paths


def test_folder_without_articles(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n")
    docs, errors = collect([tmp_path])
    assert docs == []
    assert len(errors) == 1
    assert errors[0].source == str(tmp_path)
    assert "folder has no articles" in str(errors[0])


def test_missing_path_and_empty_glob(tmp_path: Path) -> None:
    files, problems = expand_paths([tmp_path / "nope.txt", str(tmp_path / "*.xyz")])
    assert files == []
    assert [p.problem for p in problems] == ["no such file or folder", "pattern matches no files"]


def test_folders_are_read_recursively_articles_only(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b").mkdir()
    (tmp_path / "top.txt").write_text(BODY)
    (tmp_path / "a" / "mid.md").write_text(BODY)
    (tmp_path / "a" / "b" / "deep.HTML").write_text("<p>x</p>")
    (tmp_path / "a" / "b" / "feed.ndjson").write_text("")
    (tmp_path / "a" / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "a" / "notes.csv").write_text("x")
    files, problems = expand_paths([tmp_path])
    assert problems == []
    names = sorted(f.relative_to(tmp_path).as_posix() for f in files)
    assert names == ["a/b/deep.HTML", "a/b/feed.ndjson", "a/mid.md", "top.txt"]


def test_globs(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("one.txt", "two.txt", "three.md", "sub/four.txt"):
        (tmp_path / name).write_text(BODY + name)
    files, problems = expand_paths([str(tmp_path / "*.txt")])
    assert problems == []
    assert [f.name for f in files] == ["one.txt", "two.txt"]
    files, _ = expand_paths([str(tmp_path / "**" / "*.txt")])
    assert sorted(f.name for f in files) == ["four.txt", "one.txt", "two.txt"]


def test_duplicate_paths_read_once(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(BODY)
    same = tmp_path / "." / "a.txt"
    files, problems = expand_paths([path, same, tmp_path, str(tmp_path / "*.txt")])
    assert problems == []
    assert files == [path]
    docs, errors = collect([path, same, tmp_path])
    assert len(docs) == 1 and errors == []


def test_sample_corpus_reads_cleanly() -> None:
    docs, errors = collect([SAMPLE_DIR])
    assert errors == []
    assert len(docs) == len(list(SAMPLE_DIR.iterdir()))
    for doc in docs:
        assert doc.published is not None
        assert doc.publisher
        assert doc.url.startswith("https://example.org/")
        check_spans(doc)


# --------------------------------------------------------------------------- ids


def test_document_id_is_stable_content_hash(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY)
    (tmp_path / "b.txt").write_text(BODY)
    (tmp_path / "c.txt").write_text("title: Other\n\n" + BODY)
    docs, _ = collect([tmp_path])
    a, b, c = docs
    assert a.id == content_id(BODY) == b.id
    assert len(a.id) == 16 and int(a.id, 16) >= 0
    assert c.id != a.id
    again, _ = collect([tmp_path / "a.txt"])
    assert again[0].id == a.id


# --------------------------------------------------------------------------- property

BOILERPLATE = [
    "Loading...",
    "Loading…",
    "Copyright 2024 The Daily Example. All rights reserved.",
    "© 2024 Example Media",
    "All rights reserved.",
    "Advertisement",
    "Sign up for our newsletter to get the briefing in your inbox.",
    "Subscribe to our email briefing.",
    "Jane Doe / AP / AP",
    "Mohammed Abed / AFP/Getty Images / AFP/Getty Images",
]

_words = st.text(
    alphabet=st.characters(
        codec="utf-8", categories=["L", "N", "P", "Zs"], exclude_characters="\u2028\u2029\x85"
    ),
    min_size=0,
    max_size=60,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(st.one_of(_words, st.just("")), min_size=0, max_size=8),
    where=st.integers(min_value=0, max_value=8),
    boiler=st.sampled_from(BOILERPLATE),
    markdown=st.booleans(),
    inline_date=st.booleans(),
)
def test_property_ignored_spans_slice_original_and_mask_keeps_length(
    lines: list[str], where: int, boiler: str, markdown: bool, inline_date: bool
) -> None:
    where = min(where, len(lines))
    body = "Egypt opened the Rafah crossing on Wednesday, officials said."  # an article at all
    all_lines = [*lines[:where], "", boiler, "", *lines[where:], "", body]
    text = "\n".join(all_lines)
    if inline_date:
        text = " date 2023-11-07 " + text
    doc = parse_text(text, "p.txt", markdown=markdown)
    assert doc.text == text
    check_spans(doc)
    # The inserted boilerplate line lies inside an ignored span.
    start = text.index("\n" + boiler + "\n") + 1
    end = start + len(boiler)
    assert any(s <= start and end <= e for s, e, _ in doc.ignored), (boiler, doc.ignored)
    if inline_date:
        assert doc.published == date(2023, 11, 7)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_files_with_a_byte_order_mark_are_read(
    tmp_path: Path, encoding: str
) -> None:
    text = "Egypt opened the Rafah crossing on Wednesday, officials in Cairo said.\n"
    path = tmp_path / "wide.txt"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    (doc,) = read_file(path, no_error)
    assert doc.text == text


def _read_all(path: Path) -> tuple[list[Document], list[str]]:
    errors: list[str] = []
    docs = list(read_file(path, lambda e: errors.append(str(e))))
    return docs, errors


def test_json_lines_end_at_newlines_only(tmp_path: Path) -> None:
    """U+2028, U+2029 and U+0085 are legal unescaped in JSON strings; Python's splitlines
    breaks at them, which cut one record into bad lines and shifted every line number."""
    records = [
        {"id": "a", "text": "Egypt opened the crossing on Monday.\u2028Qatar said talks went on."},
        {"id": "b", "text": "Chad closed a border on Tuesday.\u2029Officials\u0085said so."},
        {"id": "c", "text": "Peru signed a trade deal with Chile on Friday, ministers said."},
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    docs, errors = _read_all(path)
    assert errors == []
    assert [d.external_id for d in docs] == ["a", "b", "c"]


def test_a_json_line_in_another_encoding_leaves_the_other_lines_alone(tmp_path: Path) -> None:
    good = {"id": "u", "text": "The café owner in Zürich said the crossing reopened on Monday."}
    other = {"id": "l", "text": "Señor García told reporters in Madrid that aid would be sent."}
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        json.dumps(good, ensure_ascii=False).encode("utf-8")
        + b"\n"
        + json.dumps(other, ensure_ascii=False).encode("latin-1")
        + b"\n"
    )
    docs, errors = _read_all(path)
    assert errors == []
    assert docs[0].text == good["text"] and docs[0].warnings == ()
    assert "García" in docs[1].text
    assert len(docs[1].warnings) == 1 and docs[1].warnings[0].startswith(f"{path}:2: not UTF-8")


def test_a_nul_byte_costs_only_its_json_line(tmp_path: Path) -> None:
    path = tmp_path / "nul.jsonl"
    path.write_bytes(
        b'{"id": "n1", "text": "Egypt opened the crossing \x00 on Monday, officials said."}\n'
        b'{"id": "n2", "text": "Qatar mediated talks on Friday, officials in Doha said."}\n'
    )
    docs, errors = _read_all(path)
    assert [d.external_id for d in docs] == ["n2"]
    assert errors == [f"{path}:1: NUL bytes in the line, not a JSON record"]


def test_western_european_text_in_latin1_is_not_read_as_another_code_page(tmp_path: Path) -> None:
    """Detection alone read short Latin-1 text as cp1250 or cp775 ("naïve" as "naďve")."""
    text = "A naïve déjà vu in Zürich, said the señor to the café owner on Monday.\n"
    path = tmp_path / "latin.txt"
    path.write_bytes(text.encode("latin-1"))
    (doc,) = read_file(path, no_error)
    assert doc.text == text


def test_a_json_line_nested_too_deeply_costs_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    good = '{"id": "g", "text": "Egypt opened the Rafah crossing on Monday, officials said."}'
    path.write_text("[" * 100_000 + "\n" + good + "\n")
    docs, errors = _read_all(path)
    assert [d.external_id for d in docs] == ["g"]
    assert errors == [f"{path}:1: not JSON kg can read (nested too deeply)"]


def test_a_lone_surrogate_becomes_a_replacement_character(tmp_path: Path) -> None:
    """JSON may escape half of a surrogate pair ("\\ud800"): no UTF-8 text can hold it."""
    path = tmp_path / "half.jsonl"
    path.write_text(
        '{"id": "s", "title": "Half \\ud800 pair", '
        '"text": "Egypt opened the Rafah \\ud800 crossing on Monday, officials said."}\n'
    )
    (doc,) = _read_all(path)[0]
    assert "\ufffd" in doc.text and "\ufffd" in doc.title
    assert len(doc.text) == len("Egypt opened the Rafah X crossing on Monday, officials said.")
    assert doc.id  # the content hash can be taken


def test_markdown_code_comments_and_bare_tags_are_not_read(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "<div align=center>\n\n<!-- editor: check the figures -->\n# Egypt opens crossing\n\n"
        "```\nQatar mediated nothing here\n```\n"
        "Egypt opened the Rafah crossing on Monday, officials said.\n"
    )
    (doc,) = read_file(path, no_error)
    assert doc.title == "Egypt opens crossing"
    masked = doc.masked_text()
    assert "Qatar" not in masked and "editor" not in masked and "div" not in masked
    assert "Egypt opened the Rafah crossing" in masked
    check_spans(doc)
