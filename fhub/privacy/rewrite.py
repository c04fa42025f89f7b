"""Rewrite a stored (encrypted) original without some of its rows: decrypt as a stream, drop every record that
holds a given identifier in any cell, encrypt again. Used by erasure (:mod:`fhub.privacy.erasure`).

* CSV / text extracts: records are read with the csv module (quoted line breaks included) and every kept
  record is written back byte for byte (same encoding, same line endings, undecodable bytes preserved), so
  the rewritten file lands exactly as the original would have, less those rows. Never more than a chunk and
  one record in memory.
* XLSX workbooks: every sheet is copied value by value into a new workbook without the matching rows (cell
  styles are not kept; the values, dates and sheet names are). The workbook is held in memory, never written
  to disk in plaintext.

A cell matches when, with spaces and hyphens removed and upper-cased (:func:`fhub.pseudonymise.
normalise_identifier`, the rule that makes person keys), it equals the identifier; a number stored in a
spreadsheet cell is compared by its digits.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fhub.privacy.vault import ChunkWriter, OriginalsKey, iter_plaintext
from fhub.pseudonymise import normalise_identifier

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
csv.field_size_limit(1 << 30)


@dataclass(frozen=True)
class Rewritten:
    rows_removed: int
    sha256_before: str
    sha256_after: str


class _PlainReader(io.RawIOBase):
    """A readable stream over the decrypted chunks of a container."""

    def __init__(self, chunks: Iterator[bytes]):
        self.chunks, self.pending = chunks, b""
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self.pending:
            try:
                self.pending = next(self.chunks)
            except StopIteration:
                return 0
            self.digest.update(self.pending)
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


def _cell_matches(value: object, target: str) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalise_identifier(str(value)) == target


def _open_plain(path: Path, key: OriginalsKey) -> tuple:
    fh = open(path, "rb")  # noqa: SIM115 - closed by the caller
    raw = _PlainReader(iter_plaintext(fh, key))
    return fh, raw, io.BufferedReader(raw, buffer_size=1 << 20)


def _sniff(head: bytes, encoding: str | None) -> tuple[str, str]:
    """(encoding, delimiter) of a text extract from its first bytes."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            encoding = name
            break
    encoding = encoding or "utf-8"
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8") and head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    first = head.decode(encoding, errors="ignore").splitlines()[0] if head else ""
    delimiter = max((",", ";", "|", "\t"), key=first.count) if first else ","
    return encoding, delimiter


def _rewrite_text(plain: io.BufferedReader, out: ChunkWriter, target: str, encoding: str | None,
                  delimiter: str | None) -> int:
    enc, sniffed = _sniff(plain.peek(4096)[:4096], encoding)
    text = io.TextIOWrapper(plain, encoding=enc, errors="surrogateescape", newline="")
    encoder = codecs.getincrementalencoder(enc)(errors="surrogateescape")
    taken: list[str] = []

    def lines() -> Iterator[str]:
        for line in text:
            taken.append(line)
            yield line

    removed = 0
    for record in csv.reader(lines(), delimiter=delimiter or sniffed):
        raw = "".join(taken)
        taken.clear()
        if any(_cell_matches(cell, target) for cell in record):
            removed += 1
        else:
            out.write(encoder.encode(raw))
    if taken:  # a trailing fragment the csv module did not return as a record
        out.write(encoder.encode("".join(taken)))
    out.write(encoder.encode("", final=True))
    text.detach()  # keep the byte stream open for the caller
    return removed


def _rewrite_xlsx(plain: io.BufferedReader, out: ChunkWriter, target: str) -> int:
    import openpyxl

    source = openpyxl.load_workbook(io.BytesIO(plain.read()), read_only=True, data_only=False)
    book = openpyxl.Workbook(write_only=True)
    removed = 0
    try:
        for sheet in source.worksheets:
            copy = book.create_sheet(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                if any(_cell_matches(v, target) for v in row):
                    removed += 1
                else:
                    copy.append(list(row))
    finally:
        source.close()
    if removed:
        buffer = io.BytesIO()
        book.save(buffer)
        out.write(buffer.getvalue())
    return removed


def remove_rows(path: Path, identifier: str, key: OriginalsKey, *, fmt: str | None = None,
                encoding: str | None = None, delimiter: str | None = None) -> Rewritten | None:
    """Drop every record of the encrypted original at ``path`` holding ``identifier`` in a cell; the container is
    replaced atomically. ``fmt`` ``xlsx`` or ``csv`` (default: from the bytes). Returns None when no row
    matched (the file is left untouched)."""
    target = normalise_identifier(identifier)
    if not target:
        raise ValueError("an empty identifier matches nothing")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.rewrite")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as sink:
            writer = ChunkWriter(sink, key)
            fh, raw, plain = _open_plain(path, key)
            try:
                head = plain.peek(8)[:8]
                is_xlsx = (fmt or "").lower() == "xlsx" or head.startswith(b"PK\x03\x04")
                removed = (_rewrite_xlsx(plain, writer, target) if is_xlsx
                           else _rewrite_text(plain, writer, target, encoding, delimiter))
                while plain.read(1 << 20):  # to the end: the original's sealed checksum is verified
                    pass
                before = raw.digest.hexdigest()
            finally:
                fh.close()
            after, _ = writer.close()
            sink.flush()
            os.fsync(sink.fileno())
        if not removed:
            return None
        os.replace(tmp, path)
        return Rewritten(removed, before, after)
    finally:
        tmp.unlink(missing_ok=True)
