"""Coverage-guided fuzzing of the importer (atheris / libFuzzer).

The input is read as a delivery-plan table: the headings before it, a header row drawn from
the words real plans use, and rows of cells that mix real fragments ("A7 COMPLETE",
"AMBER - stalled by Covid", "Kelly Pierce/Danni Honey") with arbitrary text. Every outcome
must be a plan that validates or a DatrackerError with a message: any other exception is a
crash. Odd bytes in CSV files are covered by the loader's and the importer's own tests.

    python fuzz/fuzz_importer.py fuzz/corpus/importer -max_total_time=30
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["datracker"]):
    from datracker.core.problems import DatrackerError
    from datracker.importing.output import import_file
    from datracker.importing.tables import SourceDocument, SourceTable

HEADERS = [
    "",
    "ID",
    "Objective",
    "Action",
    "Suggested measure",
    "Measures",
    "By Whom",
    "Owner",
    "Lead",
    "Update January 2022",
    "Updated January 2022",
    "By When/Update",
    "RAG",
    "Status",
    "By when",
    "Due",
    "Notes",
]
FRAGMENTS = [
    "A1",
    "A7 COMPLETE",
    "B2 REMOVED - RAG RED",
    "A6 - No progress after 18 months - removed - RAG RED",
    "E4 - N/A (Marac IT)",
    "EI - COMPLETE",
    "AMBER/ RED",
    "AMBER - stalled by Covid",
    "POLICE ACTION AMBER",
    "NEW MEASURE To raise awareness",
    "green",
    "",
    "TBC",
    "April 2022",
    "Kelly Pierce/Danni Honey/Karen Davies",
    "Alison Lawrence (Portsmouth Safeguarding Adults Board - PSAB) and Bruce Marr",
    "Stop Domestic Abuse (SDA)",
    "SDA",
    "OPCC Lisa Allum",
    "Priority A: Promote healthy relationships",
    "NEW: Priority F - Safe accommodation",
    "G3",
]
TODAY = dt.date(2022, 2, 9)


def _cell(data: atheris.FuzzedDataProvider) -> str:
    if data.ConsumeBool():
        return FRAGMENTS[int(data.ConsumeIntInRange(0, len(FRAGMENTS) - 1))]
    return str(data.ConsumeUnicodeNoSurrogates(data.ConsumeIntInRange(0, 60)))


def _document(data: atheris.FuzzedDataProvider) -> SourceDocument:
    width = data.ConsumeIntInRange(1, 9)
    header = [HEADERS[data.ConsumeIntInRange(0, len(HEADERS) - 1)] for _ in range(width)]
    rows = [header] + [
        [_cell(data) for _ in range(width)] for _ in range(data.ConsumeIntInRange(0, 12))
    ]
    headings = [_cell(data) for _ in range(data.ConsumeIntInRange(0, 2))]
    table = SourceTable("table 1", "docx", rows, list(range(1, len(rows) + 1)), headings)
    return SourceDocument(Path("fuzzed.docx"), _cell(data) or None, [table])


def one_input(raw: bytes) -> None:
    document = _document(atheris.FuzzedDataProvider(raw))
    output = Path(tempfile.mkdtemp(prefix="datracker-fuzz-")) / "plan"
    try:
        import_file(document.path, output, today=TODAY, source=document)
    except DatrackerError as error:
        assert error.message, "an error without a message"
    finally:
        shutil.rmtree(output.parent, ignore_errors=True)


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
