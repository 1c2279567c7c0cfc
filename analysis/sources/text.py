"""Make any delimited text file readable by DuckDB: detect binary files, decode UTF-8 (with or without BOM),
cp1252 or Latin-1, and sniff the delimiter. Non-UTF-8 files are transcoded to a temporary UTF-8 copy."""

from __future__ import annotations

import codecs
import csv
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

DELIMITERS = ",;\t|"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class TextFile:
    path: Path  # what DuckDB should read: the file itself or a UTF-8 copy
    encoding: str  # what the original was: 'utf-8', 'utf-8-sig', 'cp1252' or 'latin-1'
    delimiter: str
    header: list[str]


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as fh:
        try:
            for block in iter(lambda: fh.read(_CHUNK), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _encoding(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(8192)
    if not head.strip():
        raise InputError(f"{path}: the file is empty")
    if b"\x00" in head:
        raise InputError(f"{path}: binary content (NUL bytes), not a delimited text file")
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if _is_utf8(path):
        return "utf-8"
    try:
        path.read_bytes().decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"  # decodes any byte; the last resort for old Western European exports


def prepare(path: Path, tmp_dir: Path | None = None) -> TextFile:
    """Encoding, delimiter and header of `path`, and a UTF-8 path for DuckDB to read."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    encoding = _encoding(path)
    readable = path
    if encoding not in ("utf-8",):
        tmp = Path(tempfile.mkstemp(suffix=".csv", dir=tmp_dir)[1])
        with (
            open(path, encoding=encoding, newline="") as src,
            open(tmp, "w", encoding="utf-8", newline="") as dst,
        ):
            for block in iter(lambda: src.read(_CHUNK), ""):
                dst.write(block)
        readable = tmp
    with open(readable, encoding="utf-8", newline="") as fh:
        first = fh.readline()
    counts = {d: first.count(d) for d in DELIMITERS}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0:
        raise InputError(
            f"{path}: no delimiter ({', '.join(repr(d) for d in DELIMITERS)}) in the header line"
        )
    header = [h.strip() for h in next(csv.reader([first], delimiter=delimiter))]
    return TextFile(readable, encoding, delimiter, header)


def peek_header(path: Path) -> list[str]:
    """The header fields of a delimited text file, cheaply (first 64 KB), for format detection."""
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if b"\x00" in head[:8192]:
        return []
    text = head.decode("utf-8-sig", errors="replace") if not head.startswith(b"\xff\xfe") else ""
    first = text.splitlines()[0] if text else ""
    counts = {d: first.count(d) for d in DELIMITERS}
    delimiter = max(counts, key=counts.get)
    if not counts[delimiter]:
        return [first.strip()] if first.strip() else []
    return [h.strip().lower() for h in next(csv.reader([first], delimiter=delimiter))]
