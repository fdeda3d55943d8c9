"""Who used the CPU during a benchmark: process trees, PostgreSQL backends, the machine (Linux)."""

from __future__ import annotations

import os
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, float, str]]:
    """pid -> (parent pid, CPU seconds used, command line) of every process (Linux)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (
                (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            )
        except OSError:
            continue
        table[int(entry.name)] = (int(stat[1]), (int(stat[11]) + int(stat[12])) / TICK, command)
    return table


def cpu_snapshot(roots: dict[str, list[int]], database: str) -> dict[str, dict[int, float]]:
    """CPU seconds so far of each group's processes and their children, of the PostgreSQL
    backends serving ``database``, and of the whole machine (to see who else is busy)."""
    table, children = _processes(), {}
    for pid, (parent, _, _) in table.items():
        children.setdefault(parent, []).append(pid)
    groups: dict[str, dict[int, float]] = {}
    for name, pids in roots.items():
        todo, found = list(pids), {}
        while todo:
            pid = todo.pop()
            if pid in table:
                found[pid] = table[pid][1]
            todo.extend(children.get(pid, []))
        groups[name] = found
    groups["postgres"] = {
        pid: cpu
        for pid, (_, cpu, command) in table.items()
        if database and command.startswith("postgres:") and f" {database} " in command
    }
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    busy = sum(int(v) for v in fields) - int(fields[3]) - int(fields[4])  # minus idle, iowait
    groups["machine"] = {0: busy / TICK}
    groups["bench client"] = {0: time.process_time()}
    return groups


def cores_used(
    before: dict[str, dict[int, float]], after: dict[str, dict[int, float]], seconds: float
) -> dict[str, float]:
    """Cores each group kept busy over the run (a process started meanwhile counts from 0)."""
    return {
        name: round(sum(cpu - before[name].get(pid, 0.0) for pid, cpu in pids.items()) / seconds, 2)
        for name, pids in after.items()
    }
