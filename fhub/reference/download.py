"""HTTP download of one reference file: streamed to a temporary file, hashed on the way, never left half-written.

Standard library only (``urllib``): proxies come from the usual ``HTTPS_PROXY``/``NO_PROXY`` variables, and
:func:`mirror_url` swaps the publisher's host for an organisation's mirror (``FHUB_REFERENCE_MIRROR``).
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

CHUNK = 1 << 20
#: Refuse anything larger (the biggest file today is ~2.6 MB; the EES release ZIP is the exception).
MAX_BYTES = 4 << 30
USER_AGENT = "fhub-reference-fetch/1 (London family hubs outcomes pipeline)"


class DownloadError(Exception):
    """A URL could not be downloaded. ``transient`` errors are retried before the next URL is tried."""

    def __init__(self, message: str, *, transient: bool, unreachable: bool = False) -> None:
        super().__init__(message)
        self.transient = transient
        self.unreachable = unreachable  # no connection to the host at all (name, route, refused, no answer)


@dataclass(frozen=True)
class Downloaded:
    path: Path  # a temporary file beside its destination; the caller installs or discards it
    sha256: str
    size: int


def mirror_url(url: str, mirror: str | None) -> str:
    """``https://host/a/b?q`` -> ``<mirror>/a/b?q``. A ``{host}`` in the mirror is replaced by the original
    host (``https://nexus.example/repository/{host}`` keeps one mirror path per publisher)."""
    if not mirror:
        return url
    if not mirror.startswith(("http://", "https://")):
        raise ValueError(f"FHUB_REFERENCE_MIRROR must start with http:// or https://, not {mirror!r}")
    parts = urlsplit(url)
    base = mirror.replace("{host}", parts.netloc).rstrip("/")
    return base + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def host_of(url: str) -> str:
    return urlsplit(url).netloc


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every filesystem lets a directory be opened
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def install(tmp: Path, dest: Path) -> None:
    """Atomically put a verified temporary file in place (same folder, so ``os.replace`` is one rename)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, dest)
    _fsync_dir(dest.parent)


def temp_beside(dest: Path) -> Path:
    """An empty temporary file in the destination folder, named so no landing pattern can match it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    os.close(fd)
    return Path(name)


def _open(url: str, timeout: float):
    if not url.startswith(("https://", "http://")):  # never file:, ftp: or anything else
        raise DownloadError(f"refusing to open {url!r}: only http(s) URLs are fetched", transient=False)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})  # noqa: S310
    try:
        return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - scheme checked above
    except urllib.error.HTTPError as exc:
        transient = exc.code >= 500 or exc.code == 429
        raise DownloadError(f"HTTP {exc.code} {exc.reason}", transient=transient) from exc
    except urllib.error.URLError as exc:
        raise DownloadError(
            f"cannot connect: {_reason(exc.reason)}", transient=True, unreachable=True
        ) from exc
    except TimeoutError as exc:
        raise DownloadError(f"no answer within {timeout:g} s", transient=True, unreachable=True) from exc
    except (ConnectionError, http.client.HTTPException) as exc:
        raise DownloadError(f"connection failed ({_reason(exc)})", transient=True) from exc


def _reason(exc: object) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 200 else text[:197] + "..."


def stream_to(url: str, tmp: Path, *, timeout: float, max_bytes: int = MAX_BYTES) -> tuple[str, int]:
    """GET ``url`` into ``tmp`` (overwritten), returning (sha256, size). A body shorter than the announced
    Content-Length, a stalled connection or an oversized body is a :class:`DownloadError`."""
    sha = hashlib.sha256()
    size = 0
    with _open(url, timeout) as resp:
        announced = resp.headers.get("Content-Length")
        expected = int(announced) if announced and announced.isdigit() else None
        try:
            with tmp.open("wb") as fh:
                while True:
                    chunk = resp.read(CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > max_bytes:
                        raise DownloadError(f"larger than {max_bytes:,} bytes; stopped", transient=False)
                    sha.update(chunk)
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
        except TimeoutError as exc:
            raise DownloadError(
                f"stalled: no data for {timeout:g} s after {size:,} bytes", transient=True
            ) from exc
        except (ConnectionError, http.client.HTTPException) as exc:
            raise DownloadError(
                f"connection broke after {size:,} bytes ({_reason(exc)})", transient=True
            ) from exc
    if expected is not None and size != expected:
        raise DownloadError(f"connection closed after {size:,} of {expected:,} bytes", transient=True)
    return sha.hexdigest(), size


def extract_member(zip_path: Path, member: str, tmp: Path) -> tuple[str, int]:
    """Copy one member of a ZIP into ``tmp`` (overwritten), returning (sha256, size). The member is found by
    its full name, else by a unique file name anywhere in the archive."""
    try:
        with zipfile.ZipFile(zip_path) as zf:
            names = zf.namelist()
            name = member if member in names else None
            if name is None:
                matches = [n for n in names if n.rsplit("/", 1)[-1] == member.rsplit("/", 1)[-1]]
                if len(matches) != 1:
                    raise DownloadError(
                        f"the ZIP has no member {member!r} ({len(names)} members)", transient=False
                    )
                name = matches[0]
            sha = hashlib.sha256()
            size = 0
            with zf.open(name) as src, tmp.open("wb") as fh:
                for chunk in iter(lambda: src.read(CHUNK), b""):
                    sha.update(chunk)
                    size += len(chunk)
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
    except zipfile.BadZipFile as exc:
        raise DownloadError(f"not a readable ZIP ({_reason(exc)})", transient=False) from exc
    return sha.hexdigest(), size


def download(
    url: str,
    dest: Path,
    *,
    extract: str | None = None,
    timeout: float = 60.0,
    attempts: int = 3,
    backoff: float = 2.0,
) -> Downloaded:
    """Download ``url`` (or the ``extract`` member of the ZIP it serves) to a temporary file beside ``dest``.

    Transient failures are retried ``attempts`` times with a growing pause. On failure nothing is left behind.
    """
    last: DownloadError | None = None
    for attempt in range(1, attempts + 1):
        tmp = temp_beside(dest)
        zip_tmp = temp_beside(dest) if extract else None
        try:
            if extract:
                stream_to(url, zip_tmp, timeout=timeout)
                sha, size = extract_member(zip_tmp, extract, tmp)
            else:
                sha, size = stream_to(url, tmp, timeout=timeout)
            return Downloaded(tmp, sha, size)
        except DownloadError as exc:
            tmp.unlink(missing_ok=True)
            last = exc
            if not exc.transient or attempt == attempts:
                break
            time.sleep(backoff * attempt)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        finally:
            if zip_tmp is not None:
                zip_tmp.unlink(missing_ok=True)
    assert last is not None
    raise last


def network_reachable(url: str, timeout: float = 5.0) -> tuple[bool, str]:
    """Whether ``url``'s server answers at all (any HTTP status counts), within about ``timeout`` seconds even
    when name resolution hangs. Returns (reachable, reason)."""
    outcome: list[tuple[bool, str]] = []

    def probe() -> None:
        try:
            with _open(url, timeout):
                outcome.append((True, "answered"))
        except DownloadError as exc:
            # an HTTP error status means the network works; only connection-level failures do not
            outcome.append((str(exc).startswith("HTTP "), str(exc)))

    worker = threading.Thread(target=probe, daemon=True)
    worker.start()
    worker.join(timeout + 2)
    if not outcome:
        return False, f"no answer from {host_of(url)} within {timeout:g} s"
    return outcome[0]
