"""Where a plan repository's CI and pre-commit hook install datracker from: a pinned source.

`datracker init` writes a workflow and a pre-commit configuration that install datracker on
other machines. They must install exactly the datracker that wrote them, from a place that
cannot change under them: a git URL pinned to a tag or a full commit, or a wheel's URL (with
its sha256 over https). A bare name from a package index is never written: no package of
that name is published by this project, so whoever registered it would run their code in every
plan repository's CI, with a token that can comment on pull requests.

The source is either given (`init --datracker …`) or read from how this copy was installed:
pip records a direct URL install (PEP 610, `direct_url.json`) with the commit it resolved.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from datracker import __version__
from datracker.core.problems import DatrackerError, InvalidValue

PROJECT = "datracker"
FULL_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
# a release tag: v1.2.3 or 1.2.3, optionally with a pre-release part (v1.2.3rc1)
RELEASE_TAG = re.compile(r"v?(?P<version>\d+(?:\.\d+)*(?:[.-]?[a-z]+\d*)?)")
WHEEL_NAME = re.compile(r"datracker-(?P<version>[^-]+)-[^/]+\.whl")
SHA256 = re.compile(r"sha256=[0-9a-f]{64}")
EXAMPLE = f"git+https://github.com/OWNER/datracker@v{__version__}"
PIN_HINT = (
    f"give a git URL pinned to a release tag or a full commit ({EXAMPLE}), "
    f"or a wheel's https URL ending in #sha256=<its hash>"
)


@dataclass(frozen=True)
class InstallSource:
    """A pip requirement that names one exact datracker, and the URL it comes from."""

    requirement: str  # "datracker @ git+https://…@<rev>" or "datracker @ https://….whl#sha256=…"
    url: str


def parse_source(text: str) -> InstallSource:
    """The source a user gave with --datracker, refused unless it is pinned to this version."""
    given = text.strip()
    url = re.sub(rf"^{PROJECT}\s*@\s*", "", given)
    if url.startswith("git+"):
        return _git_source(url, given)
    if _is_wheel_url(url):
        return _wheel_source(url, given)
    raise InvalidValue(
        f"'{given}' does not say exactly which datracker to install: CI would take whatever a "
        "package index serves under that name, and no datracker is published there by this project",
        PIN_HINT,
    )


def _git_source(url: str, given: str) -> InstallSource:
    parts = urlsplit(url.removeprefix("git+"))
    if parts.query or parts.fragment or "@" not in parts.path:
        raise InvalidValue(
            f"'{given}' is not pinned: a git URL without @<tag or commit> installs whatever the "
            "default branch holds on the day",
            f"add the tag or the full commit, for example {EXAMPLE}",
        )
    rev = parts.path.rsplit("@", 1)[1]
    commit = FULL_COMMIT.fullmatch(rev)
    tag = None if commit else RELEASE_TAG.fullmatch(rev)
    if not commit and not tag:
        raise InvalidValue(
            f"'{rev}' in '{given}' is neither a release tag (v{__version__}) nor a full "
            "40-character commit: a branch or a short commit can come to mean other code",
            f"pin the tag or the full commit, for example {EXAMPLE}",
        )
    if tag and tag.group("version") != __version__:
        raise InvalidValue(
            f"the tag '{rev}' names another version: this is datracker {__version__}, and the CI "
            "must install the datracker that wrote it",
            f"pin v{__version__} or its commit, or run init with datracker {tag.group('version')}",
        )
    return InstallSource(f"{PROJECT} @ {url}", url)


def _is_wheel_url(url: str) -> bool:
    return urlsplit(url).path.endswith(".whl")


def _wheel_source(url: str, given: str) -> InstallSource:
    parts = urlsplit(url)
    name = WHEEL_NAME.fullmatch(parts.path.rsplit("/", 1)[-1])
    if name is None or name.group("version") != __version__:
        raise InvalidValue(
            f"'{given}' is not a wheel of datracker {__version__}",
            f"give the URL of datracker-{__version__}-py3-none-any.whl",
        )
    if parts.scheme == "http":
        raise InvalidValue(
            f"'{given}' would be downloaded without encryption", "give its https URL instead"
        )
    if parts.scheme == "https" and not SHA256.fullmatch(parts.fragment):
        raise InvalidValue(
            f"'{given}' has no hash: the file at that address could be replaced",
            "add #sha256=<hash> (`sha256sum` of the wheel prints it) to the URL",
        )
    if parts.scheme not in ("https", "file"):
        raise InvalidValue(f"'{given}' is not an https or file URL", PIN_HINT)
    return InstallSource(f"{PROJECT} @ {url}", url)


def running_source(direct_url_json: str | None) -> InstallSource | None:
    """The pinned source this copy was installed from, when pip recorded one CI can reach.

    `direct_url_json` is the install's PEP 610 record (None when there is none: installed
    from an index, or not installed). A folder, an editable checkout or a file on this machine
    cannot be reached from CI, so they give None.
    """
    if not direct_url_json:
        return None
    record = json.loads(direct_url_json)
    url = str(record.get("url", ""))
    if urlsplit(url).scheme in ("", "file"):
        return None
    vcs = record.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return InstallSource(f"{PROJECT} @ git+{url}@{vcs['commit_id']}", f"git+{url}")
    archive = record.get("archive_info")
    if isinstance(archive, dict) and _is_wheel_url(url):
        sha256 = (archive.get("hashes") or {}).get("sha256")
        if sha256:
            return InstallSource(f"{PROJECT} @ {url.split('#')[0]}#sha256={sha256}", url)
    return None


def installed_record() -> str | None:
    """This copy's `direct_url.json`, if pip wrote one."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        return distribution(PROJECT).read_text("direct_url.json")
    except PackageNotFoundError:
        return None


def choose_source(given: str | None) -> InstallSource:
    """The source given, else the one this copy was installed from; refused when neither."""
    if given is not None:
        return parse_source(given)
    found = running_source(installed_record())
    if found is None:
        raise DatrackerError(
            "init cannot tell where the plan repository's CI should install this datracker from: "
            "it was installed from a folder or a file on this machine, which CI cannot reach; "
            "nothing was written",
            f"pass --datracker {EXAMPLE} (a git URL pinned to this version's tag or full commit, "
            "or a wheel's https URL ending in #sha256=<its hash>); or --no-ci for a repository "
            "without a workflow and pre-commit hook",
        )
    return found
