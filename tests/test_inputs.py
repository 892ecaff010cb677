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


def test_utf16_files_with_a_byte_order_mark_are_read_in_either_order() -> None:
    text = "Japan – Korea: talks resume in Seoul.\n"
    assert decode_text(text.encode("utf-16")) == text  # the platform's order, with its mark
    assert decode_text(b"\xfe\xff" + text.encode("utf-16-be")) == text
    assert decode_text(b"\xff\xfe" + text.encode("utf-16-le")) == text


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ("Japan - Korea".encode("utf-16")[:-1], "E004"),  # cut inside a character
        (b"\xff\xfe" + b"\x00\xd8A\x00", "E003"),  # a lone surrogate
        (b"\xff\xfe", "E001"),  # the mark alone
        (b"\xff\xfe" + "a\x00b".encode("utf-16-le"), "E002"),  # NUL characters
        (b"\xff\xfe" + ("".join(map(chr, range(1, 9))) * 64).encode("utf-16-le"), "E002"),  # controls
    ],
)
def test_bad_utf16_files_get_their_own_codes(data: bytes, code: str) -> None:
    with pytest.raises(PipelineError) as err:
        decode_text(data)
    assert err.value.code == code


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
    assert errors == [] and [(s.path.name, s.reason) for s in skipped] == [
        (".hidden", "a hidden folder"),
        ("notes.md", "not a .txt, .html or .pdf article"),
    ]


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


def test_every_path_is_accounted_for(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "issue"
    folder.mkdir()
    (folder / "good.txt").write_text("Talks resumed.", encoding="utf-8")
    (folder / ".draft.txt").write_text("x", encoding="utf-8")
    os.symlink(folder / "gone.txt", folder / "broken.txt")
    os.symlink(folder / "loop-b.txt", folder / "loop-a.txt")
    os.symlink(folder / "loop-a.txt", folder / "loop-b.txt")
    os.mkfifo(folder / "pipe.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    (folder / "alias.txt").symlink_to(folder / "good.txt")
    files, errors, passed = discover([folder, folder / "good.txt", folder / "pipe.txt", folder / "loop-a.txt"])
    assert [f.name for f in files] == ["alias.txt"]  # good.txt is the same file: read once
    reasons = {p.path.name: p.reason for p in passed}
    assert reasons == {
        ".draft.txt": "a hidden file",
        "broken.txt": "a broken symbolic link",
        "loop-a.txt": "a symbolic link that loops",
        "loop-b.txt": "a symbolic link that loops",
        "pipe.txt": "not a regular file (a pipe, socket or device)",
        "zero.txt": "not a regular file (a pipe, socket or device)",
    }
    assert [(e.path.name, e.code) for e in errors] == [("pipe.txt", "E015"), ("loop-a.txt", "E016")]


def test_an_unreadable_folder_is_an_error_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import pipeline.inputs as inputs

    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    real_walk = os.walk

    def walk_with_a_locked_folder(top, onerror=None, **kwargs):  # type: ignore[no-untyped-def]
        # What os.walk does when it cannot list a folder (tests run as root, so chmod cannot).
        onerror(PermissionError(13, "Permission denied", str(tmp_path / "locked")))
        yield from real_walk(top, onerror=onerror, **kwargs)

    monkeypatch.setattr(inputs.os, "walk", walk_with_a_locked_folder)
    files, errors, _ = discover([tmp_path])
    assert [f.name for f in files] == ["a.txt"]
    assert [(e.path.name, e.code) for e in errors] == [("locked", "E017")]


def test_a_file_under_an_unreadable_folder_named_directly_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "locked" / "a.txt"
    real_stat = Path.stat

    def stat(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self == target:
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", stat)
    files, errors, _ = discover([target])
    assert files == [] and [(e.code, e.path) for e in errors] == [("E007", target)]


def test_nul_bytes_after_the_first_block_are_binary_too() -> None:
    from pipeline.errors import PipelineError
    from pipeline.inputs import decode_text

    data = b"Talks resumed.\n" * 1000 + b"\x00hidden"
    with pytest.raises(PipelineError) as err:
        decode_text(data)
    assert err.value.code == "E002"
