"""Memory figures of this process from /proc (Linux). ru_maxrss is not used: it survives exec,
so a child would report its parent's high-water mark."""

from __future__ import annotations

from pathlib import Path


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def current_rss_mb() -> float:
    return _status_kb("VmRSS") / 1024


def peak_rss_mb() -> float:
    """High-water resident memory of this process since it started (VmHWM)."""
    return _status_kb("VmHWM") / 1024
