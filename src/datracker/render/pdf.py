"""The refresh document as a tagged (accessible) PDF, converted from the Word file by LibreOffice.

Councils publish board papers as PDF, and public-sector sites must publish accessible ones:
a tagged PDF carries the document's structure (headings, lists, tables with header rows,
pictures with their alternative text) and its title and language, which a screen reader
needs. LibreOffice's Writer export writes exactly that from the Word file datracker already
builds, so the PDF cannot drift from the Word document; no PDF library of our own could.

LibreOffice is a system program, not a Python dependency: where it is missing, asking for a
PDF is a clear error naming the install line, and nothing is written.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from datracker.core.problems import DatrackerError

# The Writer PDF export's options (LibreOffice 7.4 reads them as JSON after the filter name):
# tagged structure, the document title in the viewer's title bar and bookmarks from headings,
# as PDF/UA asks.
EXPORT_OPTIONS = {
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "PDFUACompliance": {"type": "boolean", "value": "true"},
    "DisplayPDFDocumentTitle": {"type": "boolean", "value": "true"},
    "ExportBookmarks": {"type": "boolean", "value": "true"},
}
INSTALL_HINT = (
    "install LibreOffice Writer, e.g. `sudo apt-get install libreoffice-writer` (Debian, "
    "Ubuntu), `sudo dnf install libreoffice-writer` (Fedora), `brew install --cask "
    "libreoffice` (macOS), or from https://www.libreoffice.org/download/; or render "
    "--format docx and save it as PDF from Word"
)
TIMEOUT_SECONDS = 300


def find_soffice() -> str:
    """LibreOffice's command, or a clear error saying how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise DatrackerError(
            "--format pdf needs LibreOffice, which is not installed; nothing was written",
            INSTALL_HINT,
        )
    return found


def docx_to_pdf(docx: bytes, stem: str) -> bytes:
    """The PDF LibreOffice makes from these Word bytes, in a private temporary folder.

    Each conversion gets its own LibreOffice profile folder, so two renders at once (or a
    LibreOffice the user has open) do not collide, and nothing is written to their home.
    """
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="datracker-pdf-") as folder:
        work = Path(folder)
        source = work / f"{stem}.docx"
        source.write_bytes(docx)
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export:" + json.dumps(EXPORT_OPTIONS, separators=(",", ":")),
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        environment = {**os.environ, "HOME": str(work)}
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                env=environment,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise DatrackerError(
                f"LibreOffice took more than {TIMEOUT_SECONDS} s to make the PDF; "
                "nothing was written",
                "close any LibreOffice window that may be asking a question, and try again",
            ) from None
        pdf = work / "out" / f"{stem}.pdf"
        if done.returncode != 0 or not pdf.is_file():
            said = (done.stderr or done.stdout).strip().splitlines()
            raise DatrackerError(
                "LibreOffice could not make the PDF; nothing was written"
                + (f" (it said: {said[-1]})" if said else ""),
                "render --format docx and check the Word file opens; then try again",
            )
        return pdf.read_bytes()
