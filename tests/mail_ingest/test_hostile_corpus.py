"""The hostile corpus (tests/data/mail/hostile, see its README): every fact a correct ingester
must extract, and nothing lost when the whole corpus goes through the pipeline."""

import json
from pathlib import Path

import pytest

from helpdesk.core.models import RawMail, RawMailState
from mail_ingest.parsing import content_hash_id, parse_message
from mail_ingest.pipeline import Outcome

CORPUS = Path(__file__).parents[1] / "data" / "mail" / "hostile"
EXPECTED = json.loads((CORPUS / "expected.json").read_text("utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=str)
def test_ingester_extracts_what_the_mail_says(name):
    expected = EXPECTED[name]
    data = (CORPUS / name).read_bytes()
    parsed = parse_message(data)
    assert parsed.from_email == expected["from_email"]
    if "from_name" in expected:
        assert parsed.from_name == expected["from_name"]
    assert parsed.subject == (expected["subject"] or "")[:998]
    for fragment in expected["text_contains"]:
        assert fragment.lower() in parsed.text.lower(), fragment
    for fragment in expected.get("text_not_contains", []):
        assert fragment.lower() not in parsed.text.lower(), fragment
    for fragment in expected.get("html_contains", []):
        assert fragment in (parsed.html or ""), fragment
    for fragment in expected.get("html_not_contains", []):
        assert fragment not in (parsed.html or ""), fragment
    names = [a.filename for a in parsed.attachments]
    # TNEF contents are unpacked into real attachments beside winmail.dat itself.
    assert sorted(names) == sorted(expected["attachments"] + expected.get("tnef_contains", []))
    for forwarded in expected.get("forwarded", []):
        for fragment in forwarded.get("text_contains", []):
            assert fragment.lower() in parsed.text.lower(), fragment
    for fragment in expected.get("dropped_contains", []):
        assert any(fragment in note for note in parsed.dropped), (fragment, parsed.dropped)
    if not expected.get("dropped_contains"):
        assert parsed.dropped == ()
    assert parsed.automatic == expected["automatic"]
    assert (parsed.bounce is not None) == expected["bounce"]
    if expected["bounced_message_id"]:
        assert parsed.bounce.original_message_id == expected["bounced_message_id"]
    assert (parsed.message_id != content_hash_id(data)) == expected["has_message_id"]


def test_the_whole_corpus_is_stored_and_processed(session, deliver, ingest_context):
    names = sorted(EXPECTED)
    results = {name: deliver((CORPUS / name).read_bytes(), f"file:{name}") for name in names}
    assert all(r.outcome in (Outcome.CREATED, Outcome.THREADED) for r in results.values()), {
        n: r.error for n, r in results.items() if r.outcome == Outcome.FAILED
    }
    for name, result in results.items():
        raw = session.get(RawMail, result.raw_mail_id)
        assert raw.state == RawMailState.PROCESSED
        assert ingest_context.raw_store.get(raw.sha256) == (CORPUS / name).read_bytes()


def test_a_30_mb_attachment_is_kept_whole(session, deliver, ingest_context, tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("hostile_generate", CORPUS / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    path = tmp_path / "large-attachment.eml"
    generate.large_attachment(path)
    result = deliver(path.read_bytes())
    assert result.outcome == Outcome.CREATED
    from helpdesk.core.models import Attachment

    [attachment] = session.query(Attachment).filter_by(filename="video.mp4").all()
    assert attachment.size == 30 * 1024 * 1024
    assert len(ingest_context.inbound.attachments.get(attachment.sha256)) == 30 * 1024 * 1024
