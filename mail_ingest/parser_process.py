"""The parser process ``BudgetedParser`` runs: batches of raw mail in over a socket, their
outcomes out, under an address-space ceiling, until the socket closes.

    python -m mail_ingest.parser_process SOCKET_FD PROGRESS_FD MEMORY_MB MODULE:FUNCTION

Outcomes go back in few writes (at the end of a batch, or every megabyte or so): one write per
message would wake the parent for each and, on a busy machine, cost more than the parsing. The
parent keeps each message's deadline by reading which message is being parsed, and since when,
from a small shared page (``Progress``)."""

from __future__ import annotations

import importlib
import mmap
import os
import resource
import struct
import sys
import time
from multiprocessing.connection import Connection

from .outcomes import MEMORY, READY, ParseFunction, ParseOutcome, over_budget, parse_here

FLUSH_BYTES = 1 << 20


class Progress:
    """Which message of the batch is being parsed, and since when (``time.monotonic()``, the
    same clock in every process), in 16 shared bytes."""

    FORMAT = struct.Struct("<qd")

    def __init__(self, fd: int) -> None:
        os.ftruncate(fd, self.FORMAT.size)
        self.memory = mmap.mmap(fd, self.FORMAT.size)

    def mark(self, index: int) -> None:
        self.FORMAT.pack_into(self.memory, 0, index, time.monotonic())

    def read(self) -> tuple[int, float]:
        while True:  # read twice: a write may land between the two fields
            first = self.FORMAT.unpack_from(self.memory, 0)
            if self.FORMAT.unpack_from(self.memory, 0) == first:
                return first


class PeakMemory:
    """This process's peak resident memory (Linux /proc; elsewhere the figure is missing).

    Resetting the peak costs far more than it should on some kernels (it takes the memory map's
    write lock), so it is reset only after a message that raised it well above the resting
    size: each message's figure is its own peak, or a smaller earlier one."""

    SLACK_KB = 64 * 1024

    def __init__(self) -> None:
        try:
            self.clear = os.open("/proc/self/clear_refs", os.O_WRONLY)
            self.status = os.open("/proc/self/status", os.O_RDONLY)
        except OSError:
            self.clear = self.status = -1
        self.resting_kb = self._read_kb(b"VmRSS:")

    def _read_kb(self, key: bytes) -> int:
        text = os.pread(self.status, 8192, 0) if self.status >= 0 else b""
        start = text.find(key)
        return int(text[start + len(key) : text.index(b"kB", start)]) if start >= 0 else 0

    def read_mb(self) -> float | None:
        """The peak since the last reset; reset when a message left it high."""
        if self.status < 0:
            return None
        peak_kb = self._read_kb(b"VmHWM:")
        if peak_kb > self.resting_kb + self.SLACK_KB and self.clear >= 0:
            os.write(self.clear, b"5")
        return peak_kb / 1024


def serve(
    connection: Connection, progress: Progress, parse: ParseFunction, memory_bytes: int
) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    peak = PeakMemory()
    connection.send(READY)
    while True:
        try:
            batch = connection.recv()
        except (EOFError, OSError):  # the parent closed its end (or died): nothing more to do
            return
        done: list[ParseOutcome] = []
        size = 0
        for index, data in enumerate(batch):
            progress.mark(index)
            outcome = _parse_one(parse, data, peak, memory_bytes)
            done.append(outcome)
            size += len(data)
            if outcome.budget == MEMORY:
                _send(connection, done, memory_bytes)
                return  # after a MemoryError the heap is suspect: the parent starts a new child
            if size > FLUSH_BYTES:
                _send(connection, done, memory_bytes)
                done, size = [], 0
        _send(connection, done, memory_bytes)


def _parse_one(
    parse: ParseFunction, data: bytes, peak: PeakMemory, memory_bytes: int
) -> ParseOutcome:
    outcome = parse_here(parse, data)
    error = over_budget(MEMORY, memory_bytes) if outcome.budget == MEMORY else outcome.error
    return ParseOutcome(outcome.message, error, outcome.budget, outcome.seconds, peak.read_mb())


def _send(connection: Connection, outcomes: list[ParseOutcome], memory_bytes: int) -> None:
    try:
        connection.send(outcomes)
    except MemoryError:  # one result too big to send within the budget: that one is over it
        for outcome in outcomes:
            try:
                connection.send([outcome])
            except MemoryError:
                connection.send([ParseOutcome(None, over_budget(MEMORY, memory_bytes), MEMORY)])


def _load(target: str) -> ParseFunction:
    module, _, name = target.partition(":")
    function: ParseFunction = getattr(importlib.import_module(module), name)
    return function


def main(argv: list[str]) -> None:
    socket_fd, progress_fd, memory_mb, target = int(argv[0]), int(argv[1]), int(argv[2]), argv[3]
    parse = _load(target)
    sys.stdout = sys.stderr  # a stray print must never corrupt the results on the socket
    serve(Connection(socket_fd), Progress(progress_fd), parse, memory_mb * 2**20)


if __name__ == "__main__":
    main(sys.argv[1:])
