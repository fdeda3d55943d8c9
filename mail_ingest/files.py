"""Reading mail from files: single .eml files, directories of them, mbox files and Maildirs."""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from pathlib import Path


def _is_maildir(path: Path) -> bool:
    return all((path / sub).is_dir() for sub in ("cur", "new", "tmp"))


def _is_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def iter_mail(paths: list[Path]) -> Iterator[tuple[str, bytes]]:
    """Yield (source label, raw bytes) for every message under ``paths``, one at a time."""
    for path in paths:
        if path.is_dir() and _is_maildir(path):
            yield from _maildir(path)
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not child.name.startswith("."):
                    yield from iter_mail([child])
        elif _is_mbox(path):
            yield from _mbox(path)
        else:
            yield f"file:{path}", path.read_bytes()


def count_messages(paths: list[Path]) -> int:
    """How many messages ``iter_mail`` will yield (for a progress bar), without reading bodies."""
    total = 0
    for path in paths:
        if path.is_dir() and _is_maildir(path):
            total += len(mailbox.Maildir(path, factory=None, create=False))
        elif path.is_dir():
            total += count_messages(
                [c for c in path.rglob("*") if c.is_file() and not c.name.startswith(".")]
            )
        elif _is_mbox(path):
            total += _count_mbox(path)
        else:
            total += 1
    return total


def _count_mbox(path: Path) -> int:
    count, previous_blank = 0, True
    with path.open("rb") as handle:
        for line in handle:
            if line.startswith(b"From ") and previous_blank:
                count += 1
            previous_blank = not line.strip()
    return count


def _maildir(path: Path) -> Iterator[tuple[str, bytes]]:
    box = mailbox.Maildir(path, factory=None, create=False)
    for key in sorted(box.iterkeys()):
        yield f"maildir:{path}/{key}", box.get_bytes(key)


def _mbox(path: Path) -> Iterator[tuple[str, bytes]]:
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        for index, key in enumerate(box.iterkeys()):
            data = box.get_bytes(key, from_=False)
            yield f"mbox:{path}#{index}", data
    finally:
        box.close()
