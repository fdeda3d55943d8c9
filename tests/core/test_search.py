"""Search through the database's own full-text index, on SQLite (FTS5) and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from helpdesk.core.models import Message, Role, Status, Ticket, utcnow
from helpdesk.core.services.replies import add_note
from helpdesk.core.services.routing import correct_language
from helpdesk.core.services.search import QueryError, SearchFilters, search_tickets
from helpdesk.core.services.search_maintenance import (
    compare_range,
    id_ranges,
    reindex_range,
    repair,
)
from helpdesk.core.services.search_postings import index_messages
from helpdesk.core.services.tags import add_tag
from helpdesk.core.unit_of_work import unit_of_work
from tests.factories import make_mail


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR, languages=("en",))


@pytest.fixture
def ticket_in(session, deliver):
    """A ticket in ``language`` whose only message says ``body``, indexed."""
    counter = iter(range(1000))

    def make(language: str, body: str, subject: str = "Question", sender: str | None = None):
        n = next(counter)
        result = deliver(
            make_mail(subject=subject, body=body, sender=sender or f"person{n}@example.com")
        )
        with unit_of_work(session):
            ticket = session.get(Ticket, result.ticket_id)
            correct_language(session, ticket, language, None)  # reindexes in that language
            index_messages(session, [m.id for m in ticket.messages])
        return ticket

    return make


def found(session, query, viewer, **filters):
    results = search_tickets(session, query, viewer, SearchFilters(**filters))
    return [hit.ticket.id for hit in results.hits]


LANGUAGE_CASES = [
    ("en", "The printers keep failing since Monday.", "failed printer"),
    ("fr", "Nos factures sont bloquées depuis lundi.", "facture bloqué"),
    ("de", "Die Verbindungen sind seit Montag gestört.", "Verbindung"),
    ("es", "Tenemos problemas con las solicitudes.", "solicitud problema"),
    ("pt", "Os pedidos foram cancelados ontem.", "pedido cancelado"),
    ("ru", "Проблемы с подключением продолжаются.", "проблема подключение"),
    ("ar", "المُشْكِلَة مع المسؤولين مستمرة", "مشكلة مسوول"),
    ("hi", "मेरी किताबें अभी तक नहीं आईं", "किताब"),
    ("ja", "東京都庁で会議がありました", "会議"),
    ("zh", "我们的网络连接有问题", "连接"),
]


@pytest.mark.parametrize(("language", "body", "query"), LANGUAGE_CASES, ids=lambda v: v[:8])
def test_each_language_finds_another_form_of_the_word(
    session, ticket_in, coordinator, language, body, query
):
    ticket = ticket_in(language, body)
    ticket_in("en", "Nothing to see here.")
    assert found(session, query, coordinator) == [ticket.id]


@pytest.mark.parametrize(
    ("language", "body", "query"),
    [
        ("hi", "मेरी किताबें अभी तक नहीं आईं", "ताब"),  # a fragment of किताबें
        ("ja", "東京都庁で会議がありました", "東都"),  # two characters, not adjacent
        ("zh", "我们的网络连接有问题", "网接"),
    ],
)
def test_no_match_on_fragments_or_non_adjacent_characters(
    session, ticket_in, coordinator, language, body, query
):
    ticket_in(language, body)
    assert found(session, query, coordinator) == []


def test_arabic_with_and_without_hamza_and_diacritics(session, ticket_in, coordinator):
    ticket = ticket_in("ar", "أرسلت الطلب إلى المسؤول")
    for query in ("ارسلت", "أَرْسَلْتُ", "المسؤول", "مسوول", "مسؤولين"):
        assert found(session, query, coordinator) == [ticket.id], query


def test_query_syntax(session, ticket_in, coordinator, make_user):
    visa = ticket_in("en", "My visa application was refused.", sender="alice@example.com")
    refund = ticket_in("en", "Please refund the visa fee.", subject="Refund")
    ticket_in("fr", "Demande de visa pour Paris.")
    assert set(found(session, "visa", coordinator)) >= {visa.id, refund.id}
    assert found(session, "visa refund", coordinator) == [refund.id]
    assert set(found(session, "refused OR refund", coordinator)) == {visa.id, refund.id}
    assert found(session, "visa application -refund lang:en", coordinator) == [visa.id]
    assert found(session, '"visa fee"', coordinator) == [refund.id]
    assert found(session, '"fee visa"', coordinator) == []
    assert found(session, "visa from:alice@example.com", coordinator) == [visa.id]
    assert found(session, "subject:refund", coordinator) == [refund.id]
    assert found(session, "appli*", coordinator) == [visa.id]
    assert set(found(session, "visa lang:fr", coordinator)) == set(
        found(session, "visa", coordinator, language="fr")
    )
    with unit_of_work(session):
        add_tag(session, refund, "money", coordinator)
    assert found(session, "visa tag:money", coordinator) == [refund.id]
    assert found(session, "money", coordinator) == [refund.id]  # tags are indexed text too
    assert found(session, f"visa date:{utcnow():%Y-%m}", coordinator) != []
    assert found(session, "visa before:2001", coordinator) == []
    assert found(session, "visa status:closed", coordinator) == []
    assert visa.id in found(session, f"visa status:{Status(visa.status).value}", coordinator)
    with pytest.raises(QueryError):
        search_tickets(session, "NOT visa", coordinator)


def test_results_respect_queue_visibility(session, ticket_in, make_user, coordinator):
    french = ticket_in("fr", "Problème de passeport urgent")
    german = ticket_in("de", "Problem mit dem Passport urgent")
    liaison = make_user(Role.LIAISON, languages=("fr",))
    assert found(session, "urgent", liaison) == [french.id]
    assert set(found(session, "urgent", coordinator)) == {french.id, german.id}


def test_notes_are_indexed_and_results_are_grouped_by_ticket(session, ticket_in, coordinator):
    ticket = ticket_in("en", "The parcel is lost.")
    with unit_of_work(session):
        add_note(session, ticket, coordinator, "Parcel traced to the depot in Lyon.")
    results = search_tickets(session, "parcel", coordinator)
    assert [hit.ticket.id for hit in results.hits] == [ticket.id] and results.total == 1
    assert found(session, "lyon", coordinator) == [ticket.id]
    assert "«" in (search_tickets(session, "depot", coordinator).hits[0].snippet.text)


def test_check_index_finds_and_repairs_missing_stale_and_orphan_postings(
    session, ticket_in, coordinator
):
    first = ticket_in("en", "Broken heating in the flat.")
    second = ticket_in("en", "Water leak in the kitchen.")
    with unit_of_work(session):
        message = session.get(Message, second.messages[0].id)
        message.text = "Gas leak in the kitchen."  # changed behind the index's back
        key = "rowid" if session.get_bind().dialect.name == "sqlite" else "message_id"
        session.execute(
            text(f"DELETE FROM search_postings WHERE {key} = :id"), {"id": first.messages[0].id}
        )
        index_messages(session, [])  # nothing: a no-op
    ranges = list(id_ranges(session, size=1))
    differences = compare_range(session, ranges[0])
    for other in ranges[1:]:
        differences.add(compare_range(session, other))
    assert differences.missing == [first.messages[0].id]
    assert differences.stale == [second.messages[0].id]
    with unit_of_work(session):
        repair(session, differences)
    assert found(session, "gas", coordinator) == [second.id]
    assert found(session, "heating", coordinator) == [first.id]
    assert not any(compare_range(session, r) for r in id_ranges(session))


def test_reindex_rebuilds_in_ranges(session, ticket_in, coordinator):
    tickets = [ticket_in("fr", f"Demande numéro {n} concernant la carte") for n in range(5)]
    session.execute(text("DELETE FROM search_postings"))
    session.commit()
    assert found(session, "carte", coordinator) == []
    for ids in id_ranges(session, size=2):
        with unit_of_work(session):
            reindex_range(session, ids)
        assert found(session, "carte", coordinator)  # serving all along
    assert set(found(session, "cartes", coordinator)) == {t.id for t in tickets}


def test_very_common_words_look_among_the_newest_matches_first(
    session, ticket_in, coordinator, monkeypatch
):
    from helpdesk.core.services import search_matching

    tickets = [ticket_in("en", f"Parcel number {n} was delayed.") for n in range(6)]
    monkeypatch.setattr(search_matching, "RANKED", 2)
    first = search_tickets(session, "parcel", coordinator, per_page=2)
    assert len(first.hits) == 2 and not first.exact
    # A later page widens the window until it holds enough tickets.
    third = search_tickets(session, "parcel", coordinator, page=3, per_page=2)
    assert len(third.hits) == 2
    assert set(found(session, "parcel", coordinator)) == {t.id for t in tickets}
    only = found(session, f"parcel from:person{0}@example.com", coordinator)
    assert only == [tickets[0].id]  # a narrow filter still finds the oldest match


def test_phrases_are_ranked_when_their_matches_fit_the_window_else_newest_first(
    session, ticket_in, coordinator, monkeypatch
):
    from helpdesk.core.services import search_matching

    monkeypatch.setattr(search_matching, "RANKED", 3)
    for n in range(4):  # bm25 needs most messages not to match to score at all
        ticket_in("en", f"Unrelated question {n}.")
    strong = ticket_in("en", "Parcel delayed. Parcel delayed again, parcel delayed.")
    weak = ticket_in("en", "The parcel delayed us " + "and more words " * 30)
    ranked = search_tickets(session, '"parcel delayed"', coordinator)
    assert [h.ticket.id for h in ranked.hits] == [strong.id, weak.id] and ranked.exact
    assert ranked.hits[0].score > ranked.hits[1].score
    more = [ticket_in("en", f"Parcel delayed, number {n}.") for n in range(3)]
    newest = search_tickets(session, '"parcel delayed"', coordinator, per_page=3)
    assert not newest.exact  # more matches than the window: the newest, unranked
    assert [h.ticket.id for h in newest.hits] == [t.id for t in reversed(more)]


def test_mail_is_searchable_as_soon_as_it_is_recorded(
    session, deliver, ingest_context, coordinator
):
    """The postings are written in the recording transaction: no reindex, single or bulk."""
    from mail_ingest.pipeline import ingest_batch

    single = deliver(make_mail(subject="Visa", body="My passport application is delayed."))
    batch = ingest_batch(
        session,
        ingest_context,
        [(make_mail(subject="Reisepass", body="Mein Reisepass ist noch nicht da."), "import")],
    )
    assert found(session, "passport", coordinator) == [single.ticket_id]
    assert found(session, "Reisepass", coordinator) == [batch[0].ticket_id]


def test_did_you_mean_respells_from_the_index_and_only_toward_visible_tickets(
    session, ticket_in, coordinator, make_user
):
    for n in range(2):
        ticket_in("en", f"My passport renewal number {n} is late.")
    hidden = ticket_in("de", "Die Steuererklärung ist verloren.")
    hidden_too = ticket_in("de", "Noch eine Steuererklärung fehlt.")
    results = search_tickets(session, "pasport", coordinator)
    assert results.total == 0 and results.suggestion == "passport"
    assert search_tickets(session, "passport", coordinator).suggestion is None
    respelt = search_tickets(session, "Steuererklärnug", coordinator)
    assert respelt.suggestion == "steuererklärung"
    liaison = make_user(Role.LIAISON, languages=("en",))
    assert {hidden.id, hidden_too.id}.isdisjoint(found(session, "steuererklärung", liaison))
    assert search_tickets(session, "Steuererklärnug", liaison).suggestion is None


def test_english_quoted_history_of_a_french_ticket_is_found_by_english_inflections(
    session, ticket_in, coordinator
):
    body = (
        "Bonjour, voir ci-dessous, merci.\n\n"
        "> The printers have been failing since Monday and we tried everything.\n"
        "> Thank you for your help with this.\n"
    )
    ticket = ticket_in("fr", body)
    message = ticket.messages[0]
    assert "failing" in message.quoted_text and "failing" not in message.text
    assert found(session, "failed printer", coordinator) == [ticket.id]
    assert found(session, "merci", coordinator) == [ticket.id]  # the French text stays French
    ids = list(id_ranges(session))
    assert not any(compare_range(session, r) for r in ids)  # the digest says how it was indexed
