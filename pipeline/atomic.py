"""Write outputs so that an interrupted run never leaves half a file: temporary file, then rename."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import socket
import tempfile
import time
from pathlib import Path
from typing import IO, Any

from pipeline.errors import PipelineError

log = logging.getLogger(__name__)


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
        # What was written to each file, for the manifest a run writes last.
        self.digests: dict[str, Any] = {name: hashlib.sha256() for name in names}
        self.lines: dict[str, int] = dict.fromkeys(names, 0)
        for name in names:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            self.handles[name] = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
            self.tmp_paths[name] = Path(tmp)

    def write(self, name: str, text: str) -> None:
        self.handles[name].write(text)
        self.digests[name].update(text.encode("utf-8"))
        self.lines[name] += text.count("\n")

    def write_line(self, name: str, line: str) -> None:
        self.write(name, line + "\n")

    def manifest(self) -> dict[str, dict[str, Any]]:
        """Each file's sha256 and line count, as written."""
        return {name: {"sha256": self.digests[name].hexdigest(), "lines": self.lines[name]} for name in self.handles}

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


LOCK_FILE = ".ccpipeline.lock"


class OutputLock:
    """One run at a time writes an output folder.

    ``acquire`` creates ``<folder>/.ccpipeline.lock`` (exclusively) holding the owner's pid and
    host. A second run finds it and is refused with the owner named; a lock whose owner process
    is gone (a killed run on this host) is taken over, and that run's temporary files are
    removed, since nobody is writing them any more.
    """

    def __init__(self, out_dir: Path, wait_seconds: float = 0.0, poll_seconds: float = 0.5) -> None:
        self.out_dir = out_dir
        self.path = out_dir / LOCK_FILE
        self.held = False
        self.wait_seconds = wait_seconds
        self.poll_seconds = poll_seconds

    def acquire(self) -> None:
        """Take the folder, or raise E070 naming the run that holds it. With ``wait_seconds``
        the run waits that long for the other one to finish (saying so once on the log)."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.wait_seconds
        said = False
        while True:
            busy = self._try_once()
            if busy is None:
                return
            if time.monotonic() >= deadline:
                waited = f" (waited {self.wait_seconds:g} s)" if self.wait_seconds else ""
                hint = "wait for it to finish, give --wait SECONDS, or give another --out"
                raise PipelineError("E070", f"the output folder {self.out_dir} is being written by {busy}{waited}; {hint}")
            if not said:
                log.warning("%s is being written by %s; waiting up to %g s", self.out_dir, busy, self.wait_seconds)
                said = True
            time.sleep(min(self.poll_seconds, max(0.0, deadline - time.monotonic())))

    def _try_once(self) -> str | None:
        """Take the lock (None), or say who holds it."""
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                owner = self._owner()
                if owner is None and self._fresh():
                    # Another run created it a moment ago and is still writing its name in.
                    return "another run that is just starting"
                if owner is not None and self._alive(owner):
                    return f"another run (pid {owner.get('pid')} on {owner.get('host')})"
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()  # its owner is gone
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}, handle)
            self.held = True
            remove_stale_temporaries(self.out_dir)
            return None
        return "another run (the lock file keeps coming back)"

    def release(self) -> None:
        if self.held:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            self.held = False

    def _fresh(self, seconds: float = 10.0) -> bool:
        """The lock file was made in the last ``seconds`` (its owner may not have written yet)."""
        try:
            return time.time() - self.path.stat().st_mtime < seconds
        except FileNotFoundError:
            return False

    def _owner(self) -> dict[str, object] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # half-written by a run killed while locking
        return data if isinstance(data, dict) else None

    @staticmethod
    def _alive(owner: dict[str, object]) -> bool:
        if owner.get("host") != socket.gethostname():
            return True  # another machine's run: it cannot be checked, so it is respected
        pid = owner.get("pid")
        if not isinstance(pid, int):
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


# The annotate outputs whose temporary files a killed run can leave behind.
ANNOTATE_OUTPUTS = ("articles.jsonl", "chronology.jsonl", "issues.jsonl", "errors.jsonl", "passed_over.jsonl")


def remove_stale_temporaries(out_dir: Path, names: tuple[str, ...] = ANNOTATE_OUTPUTS) -> list[Path]:
    """Temporary files of ``names`` left by killed runs (``.<name>.<random>.tmp``); call only
    while holding the folder's lock."""
    removed = []
    stale = [p for name in names for p in out_dir.glob(f".{name}.*.tmp")]
    for path in stale:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed
