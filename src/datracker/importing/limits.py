"""What an imported file may cost, checked before any library reads it.

A .docx or .xlsx file is a zip package of XML parts. Its size on disk says little: a 2 MB
"zip bomb" unpacks to gigabytes, and python-docx or openpyxl would try to hold all of it (20 s
and 4 GB before saying "corrupt"). So the package's own directory is read first, and refused
when its parts would unpack to more than the cap. Python's zipfile never gives more bytes than
a part's declared size, so the declared sizes are the real bound, not a hint.

XML can declare entities in a DTD (the "billion laughs" expansion, or a reference to a file on
this machine). No Office part needs a DTD, so each XML part's prolog is read with the standard
library's expat parser, and a part that declares one is refused before python-docx (lxml) or
openpyxl (ElementTree) parses anything. defusedxml would do this for openpyxl only, as
python-docx parses with lxml; one expat pass over each prolog covers both and reads only the
first few kilobytes of each part (under 5 ms for a 40-part package here).

Rows are counted too: a delivery plan has tens or hundreds, and a million-row sheet took
openpyxl 116 s and 1.8 GB before anything could be said about it.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from xml.parsers import expat

from datracker.core.problems import DatrackerError

DEFAULT_MAX_IMPORT_MB = 50
DEFAULT_MAX_IMPORT_ROWS = 100_000
MAX_PARTS = 10_000
_CHUNK = 64 * 1024
_RAISE = "raise the limit with {} if the file is genuine"


def max_import_bytes() -> int:
    """The most a source file may unpack to (DATRACKER_MAX_IMPORT_MB, default 50 MB)."""
    return int(_number("DATRACKER_MAX_IMPORT_MB", DEFAULT_MAX_IMPORT_MB) * 2**20)


def max_import_rows() -> int:
    """The most rows a source file may hold (DATRACKER_MAX_IMPORT_ROWS, default 100,000)."""
    return int(_number("DATRACKER_MAX_IMPORT_ROWS", DEFAULT_MAX_IMPORT_ROWS))


def _number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def _mb(size: int) -> str:
    return f"{size / 2**20:,.1f} MB"


def check_file_size(path: Path, size: int) -> None:
    """A CSV is read whole: refuse one over the cap before reading it."""
    limit = max_import_bytes()
    if size > limit:
        raise DatrackerError(
            f"cannot read {path}: it is {_mb(size)}, over the import limit of {_mb(limit)}",
            _RAISE.format("DATRACKER_MAX_IMPORT_MB"),
        )


def check_rows(path: Path, rows: int) -> None:
    """Called as rows are read, so a huge sheet is refused as soon as it passes the cap."""
    limit = max_import_rows()
    if rows > limit:
        raise DatrackerError(
            f"cannot read {path}: it has more than {limit:,} rows, the import limit",
            _RAISE.format("DATRACKER_MAX_IMPORT_ROWS"),
        )


def check_package(path: Path, what: str) -> None:
    """Refuse an Office file that would unpack to too much, or whose XML declares a DTD.

    `what` names the kind of file in messages ("a Word document"). A file that is not a zip
    package at all is left for the library to refuse with its own reason (password-protected
    files are OLE containers, which the caller recognises).
    """
    try:
        package = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    with package:
        parts = package.infolist()
        if len(parts) > MAX_PARTS:
            raise DatrackerError(
                f"cannot read {path}: it holds {len(parts):,} parts, more than {what} ever needs",
                "open it in the program that made it and save it again",
            )
        unpacked = sum(part.file_size for part in parts)
        limit = max_import_bytes()
        if unpacked > limit:
            raise DatrackerError(
                f"cannot read {path}: it unpacks to {_mb(unpacked)}, over the import limit of "
                f"{_mb(limit)}",
                _RAISE.format("DATRACKER_MAX_IMPORT_MB"),
            )
        for part in parts:
            if _declares_dtd(package, part):
                raise DatrackerError(
                    f"cannot read {path}: its part {part.filename} declares XML entities (a "
                    f"DTD), which {what} never needs and datracker refuses",
                    "open it in the program that made it and save it again; if it came from "
                    "outside your organisation, check where it came from",
                )


class _Seen(Exception):
    """Stops the expat pass: the answer is known."""

    def __init__(self, dtd: bool) -> None:
        super().__init__()
        self.dtd = dtd


def _declares_dtd(package: zipfile.ZipFile, part: zipfile.ZipInfo) -> bool:
    """Whether an XML part has a DOCTYPE; read only up to its first element.

    Every part is checked, whatever its name or first bytes: a package's content types may
    give an XML part any extension, and expat detects UTF-8 and UTF-16 by itself. A DTD can
    only come before the root element, so the pass stops there. A part expat cannot read is
    left to the library, which says "corrupt".
    """
    parser = expat.ParserCreate()

    def doctype(*_: object) -> None:
        raise _Seen(dtd=True)

    def element(*_: object) -> None:
        raise _Seen(dtd=False)

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = element
    try:
        with package.open(part) as stream:
            chunk = stream.read(_CHUNK)  # a picture fails at its first byte, at no cost
            while chunk:
                parser.Parse(chunk, False)
                chunk = stream.read(_CHUNK)
            parser.Parse(b"", True)
    except _Seen as seen:
        return seen.dtd
    except (expat.ExpatError, zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return False  # not readable XML: the library reports the file as corrupt
    return False
