"""Reading input files: formats, and a coded error for each kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.inputs import decode_text, discover, html_to_text, read_article


def test_empty_file_is_E001() -> None:
    with pytest.raises(PipelineError) as err:
        decode_text(b"  \n\t\n")
    assert err.value.code == "E001"


def test_binary_file_is_E002() -> None:
    with pytest.raises(PipelineError) as err:
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert err.value.code == "E002"


def test_utf16_file_is_E002_with_a_hint() -> None:
    with pytest.raises(PipelineError) as err:
        decode_text("Japan - Korea".encode("utf-16"))
    assert err.value.code == "E002" and "UTF-16" in err.value.message


def test_latin1_file_is_E003_naming_the_byte() -> None:
    with pytest.raises(PipelineError) as err:
        decode_text("Relations between Séoul and Tokyo".encode("latin-1"))
    assert err.value.code == "E003" and "0xe9" in err.value.message


def test_cut_inside_a_character_is_E004() -> None:
    with pytest.raises(PipelineError) as err:
        decode_text("The thaw — began".encode()[:-8])  # cuts the em dash's three bytes
    assert err.value.code == "E004"


def test_enormous_file_is_E005() -> None:
    with pytest.raises(PipelineError) as err:
        decode_text(b"a" * 101, max_bytes=100)
    assert err.value.code == "E005"


def test_bom_is_kept_for_the_reading_step() -> None:
    assert decode_text("\ufeffArticles\n".encode()) == "\ufeffArticles\n"


def test_unsupported_named_file_is_E006_and_missing_path_E008(tmp_path: Path) -> None:
    doc = tmp_path / "article.docx"
    doc.write_bytes(b"PK\x03\x04")
    files, errors, _ = discover([doc, tmp_path / "nope.txt"])
    assert files == []
    assert [(e.code, e.path.name) for e in errors] == [("E006", "article.docx"), ("E008", "nope.txt")]
    assert "unsupported format" in errors[0].message


def test_directory_walk_is_sorted_and_passes_over_other_files(tmp_path: Path) -> None:
    for name in ["b.txt", "a.html", "notes.md", "sub/c.txt", ".hidden/d.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    files, errors, skipped = discover([tmp_path])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a.html", "b.txt", "sub/c.txt"]
    assert errors == [] and [s.name for s in skipped] == ["notes.md"]


def test_html_page_is_read_with_a_parser_not_regexes() -> None:
    page = (
        "<html><head><style>p{}</style><script>var x = '<p>not text</p>';</script></head><body>"
        "<nav>Menu</nav><article><h1>Title &amp; more</h1><p>First <b>bold</b> line.</p>"
        "<p>Second&nbsp;line<br>after break</p></article><footer>foot</footer></body></html>"
    )
    assert html_to_text(page) == "Title & more\n\nFirst bold line.\n\nSecond line\n\nafter break\n"


def test_html_without_text_is_E009(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><body><script>1</script></body></html>", encoding="utf-8")
    with pytest.raises(PipelineError) as err:
        read_article(page)
    assert err.value.code == "E009"


def test_read_article_records_sha256(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"Articles\n")
    article = read_article(path)
    import hashlib

    assert article.sha256 == hashlib.sha256(b"Articles\n").hexdigest()


def test_deeply_nested_html_is_read_without_recursion() -> None:
    from pipeline.inputs import html_to_text

    deep = "<html><body>" + "<b>" * 5000 + "Talks resumed." + "</b>" * 5000 + "<div>" * 3000 + "Then they stopped." + "</body></html>"
    assert html_to_text(deep) == "Talks resumed.\n\nThen they stopped.\n"
