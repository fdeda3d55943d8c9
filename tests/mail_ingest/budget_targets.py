"""Parsers that misbehave on cue, for the parser processes the budget tests start (a child
process cannot see a monkeypatch, so it imports these by name)."""

import os
import time

from mail_ingest.parsing import parse_message

TARGET = "tests.mail_ingest.budget_targets:parse_or_misbehave"


def parse_or_misbehave(data: bytes):
    """The real parser, unless the subject asks to hang, to crawl, to hog memory or to die."""
    if b"Subject: HANG" in data:
        time.sleep(3600)
    if b"Subject: SLOW" in data:
        time.sleep(3)
    if b"Subject: HOG" in data:
        hoard = []
        while True:  # touched memory, as a runaway parser would use it
            hoard.append(b"x" * (8 << 20))
    if b"Subject: DIE" in data:
        os._exit(3)
    return parse_message(data)
