"""Mail crafted to stall a parser (tests/data/mail/hostile/crafted.py) is read within bounded time
and memory, each message in a child process so its peak memory is its own."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).parents[1] / "data" / "mail" / "hostile"
ROOT = Path(__file__).parents[2]
# Generous but meaningful: before the limits these took over two minutes, 964 MB or crashed.
MAX_SECONDS = 10.0
MAX_PEAK_MB = 300.0

_CHILD = """
import importlib.util, json, resource, sys, time
spec = importlib.util.spec_from_file_location("crafted", sys.argv[1])
crafted = importlib.util.module_from_spec(spec)
spec.loader.exec_module(crafted)
name = sys.argv[2]
make = crafted.BIG.get(name) or crafted.CRAFTED[name]
data, facts = make()
from mail_ingest.parsing import parse_message
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
parsed = parse_message(data)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({
    "seconds": seconds, "peak_mb": peak / 1024, "size_mb": len(data) / 2**20,
    "missing": [f for f in facts["text_contains"] if f.lower() not in parsed.text.lower()],
    "from_email": parsed.from_email, "dropped": list(parsed.dropped),
    "expected_dropped": facts.get("dropped_contains", []),
}))
"""

NAMES = [
    "crafted-deep-html.eml",
    "crafted-marked-section.eml",
    "crafted-deep-multipart.eml",
    "crafted-deep-rfc822.eml",
    "crafted-many-parts.eml",
    "crafted-many-headers.eml",
    "qp-soft-breaks-30mb",
    "deep-html-200000",
    "many-parts-20000",
    "many-headers-500000",
]


def _measure(name: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(CORPUS / "crafted.py"), name],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", NAMES, ids=str)
def test_crafted_mail_is_read_in_bounded_time_and_memory(name):
    result = _measure(name)
    assert result["seconds"] < MAX_SECONDS, result
    assert result["peak_mb"] < MAX_PEAK_MB, result
    assert result["missing"] == [], result
    assert result["from_email"] == "mallory@example.net"
    for fragment in result["expected_dropped"]:
        assert any(fragment in note for note in result["dropped"]), result


def test_the_committed_crafted_mail_is_what_crafted_py_makes():
    """generate.py --check covers the bytes; this keeps the list above complete."""
    spec_names = {p.name for p in CORPUS.glob("crafted-*.eml")}
    assert spec_names == {n for n in NAMES if n.endswith(".eml")}
