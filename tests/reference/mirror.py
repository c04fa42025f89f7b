"""A local HTTP server on 127.0.0.1 standing in for an organisation's mirror of the publishers' hosts.

``FHUB_REFERENCE_MIRROR`` replaces scheme and host of every pinned URL, so a request for
``https://raw.githubusercontent.com/<owner>/<repo>/<commit>/<path>`` arrives here as ``/<owner>/<repo>/...``.
:func:`serve_shared` routes every pinned URL's path to the file with the same relative path in
``../shared/data/real`` - the shared folder served as the mirror. Routes can also serve other bytes, cut a
body short, stall, or answer with an HTTP error, to test what a fetch does when the network misbehaves.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class Route:
    body: bytes = b""
    file: Path | None = None
    status: int = 200
    truncate_at: int | None = None  # send the full Content-Length, then close after this many bytes
    stall: float = 0.0  # seconds to wait before sending the body

    def content(self) -> bytes:
        return self.file.read_bytes() if self.file is not None else self.body


def url_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Mirror:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                mirror.requests.append(self.path)
                route = mirror.routes.get(self.path)
                if route is None:
                    self.send_error(404, "not on this mirror")
                    return
                if route.status != 200:
                    self.send_error(route.status)
                    return
                data = route.content()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Content-Type", "application/octet-stream")
                self.end_headers()
                if route.stall:
                    time.sleep(route.stall)
                if route.truncate_at is not None:
                    self.wfile.write(data[: route.truncate_at])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(data)

            def log_message(self, *args) -> None:  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def serve(self, url: str, **route) -> None:
        """Answer requests for ``url``'s path (and query) with ``Route(**route)``."""
        self.routes[url_path(url)] = Route(**route)

    def __enter__(self) -> Mirror:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve_shared(mirror: Mirror, shared: Path, downloads) -> list:
    """Route every URL of every download whose file is in the shared folder to that file; returns them."""
    served = []
    for d in downloads:
        source = shared / d.path
        if source.is_file():
            for src in d.urls:
                mirror.serve(src.url, file=source)
            served.append(d)
    return served


def closed_port_url() -> str:
    """A loopback URL nobody listens on (bound, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"
