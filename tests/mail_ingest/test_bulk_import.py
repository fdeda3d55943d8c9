"""A batch of mail records exactly what taking the same mail one message at a time does: one
recording path (a single message is a batch of one), whatever the batch size."""

from email.message import EmailMessage

from sqlalchemy import select, text

from helpdesk.core.models import (
    Attachment,
    Base,
    Contact,
    EventKind,
    Mailbox,
    Message,
    OutboxMail,
    OutboxState,
    RawMail,
    Role,
    Status,
    Ticket,
    TicketEvent,
    User,
)
from helpdesk.core.services.languages import ensure_languages
from helpdesk.core.services.outgoing_mail import MailSettings
from helpdesk.core.services.replies import ReplyInput, reply
from helpdesk.core.services.users import NewUser, create_user
from helpdesk.core.unit_of_work import unit_of_work
from mail_ingest.pipeline import IngestContext, Outcome, ingest, ingest_batch

from ..conftest import LANGUAGES
from ..core.test_machine_mail import dsn
from ..factories import PASSWORD, make_mail, sample_mail

FRENCH = "Bonjour, je voudrais savoir comment m'inscrire à la prochaine réunion du groupe."
GERMAN = "Guten Tag, ich möchte wissen, wie ich mich für das nächste Treffen anmelden kann."


def _with_attachment(data: bytes) -> bytes:
    from email import message_from_bytes, policy

    mail = message_from_bytes(data, policy=policy.default)
    assert isinstance(mail, EmailMessage)
    mail.add_attachment(b"%PDF-1.4 tiny", maintype="application", subtype="pdf", filename="a.pdf")
    return mail.as_bytes()


def _mail(key: str, **fields: object) -> bytes:
    return make_mail(message_id=f"<{key}@example.com>", **fields)  # type: ignore[arg-type]


def _scenario(ours: str) -> list[bytes]:
    """One batch that takes every branch: new tickets, threading by each means (tickets opened
    earlier in the batch included), unknown senders, machine mail, a bounce, reopening, a
    contact's name learned later, attachments, a duplicate and unparseable mail. ``ours`` is
    the Message-ID of the answer on ticket 1."""
    first = "<first@example.com>"
    opening = _mail(
        "first", subject="Inscription", body=FRENCH, sender="alice@example.com", sender_name=""
    )
    return [
        opening,
        _mail("second", subject="Question", body=FRENCH, sender="bob@example.com",
              to="fr@example.org"),
        _mail("m1", subject="Re: Inscription", body="Merci !", sender="Alice@Example.com",
              sender_name="Alice", in_reply_to=first),
        _mail("m2", subject="Re: Inscription", body="Moi aussi.", sender="carol@example.net",
              references=f"<unknown@example.com> {first}"),
        _mail("m3", subject="Re: [#3] Question", body="Encore.", sender="bob@example.com"),
        _mail("m4", subject="Absence", in_reply_to="<second@example.com>",
              sender="bob@example.com", extra_headers={"Auto-Submitted": "auto-replied"}),
        _with_attachment(_mail("m5", subject="Anmeldung", body=GERMAN, sender="dave@example.de")),
        _mail("m6", subject="Autre question", body=FRENCH, sender="ALICE@example.com",
              sender_name="Alice Martin"),
        b"not mail: no header at all\r\n",
        opening,  # the same mail again: a duplicate
        dsn(ours),
        _mail("m7", subject="Re: Question", body="Thanks, but it fails.", in_reply_to=ours),
        sample_mail("ja", message_id="<ja@example.com>"),
        _mail("m8", subject="Re: [#999] old", body=FRENCH, sender="erin@example.com"),
        _mail("m9", subject="Bonjour", body=FRENCH, sender="zoe@example.com", sender_name="Zoé"),
        # no reply address: a ticket each, a contact each; threaded mail is an unknown sender
        b"Subject: no sender here\r\n\r\nbody",
        b"From: MAILER-DAEMON\r\nSubject: Undeliverable\r\n\r\nbody",
        b"From: Alice\r\nIn-Reply-To: <first@example.com>\r\n\r\nMerci encore.",
    ]  # fmt: skip


def _fresh_helpdesk(session, context: IngestContext) -> str:
    """Empty tables (ids from 1 again), liaisons and mailboxes, one answered ticket; returns
    the answer's Message-ID."""
    session.expunge_all()
    with unit_of_work(session):
        if session.get_bind().dialect.name == "postgresql":
            tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                session.execute(table.delete())
    with unit_of_work(session):
        ensure_languages(session, LANGUAGES)
        for email, languages in [
            ("fr1@example.org", ("fr",)),
            ("fr2@example.org", ("fr",)),
            ("de@example.org", ("de",)),
            ("en@example.org", ("en",)),
        ]:
            create_user(session, NewUser(email, email, PASSWORD, Role.LIAISON, languages))
        session.add(Mailbox(address="fr@example.org", default_language_code="fr"))
        session.add(Contact(email="zoe@example.com"))  # known, but neither name nor language
    ticket_id = ingest(session, context, make_mail(message_id="<q@example.com>"), "t").ticket_id
    english = session.scalar(select(User).where(User.email == "en@example.org"))
    with unit_of_work(session):
        sent = reply(
            session,
            session.get(Ticket, ticket_id),
            english,
            ReplyInput("We will help."),
            MailSettings("help@example.org", "example.org"),
        )
    assert sent.message_id is not None
    return sent.message_id


MESSAGE_FIELDS = [
    "id",
    "ticket_id",
    "direction",
    "message_id",
    "in_reply_to",
    "references",
    "from_email",
    "from_name",
    "unknown_sender",
    "automatic",
    "language_code",
    "subject",
    "text",
    "quoted_text",
    "html",
    "to",
]


def _snapshot(session, our_message_id: str) -> dict[str, list[tuple]]:
    """Everything recorded, timestamps aside (checked as relations instead) and with the
    Message-ID of our answer (new in each run) as a placeholder."""
    session.expire_all()
    tickets = session.scalars(select(Ticket).order_by(Ticket.id)).all()
    events = session.scalars(select(TicketEvent).order_by(TicketEvent.id)).all()
    return {
        "tickets": [
            (
                t.id,
                t.subject,
                t.status,
                t.language_code,
                t.routing_rule,
                t.assignee.email if t.assignee else None,
                t.requester.email,
                t.mailbox.address if t.mailbox else None,
                t.resolved_at,
                t.updated_at == max(e.created_at for e in events if e.ticket_id == t.id),
                t.last_requester_message_at == _last_requester_message_at(t),
            )
            for t in tickets
        ],
        "contacts": [
            (c.id, c.email, c.name, c.language_code)
            for c in session.scalars(select(Contact).order_by(Contact.id))
        ],
        "messages": [
            tuple(
                str(getattr(m, name)).replace(our_message_id, "<ours>") for name in MESSAGE_FIELDS
            )
            for m in session.scalars(select(Message).order_by(Message.id))
        ],
        "attachments": [
            (a.message_id, a.filename, a.content_type, a.size, a.sha256, a.inline)
            for a in session.scalars(select(Attachment).order_by(Attachment.id))
        ],
        "events": [(e.ticket_id, e.kind, e.message_id, e.actor_id, e.data) for e in events],
        "raw_mail": [
            # the key's Message-ID: its content digest covers the Date each run stamps anew
            (r.id, _key_id(r.dedup_key, our_message_id), r.state, r.message_id, r.error)
            for r in session.scalars(select(RawMail).order_by(RawMail.id))
        ],
    }


def _key_id(dedup_key: str, our_message_id: str) -> str:
    return dedup_key.split(" ")[0].replace(our_message_id, "<ours>")


def _last_requester_message_at(ticket: Ticket):
    human = [m.created_at for m in ticket.messages if m.direction == "in" and not m.automatic]
    return max(human) if human else None


def test_a_batch_records_what_one_message_at_a_time_records(session, ingest_context):
    ours = _fresh_helpdesk(session, ingest_context)
    mails = _scenario(ours)
    single = [ingest(session, ingest_context, data, f"mail {n}") for n, data in enumerate(mails)]
    expected = _snapshot(session, ours)

    ours = _fresh_helpdesk(session, ingest_context)
    mails = _scenario(ours)
    bulk = ingest_batch(session, ingest_context, [(d, f"mail {n}") for n, d in enumerate(mails)])

    assert [(r.outcome, r.ticket_id) for r in bulk] == [(r.outcome, r.ticket_id) for r in single]
    assert _snapshot(session, ours) == expected
    outcomes = [r.outcome for r in bulk]
    assert outcomes.count(Outcome.CREATED) == 9 and outcomes.count(Outcome.THREADED) == 7
    assert outcomes[8:10] == [Outcome.FAILED, Outcome.DUPLICATE]


def test_the_scenario_means_what_it_says(session, ingest_context):
    """What the equivalence above compares is right in itself."""
    mails = _scenario(_fresh_helpdesk(session, ingest_context))
    results = ingest_batch(session, ingest_context, [(d, "bulk") for d in mails])
    session.expire_all()
    first, bob = session.get(Ticket, 2), session.get(Ticket, 3)
    assert [m.unknown_sender for m in first.messages] == [False, False, True, True]
    assert first.assignee.email != bob.assignee.email  # counts include the batch's tickets
    assert results[4].ticket_id == bob.id  # "[#3]" names a ticket opened in this batch
    assert bob.messages[-1].automatic and bob.status == Status.OPEN
    alice = session.scalar(select(Contact).where(Contact.email == "alice@example.com"))
    assert alice.name == "Alice Martin" and alice.language_code == "fr"
    answered = session.get(Ticket, 1)
    assert session.scalar(select(OutboxMail.state)) == OutboxState.FAILED  # the bounce
    assert answered.status == Status.OPEN  # the requester's answer after the bounce
    kinds = session.scalars(
        select(TicketEvent.kind).where(TicketEvent.ticket_id == 1).order_by(TicketEvent.id)
    ).all()
    assert kinds[-4:] == [
        EventKind.MESSAGE_RECEIVED,
        EventKind.DELIVERY_FAILED,
        EventKind.MESSAGE_RECEIVED,
        EventKind.STATUS_CHANGED,
    ]
    german = session.get(Ticket, results[6].ticket_id)
    data = ingest_context.inbound.attachments.get(german.messages[0].attachments[0].sha256)
    assert data == b"%PDF-1.4 tiny"
    assert results[13].outcome == Outcome.CREATED  # "[#999]" names no ticket
    zoe = session.scalar(select(Contact).where(Contact.email == "zoe@example.com"))
    assert (zoe.name, zoe.language_code) == ("Zoé", "fr")
    strangers = [session.get(Ticket, r.ticket_id).requester for r in results[15:17]]
    assert [(c.email, c.name) for c in strangers] == [(None, ""), (None, "MAILER-DAEMON")]
    assert strangers[0].id != strangers[1].id
    assert results[17].ticket_id == first.id


def test_a_batch_that_breaks_is_taken_again_one_message_at_a_time(
    session, ingest_context, monkeypatch
):
    def explode(*args, **kwargs):
        raise RuntimeError("database fell over")

    monkeypatch.setattr("mail_ingest.pipeline.record_inbound_batch", explode)
    items = [(make_mail(subject="One"), "a"), (b"not mail: no header at all", "b")]
    items.append((make_mail(subject="Two"), "c"))
    results = ingest_batch(session, ingest_context, items)
    assert [r.outcome for r in results] == [Outcome.CREATED, Outcome.FAILED, Outcome.CREATED]
    assert sorted(session.scalars(select(Ticket.subject))) == ["One", "Two"]
    states = session.scalars(select(RawMail.state).order_by(RawMail.id)).all()
    assert states == ["processed", "failed", "processed"]


def test_mail_another_process_took_meanwhile_is_a_duplicate(session, ingest_context, monkeypatch):
    from mail_ingest import pipeline

    def taken_by_someone_else(session, raw_ids, states):
        return set()

    monkeypatch.setattr(pipeline, "claim_for_processing", taken_by_someone_else)
    [result] = ingest_batch(session, ingest_context, [(make_mail(), "a")])
    assert result.outcome == Outcome.DUPLICATE
    assert session.scalar(select(Ticket.id)) is None


def test_an_import_across_batches_counts_threads_and_deduplicates(
    app, session, tmp_path, monkeypatch
):
    """Replies and a resent mail in later batches: the counts, the duplicate and the threading
    come out as if the mail had come in one batch."""
    import mailbox

    from helpdesk import mail_import

    monkeypatch.setattr(mail_import, "BATCH_SIZE", 3)
    box = mailbox.mbox(tmp_path / "import.mbox")
    first = _mail("root", subject="Inscription", body=FRENCH, sender="alice@example.com")
    box.add(first)
    for n in range(8):
        box.add(
            _mail(
                f"r{n}",
                subject="Re: Inscription",
                body=f"Merci {n}.",
                in_reply_to="<root@example.com>",
                sender="alice@example.com",
            )
        )
    box.add(first)  # the same mail again, three batches later
    box.close()
    summary = mail_import.import_mail(app, [tmp_path / "import.mbox"]).as_dict()
    assert (summary["tickets_created"], summary["threaded"], summary["duplicates"]) == (1, 8, 1)
    assert session.query(Ticket).count() == 1
    assert session.query(Message).count() == 9
