"""Write outputs so that an interrupted run never leaves half a file: temporary file, then rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO


def _usual_mode() -> int:
    """mkstemp makes owner-only files; outputs get the permissions the umask gives new files."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text_atomic(path: Path, text: str) -> Path:
    """Write one file atomically."""
    writer = AtomicWriter(path.parent, [path.name])
    try:
        writer.write(path.name, text)
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    return path


class AtomicWriter:
    """Write several files under temporary names; rename them all only on success."""

    def __init__(self, out_dir: Path, names: list[str]) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        self.handles: dict[str, IO[str]] = {}
        self.tmp_paths: dict[str, Path] = {}
        for name in names:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            self.handles[name] = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
            self.tmp_paths[name] = Path(tmp)

    def write(self, name: str, text: str) -> None:
        self.handles[name].write(text)

    def write_line(self, name: str, line: str) -> None:
        self.handles[name].write(line + "\n")

    def commit(self) -> None:
        mode = _usual_mode()
        for name, handle in self.handles.items():
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
            # mkstemp makes owner-only files; outputs get the usual permissions.
            os.chmod(self.tmp_paths[name], mode)
            os.replace(self.tmp_paths[name], self.out_dir / name)

    def abort(self) -> None:
        for name, handle in self.handles.items():
            handle.close()
            with contextlib.suppress(FileNotFoundError):
                self.tmp_paths[name].unlink()
