"""The throwaway Dovecot server from tests/imap_server.py, checked with plain imaplib."""

import imaplib
from email import message_from_bytes

from ..factories import make_mail
from ..imap_server import start_dovecot


def test_appended_messages_get_uids_and_stay_unseen(imap_server):
    for n in range(3):
        imap_server.append(make_mail(subject=f"Message {n}"))

    uids = imap_server.uids()
    assert len(uids) == 3
    assert imap_server.flags() == {uid: set() for uid in uids}
    assert imap_server.uidvalidity() > 0
    assert (imap_server.maildir / "cur").is_dir() or (imap_server.maildir / "new").is_dir()

    imap_server.create_folder("Processed Mail")
    imap_server.append(make_mail(), folder="Processed Mail", flags=("\\Seen",))
    assert list(imap_server.flags("Processed Mail").values()) == [{"\\Seen"}]


def test_a_client_can_fetch_a_body_and_mark_it_seen(imap_server):
    raw = make_mail(subject="Fetch me")
    imap_server.append(raw)
    [uid] = imap_server.uids()

    with imaplib.IMAP4(imap_server.host, imap_server.port, timeout=10) as client:
        assert "IDLE" in client.capabilities
        client.login(imap_server.user, imap_server.password)
        assert client.select("INBOX")[0] == "OK"
        typ, data = client.uid("FETCH", str(uid), "(BODY.PEEK[])")
        assert typ == "OK"
        assert message_from_bytes(data[0][1])["Subject"] == "Fetch me"
        assert imap_server.flags() == {uid: set()}  # PEEK left it unseen
        assert client.uid("STORE", str(uid), "+FLAGS", "(\\Seen)")[0] == "OK"

    assert imap_server.flags() == {uid: {"\\Seen"}}


def test_two_servers_run_at_once(imap_server, tmp_path):
    other, stop_other = start_dovecot(tmp_path / "other")
    try:
        assert other.port != imap_server.port
        other.append(make_mail())
        assert len(other.uids()) == 1
        assert imap_server.uids() == []
    finally:
        stop_other()
