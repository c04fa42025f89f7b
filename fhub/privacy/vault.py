"""Originals encrypted at rest: the bytes a borough sent, kept in ``archive/`` and ``quarantine/`` only as
Fernet-encrypted containers, streamed in chunks (a 200 MB delivery never needs 200 MB of memory).

Key. ``FHUB_ARCHIVE_KEY`` in the environment, or a Prefect Secret block named ``fhub-archive-key`` - the same
two sources as the pseudonymisation key (:mod:`fhub.pseudonymise`), but a separate secret, so rotating one
never makes the other unusable. Any text will do: the Fernet key is derived from it with HKDF-SHA256 (so a
passphrase or a ``Fernet.generate_key()`` string both work). Demo mode without a key uses
:data:`DEMO_ARCHIVE_KEY`, labelled ``demo``; production refuses to start without one (:class:`MissingKeyError`).

Container (``*.fenc``)::

    b"FHUB-ORIGINAL v1\\n"                                   16-byte magic
    repeated: 4-byte big-endian length, Fernet token         one token per chunk of <= 1 MiB
      token plaintext = b"D" + 8-byte chunk index + data
    last token plaintext = b"E" + 8-byte chunk count + sha256 (32 bytes) + 8-byte total size

Every token is authenticated (AES-128-CBC + HMAC-SHA256); the chunk index and the final record make a
reordered, truncated or spliced file fail to decrypt, and the final record carries the plaintext's sha256, so
a decrypted original is verified whole without knowing its name.
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fhub.pseudonymise import MissingKeyError, secret_from_prefect

ARCHIVE_KEY_ENV = "FHUB_ARCHIVE_KEY"
ARCHIVE_SECRET_BLOCK = "fhub-archive-key"
DEMO_ARCHIVE_KEY = "DEMO-ARCHIVE-KEY-not-for-real-data"
SUFFIX = ".fenc"
MAGIC = b"FHUB-ORIGINAL v1\n"
CHUNK = 1024 * 1024
_LEN = struct.Struct(">I")
_INDEX = struct.Struct(">Q")
_INFO = b"fhub: borough originals encrypted at rest, v1"


class OriginalUnreadable(ValueError):
    """A container that is not ours, was changed, truncated, or was encrypted with another key."""


@dataclass(frozen=True)
class OriginalsKey:
    """The key that encrypts originals; ``label`` is ``demo``, ``env`` or ``prefect-secret`` (never the key)."""

    fernet: Fernet
    label: str

    @classmethod
    def from_secret(cls, secret: str, label: str) -> OriginalsKey:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode("utf-8"))
        return cls(Fernet(base64.urlsafe_b64encode(derived)), label)

    @classmethod
    def demo(cls) -> OriginalsKey:
        return cls.from_secret(DEMO_ARCHIVE_KEY, "demo")


def resolve_originals_key(mode: str | None = None, *, env: Mapping[str, str],
                          use_prefect: bool = False) -> OriginalsKey:
    """The originals key from ``FHUB_ARCHIVE_KEY`` or the Prefect Secret block ``fhub-archive-key``; the labelled
    demo key in demo mode; :class:`MissingKeyError` in production without one."""
    return OriginalsKey.from_secret(*resolve_originals_secret(mode, use_prefect=use_prefect, env=env))


def resolve_originals_secret(mode: str | None = None, *, env: Mapping[str, str],
                             use_prefect: bool = False) -> tuple[str, str]:
    """``(secret, label)`` the originals key is derived from (:meth:`OriginalsKey.from_secret`). ``env`` is the
    entry point's environment (the nightly's, or the CLI's for ``fhub archive open`` / ``fhub forget``)."""
    mode = mode or env.get("FHUB_MODE", "demo")
    env_key = env.get(ARCHIVE_KEY_ENV)
    if env_key:
        return env_key, "env"
    if use_prefect:
        secret = secret_from_prefect(ARCHIVE_SECRET_BLOCK)
        if secret:
            return secret, "prefect-secret"
    if mode == "production":
        raise MissingKeyError(
            f"Production mode needs a key to encrypt the boroughs' original files at rest: set {ARCHIVE_KEY_ENV} "
            f"or create the Prefect Secret block '{ARCHIVE_SECRET_BLOCK}'. Refusing to store personal data "
            "without it."
        )
    return DEMO_ARCHIVE_KEY, "demo"


def _write_token(out: BinaryIO, token: bytes) -> None:
    out.write(_LEN.pack(len(token)))
    out.write(token)


def encrypt_stream(src: BinaryIO, out: BinaryIO, key: OriginalsKey) -> tuple[str, int]:
    """Encrypt everything readable from ``src`` into ``out``; returns the plaintext's (sha256 hex, size)."""
    digest = hashlib.sha256()
    size = index = 0
    out.write(MAGIC)
    while chunk := src.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        _write_token(out, key.fernet.encrypt(b"D" + _INDEX.pack(index) + chunk))
        index += 1
    _write_token(out, key.fernet.encrypt(b"E" + _INDEX.pack(index) + digest.digest() + _INDEX.pack(size)))
    return digest.hexdigest(), size


class ChunkWriter:
    """Encrypt data written piece by piece (for rewriting an original row by row); ``close()`` seals it."""

    def __init__(self, out: BinaryIO, key: OriginalsKey):
        self.out, self.key = out, key
        self.buffer = bytearray()
        self.digest = hashlib.sha256()
        self.size = self.index = 0
        out.write(MAGIC)

    def write(self, data: bytes) -> None:
        self.buffer += data
        self.digest.update(data)
        self.size += len(data)
        while len(self.buffer) >= CHUNK:
            self._flush(bytes(self.buffer[:CHUNK]))
            del self.buffer[:CHUNK]

    def _flush(self, chunk: bytes) -> None:
        _write_token(self.out, self.key.fernet.encrypt(b"D" + _INDEX.pack(self.index) + chunk))
        self.index += 1

    def close(self) -> tuple[str, int]:
        if self.buffer:
            self._flush(bytes(self.buffer))
            self.buffer.clear()
        _write_token(self.out, self.key.fernet.encrypt(
            b"E" + _INDEX.pack(self.index) + self.digest.digest() + _INDEX.pack(self.size)))
        return self.digest.hexdigest(), self.size


def iter_plaintext(src: BinaryIO, key: OriginalsKey) -> Iterator[bytes]:
    """The decrypted chunks of a container, verified as they come; raises :class:`OriginalUnreadable` on any
    mismatch (the last chunk is only yielded once the final record has checked the whole)."""
    if src.read(len(MAGIC)) != MAGIC:
        raise OriginalUnreadable("not an encrypted original (wrong header)")
    digest = hashlib.sha256()
    size = index = 0
    pending: bytes | None = None
    while True:
        head = src.read(_LEN.size)
        if len(head) < _LEN.size:
            raise OriginalUnreadable("the encrypted original is truncated")
        token = src.read(_LEN.unpack(head)[0])
        try:
            plain = key.fernet.decrypt(token)
        except InvalidToken as exc:
            raise OriginalUnreadable("the encrypted original was changed or needs another key") from exc
        kind, number = plain[:1], _INDEX.unpack(plain[1:9])[0]
        if number != index:
            raise OriginalUnreadable("the encrypted original's chunks are out of order")
        if kind == b"E":
            if plain[9:41] != digest.digest() or _INDEX.unpack(plain[41:49])[0] != size:
                raise OriginalUnreadable("the decrypted bytes do not match the checksum sealed with them")
            if src.read(1):
                raise OriginalUnreadable("the encrypted original has data after its final record")
            if pending is not None:
                yield pending
            return
        if kind != b"D":
            raise OriginalUnreadable("unknown record in the encrypted original")
        if pending is not None:
            yield pending
        pending = plain[9:]
        digest.update(pending)
        size += len(pending)
        index += 1


def decrypt_stream(src: BinaryIO, out: BinaryIO, key: OriginalsKey) -> tuple[str, int]:
    """Decrypt a container into ``out``; returns (sha256 hex, size) of the plaintext, verified."""
    digest = hashlib.sha256()
    size = 0
    for chunk in iter_plaintext(src, key):
        out.write(chunk)
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def is_encrypted(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def encrypt_file(src: Path, dest: Path, key: OriginalsKey, *, fsync: bool = True) -> tuple[str, int]:
    """Encrypt ``src`` to ``dest`` crash-safely (temp file beside it + ``os.replace``; never a partial file under
    the final name). Returns the plaintext's (sha256, size)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        with open(src, "rb") as fin, open(_private(tmp), "wb") as fout:
            result = encrypt_stream(fin, fout, key)
            fout.flush()
            if fsync:
                os.fsync(fout.fileno())
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return result


def decrypt_file(src: Path, dest: Path, key: OriginalsKey) -> tuple[str, int]:
    """Decrypt to a NEW file readable by its owner only (0600); refuses to overwrite. Nothing is left at
    ``dest`` if the container does not verify."""
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fout, open(src, "rb") as fin:
            return decrypt_stream(fin, fout, key)
    except BaseException:
        dest.unlink(missing_ok=True)
        raise


def _private(path: Path) -> Path:
    """Create ``path`` empty with mode 0600 (so the temp file is never world-readable, whatever the umask)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    return path
