"""Claim the review app's address before announcing it, then serve the app on that socket.

Binding first means a taken port is reported (E080) before any URL is printed, so the analyst
never opens a tab on whatever other server already holds the port; serving the very socket
that was bound leaves no gap in which another program could take it.
"""

from __future__ import annotations

import errno
import socket
from typing import Any

from pipeline.errors import ERRORS, PipelineError


def _error(code: str, detail: str) -> PipelineError:
    return PipelineError(code, f"{ERRORS[code]}: {detail}")


def listen_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` and listening (port 0: any free port).

    Raises ``PipelineError`` E080 when the port is taken, E081 when the address cannot be
    listened on for another reason (not an address of this machine, a privileged port).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    # As uvicorn does: lets a restarted server rebind while old connections sit in TIME_WAIT;
    # on Linux it does not let two servers share a port one of them is listening on.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            other = port + 1 if port < 65535 else 8765
            raise _error(
                "E080",
                f"{where} is taken by another program (perhaps another review server); "
                f"start with --port and a free port, e.g. --port {other}",
            ) from exc
        raise _error("E081", f"{where}: {exc.strerror or exc}; choose --host or --port") from exc
    except OverflowError as exc:
        sock.close()
        raise _error("E081", f"{where}: the port must be 0-65535; choose --port") from exc
    return sock


def bound_url(sock: socket.socket, host: str) -> str:
    """The address a browser should open for a socket from ``listen_socket``."""
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(app: Any, sock: socket.socket, host: str) -> None:
    """Run ``app`` with uvicorn on the already-bound ``sock`` until interrupted."""
    import uvicorn

    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
