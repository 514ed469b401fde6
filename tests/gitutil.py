"""Real git repositories in temporary directories, with commits by named authors."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def git(repo: Path, *args: str, author: tuple[str, str] = ("Test Lead", "lead@example.org")) -> str:
    name, email = author
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(repo),
    }
    proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def init_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Test Lead")
    git(path, "config", "user.email", "lead@example.org")
    git(path, "config", "commit.gpgsign", "false")
    return path


def commit_all(
    repo: Path, message: str, author: tuple[str, str] = ("Test Lead", "lead@example.org")
) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, author=author)
    return git(repo, "rev-parse", "HEAD").strip()
