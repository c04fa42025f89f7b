"""fhub.privacy.vault: originals encrypted at rest, streamed, verified; keys from the same sources as the HMAC key."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import struct

import pytest

from fhub.landing.archive import archive_file, archive_path
from fhub.privacy import vault
from fhub.privacy.vault import (
    ChunkWriter,
    OriginalsKey,
    OriginalUnreadable,
    decrypt_file,
    decrypt_stream,
    encrypt_file,
    encrypt_stream,
    is_encrypted,
    resolve_originals_key,
)
from fhub.pseudonymise import MissingKeyError

NEEDLE = b"943 476 5919,Amelia,Smith,NW1 2DB"


def _plain(n: int) -> bytes:
    return (NEEDLE + b"\n") * (n // (len(NEEDLE) + 1) + 1)


def _container(data: bytes, key: OriginalsKey) -> bytes:
    out = io.BytesIO()
    encrypt_stream(io.BytesIO(data), out, key)
    return out.getvalue()


def test_round_trip_over_several_chunks_and_no_plaintext_at_rest(monkeypatch):
    monkeypatch.setattr(vault, "CHUNK", 1000)
    key = OriginalsKey.from_secret("a passphrase", "env")
    data = _plain(5500)
    blob = _container(data, key)
    assert NEEDLE not in blob and b"Amelia" not in blob
    out = io.BytesIO()
    assert decrypt_stream(io.BytesIO(blob), out, key) == (hashlib.sha256(data).hexdigest(), len(data))
    assert out.getvalue() == data


def test_empty_file_round_trips():
    key = OriginalsKey.demo()
    out = io.BytesIO()
    assert decrypt_stream(io.BytesIO(_container(b"", key)), out, key)[1] == 0
    assert out.getvalue() == b""


def test_chunk_writer_equals_encrypt_stream(monkeypatch):
    monkeypatch.setattr(vault, "CHUNK", 64)
    key = OriginalsKey.demo()
    data = _plain(1000)
    buf = io.BytesIO()
    writer = ChunkWriter(buf, key)
    for i in range(0, len(data), 7):
        writer.write(data[i:i + 7])
    assert writer.close() == (hashlib.sha256(data).hexdigest(), len(data))
    out = io.BytesIO()
    decrypt_stream(io.BytesIO(buf.getvalue()), out, key)
    assert out.getvalue() == data


def _records(blob: bytes) -> list[bytes]:
    records, pos = [], len(vault.MAGIC)
    while pos < len(blob):
        (n,) = struct.unpack(">I", blob[pos:pos + 4])
        records.append(blob[pos:pos + 4 + n])
        pos += 4 + n
    return records


@pytest.mark.parametrize("damage", ["flip", "truncate", "drop_end", "reorder", "extra", "header"])
def test_a_changed_container_never_decrypts(monkeypatch, damage):
    monkeypatch.setattr(vault, "CHUNK", 100)
    key = OriginalsKey.demo()
    blob = _container(_plain(450), key)
    records = _records(blob)
    if damage == "flip":
        bad = bytearray(blob)
        bad[len(blob) // 2] ^= 0x01
        blob = bytes(bad)
    elif damage == "truncate":
        blob = blob[: len(blob) - 10]
    elif damage == "drop_end":
        blob = vault.MAGIC + b"".join(records[:-1])
    elif damage == "reorder":
        blob = vault.MAGIC + b"".join([records[1], records[0], *records[2:]])
    elif damage == "extra":
        blob = blob + records[0]
    else:
        blob = b"X" + blob[1:]
    with pytest.raises(OriginalUnreadable):
        decrypt_stream(io.BytesIO(blob), io.BytesIO(), key)


def test_another_key_cannot_decrypt():
    blob = _container(b"hello", OriginalsKey.from_secret("one", "env"))
    with pytest.raises(OriginalUnreadable, match="another key"):
        decrypt_stream(io.BytesIO(blob), io.BytesIO(), OriginalsKey.from_secret("two", "env"))


def test_key_sources(monkeypatch):
    monkeypatch.setenv(vault.ARCHIVE_KEY_ENV, "the process's own: never read")
    assert resolve_originals_key("demo", env={}).label == "demo"
    with pytest.raises(MissingKeyError, match="FHUB_ARCHIVE_KEY"):
        resolve_originals_key("production", env={})
    monkeypatch.setattr(vault, "secret_from_prefect", lambda name: "from a block" if name == "fhub-archive-key" else None)
    assert resolve_originals_key("production", env={}, use_prefect=True).label == "prefect-secret"
    env = {vault.ARCHIVE_KEY_ENV: "from the environment"}
    key = resolve_originals_key("production", env=env, use_prefect=True)
    assert key.label == "env"
    blob = _container(b"x", key)
    out = io.BytesIO()
    decrypt_stream(io.BytesIO(blob), out, OriginalsKey.from_secret("from the environment", "env"))
    assert out.getvalue() == b"x"
    with pytest.raises(OriginalUnreadable):
        decrypt_stream(io.BytesIO(blob), io.BytesIO(), OriginalsKey.demo())


def test_files_are_private_and_never_overwritten(tmp_path):
    src = tmp_path / "delivery.csv"
    src.write_bytes(_plain(3000))
    key = OriginalsKey.demo()
    enc = tmp_path / "store" / "x.fenc"
    encrypt_file(src, enc, key)
    assert is_encrypted(enc) and not is_encrypted(src)
    assert [p.name for p in enc.parent.iterdir()] == ["x.fenc"]  # no temp file left
    out = tmp_path / "opened.csv"
    decrypt_file(enc, out, key)
    assert out.read_bytes() == src.read_bytes()
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    with pytest.raises(FileExistsError):
        decrypt_file(enc, out, key)
    broken = tmp_path / "broken.fenc"
    broken.write_bytes(enc.read_bytes()[:-5])
    with pytest.raises(OriginalUnreadable):
        decrypt_file(broken, tmp_path / "never.csv", key)
    assert not (tmp_path / "never.csv").exists()  # nothing partial left behind


def test_archive_is_content_addressed_and_verified(tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes(_plain(200))
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    dest = archive_file(src, tmp_path / "archive", sha, OriginalsKey.demo())
    assert dest == archive_path(tmp_path / "archive", sha) and dest.name.endswith(".fenc")
    assert NEEDLE not in dest.read_bytes()
    with pytest.raises(OSError, match="changed while it was being archived"):
        archive_file(src, tmp_path / "archive2", "0" * 64, OriginalsKey.demo())
    assert not any(p.is_file() for p in (tmp_path / "archive2").rglob("*"))
