"""Exporting a requester: every ticket, message, attachment and raw mail in a zip described by
its manifest; safe member names; bytes equal to what arrived; an audit entry with counts."""

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from helpdesk.core.blob_stores import blob_stores
from helpdesk.core.errors import PrivacyNotPermitted
from helpdesk.core.models import AuditAction, AuditEntry
from helpdesk.core.services.privacy.export import export_requester, safe_member_name
from helpdesk.core.unit_of_work import unit_of_work

from ..privacy_scenario import ATTACHMENT, NAME, PHRASE, SUBJECT, TOKENS, zorblatt  # noqa: F401


def _export(app, session, contact, actor):
    target = io.BytesIO()
    with unit_of_work(session):
        summary = export_requester(session, blob_stores(app.config), contact, actor, target)
    return summary, zipfile.ZipFile(io.BytesIO(target.getvalue()))


@pytest.mark.usefixtures("blob_backend")
def test_zip_holds_manifest_messages_attachments_and_raw_mail(app, session, zorblatt):  # noqa: F811
    summary, archive = _export(app, session, zorblatt.contact, zorblatt.coordinator)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == "polyglot-desk-requester-export" and manifest["schema"]
    assert manifest["requester"]["name"] == NAME
    assert [t["reference"] for t in manifest["tickets"]] == [f"#{t.id}" for t in zorblatt.tickets]
    first = manifest["tickets"][0]
    assert first["subject"] == SUBJECT
    inbound, outbound = first["messages"]
    assert (inbound["direction"], outbound["direction"]) == ("in", "out")
    assert PHRASE in archive.read(inbound["text_file"]).decode()
    assert PHRASE in archive.read(inbound["html_file"]).decode()
    assert inbound["message_id"].endswith("@example.net>")
    [attachment] = inbound["attachments"]
    assert attachment["filename"] == "Snorkelwhip scan.pdf"
    assert attachment["file"].endswith("-Snorkelwhip scan.pdf")
    assert archive.read(attachment["file"]) == ATTACHMENT
    [raw] = inbound["raw_mail"]
    assert PHRASE.encode() in archive.read(raw["file"])
    assert PHRASE in archive.read(outbound["text_file"]).decode()
    assert (summary.tickets, summary.messages, summary.attachments, summary.raw_mails) == (
        2,
        3,
        1,
        2,
    )


def test_member_names_stay_inside_the_archive(app, session, zorblatt):  # noqa: F811
    [attachment] = zorblatt.tickets[0].messages[0].attachments
    with unit_of_work(session):  # as an older parser might have stored it
        attachment.filename = "../../etc/..\\passwd"
    _, archive = _export(app, session, zorblatt.contact, None)
    assert any(name.endswith(f"/attachments/{attachment.id}-passwd") for name in archive.namelist())
    for name in archive.namelist():
        assert not name.startswith("/") and ".." not in name.split("/") and "\\" not in name


@pytest.mark.parametrize(
    ("original", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Windows\\evil.exe", "evil.exe"),
        (".hidden", "hidden"),
        ("", "attachment"),
        ("..", "attachment"),
        ("a\x00b\nc.txt", "a_b_c.txt"),
        ("Ünïcödé résumé.pdf", "Ünïcödé résumé.pdf"),
        ("x" * 300 + ".pdf", "x" * 96 + ".pdf"),
    ],
)
def test_safe_member_name(original, safe):
    assert safe_member_name(original) == safe


def test_audited_with_counts_only(app, session, zorblatt):  # noqa: F811
    _export(app, session, zorblatt.contact, zorblatt.admin)
    entry = session.scalar(
        select(AuditEntry).where(AuditEntry.action == AuditAction.REQUESTER_EXPORTED)
    )
    assert entry.after["tickets"] == 2 and entry.after["attachments"] == 1
    assert entry.target_id == str(zorblatt.contact.id)
    assert not any(token.lower() in str(entry.after).lower() for token in TOKENS)


def test_liaisons_may_not_export(app, session, zorblatt):  # noqa: F811
    with pytest.raises(PrivacyNotPermitted):
        _export(app, session, zorblatt.contact, zorblatt.liaison)
