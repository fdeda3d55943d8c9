"""Template texts out to translators and back as PO files: what goes out, what comes back,
and a file with any problem changes nothing."""

import polib
import pytest

from helpdesk.core.errors import (
    TemplateImportIsSource,
    TemplateImportLanguageUnknown,
    TemplateImportRejected,
    TemplateImportSourceChanged,
    TemplateImportUnreadable,
    TemplatePlaceholderMismatch,
)
from helpdesk.core.models import Language, Role
from helpdesk.core.services.permissions import NotPermitted
from helpdesk.core.services.reply_templates import create_template, save_variant, save_variants
from helpdesk.core.services.template_exchange import MAX_PO_BYTES, export_po, import_po, read_po
from helpdesk.core.services.template_history import variant_history
from helpdesk.core.services.template_translations import (
    VariantState,
    update_details,
    variant_state,
)
from helpdesk.core.unit_of_work import unit_of_work


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR)


@pytest.fixture
def templates(session, coordinator):
    """hours: current in French, then the English changes (French outdated); thanks: no
    French; sign: French current."""
    made = {}
    with unit_of_work(session):
        for name, texts in (
            (
                "Hours",
                {
                    "en": ("Hours", "Hi {requester_name}, we open at 9."),
                    "fr": ("Horaires", "Bonjour {requester_name}, à 9 h."),
                },
            ),
            ("Thanks", {"en": ("Thanks", "Thanks for {subject}, {requester_name}.")}),
            ("Sign", {"en": ("Sign", "Regards"), "fr": ("Signature", "Cordialement")}),
        ):
            made[name.lower()] = template = create_template(session, coordinator, name)
            save_variants(session, coordinator, template, texts)
        update_details(session, coordinator, made["thanks"], "Thanks", "Courtesy", "en")
    with unit_of_work(session):
        save_variant(
            session,
            coordinator,
            made["hours"],
            "en",
            "Hours",
            "Hi {requester_name}, we open at 10.",
        )
    return made


def _export(session, **flags):
    po = export_po(session, session.get(Language, "fr"), **flags)
    return polib.pofile(str(po))  # what a translator's tool reads


def _by_context(po):
    return {entry.msgctxt: entry for entry in po}


def test_export_of_missing_and_outdated_texts(session, templates):
    po = _export(session, missing=True, outdated=True)
    assert po.metadata["Language"] == "fr"
    entries = _by_context(po)
    assert set(entries) == {"hours|name", "hours|body", "thanks|name", "thanks|body"}
    hours = entries["hours|body"]
    assert hours.msgid == "Hi {requester_name}, we open at 10."
    assert hours.fuzzy and hours.msgstr == "Bonjour {requester_name}, à 9 h."
    assert hours.previous_msgid == "Hi {requester_name}, we open at 9."
    assert "Template: Hours" in hours.comment
    thanks = entries["thanks|body"]
    assert thanks.msgstr == "" and not thanks.fuzzy and "Category: Courtesy" in thanks.comment


def test_export_flags_choose_and_without_flags_every_text_goes(session, templates):
    assert {e.msgctxt for e in _export(session, missing=True)} == {"thanks|name", "thanks|body"}
    assert {e.msgctxt for e in _export(session, outdated=True)} == {"hours|name", "hours|body"}
    everything = _by_context(_export(session))
    assert set(everything) >= {"hours|body", "thanks|body", "sign|body", "sign|name"}
    assert everything["sign|body"].msgstr == "Cordialement"
    assert not everything["sign|body"].fuzzy


def _translate(po, texts):
    """What a translator does in their tool: fill texts and clear the fuzzy flag."""
    for entry in po:
        if entry.msgctxt in texts:
            entry.msgstr = texts[entry.msgctxt]
            if entry.fuzzy:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = None
    return str(po).encode()


def test_round_trip_imports_the_translations_and_makes_them_current(
    session, coordinator, templates
):
    data = _translate(
        _export(session, missing=True, outdated=True),
        {
            "hours|body": "Bonjour {requester_name}, à 10 h.",
            "thanks|name": "Remerciements",
            "thanks|body": "Merci pour {subject}, {requester_name}.",
        },
    )
    with unit_of_work(session):
        plan = import_po(session, coordinator, read_po(data))
    # the translator left the name of "hours" fuzzy: skipped, the old name stays
    assert len(plan.changes) == 2 and plan.skipped_fuzzy == 1 and plan.skipped_empty == 0
    hours, thanks = templates["hours"], templates["thanks"]
    assert hours.variant("fr").body == "Bonjour {requester_name}, à 10 h."
    assert variant_state(hours, "fr") is VariantState.CURRENT
    assert thanks.variant("fr").name == "Remerciements"
    assert variant_state(thanks, "fr") is VariantState.CURRENT
    assert variant_history(session, hours, "fr")[0].revision.author_id == coordinator.id


def test_fuzzy_and_empty_entries_are_skipped_and_counted(session, coordinator, templates):
    data = str(_export(session, missing=True, outdated=True)).encode()
    with unit_of_work(session):
        plan = import_po(session, coordinator, read_po(data))
    assert plan.changes == [] and plan.skipped_fuzzy == 2 and plan.skipped_empty == 2
    assert variant_state(templates["hours"], "fr") is VariantState.OUTDATED


def test_a_placeholder_mismatch_names_template_and_placeholder(session, coordinator, templates):
    data = _translate(
        _export(session, missing=True),
        {"thanks|body": "Merci pour {sujet}, {requester_name}."},
    )
    with pytest.raises(TemplateImportRejected) as refused:
        import_po(session, coordinator, read_po(data))
    errors = {(type(e), e.key, e.placeholder, e.missing) for e in refused.value.errors}
    assert errors == {
        (TemplatePlaceholderMismatch, "thanks", "subject", True),
        (TemplatePlaceholderMismatch, "thanks", "sujet", False),
    }


def test_a_half_bad_file_changes_nothing(session, coordinator, templates):
    data = _translate(
        _export(session, missing=True, outdated=True),
        {
            "hours|body": "Bonjour {requester_name}, à 10 h.",  # fine
            "thanks|body": "Merci.",  # drops two placeholders
        },
    )
    with pytest.raises(TemplateImportRejected), unit_of_work(session):
        import_po(session, coordinator, read_po(data))
    session.expire_all()
    assert templates["hours"].variant("fr").body == "Bonjour {requester_name}, à 9 h."
    assert templates["thanks"].variant("fr") is None
    assert variant_state(templates["hours"], "fr") is VariantState.OUTDATED


def test_dry_run_reports_and_changes_nothing(session, coordinator, templates):
    data = _translate(
        _export(session, outdated=True), {"hours|body": "Bonjour {requester_name}, à 10 h."}
    )
    plan = import_po(session, None, read_po(data), dry_run=True)
    assert [(c.template.key, c.state_before, c.text_changes) for c in plan.changes] == [
        ("hours", VariantState.OUTDATED, True)
    ]
    session.commit()
    session.expire_all()
    assert templates["hours"].variant("fr").body == "Bonjour {requester_name}, à 9 h."


def test_a_source_changed_since_export_refuses_the_file(session, coordinator, templates):
    data = _translate(
        _export(session, missing=True), {"thanks|body": "Merci {subject} {requester_name}"}
    )
    with unit_of_work(session):
        save_variant(
            session,
            coordinator,
            templates["thanks"],
            "en",
            "Thanks",
            "Thanks, {requester_name}, {subject}.",
        )
    with pytest.raises(TemplateImportRejected) as refused:
        import_po(session, coordinator, read_po(data))
    assert [type(e) for e in refused.value.errors] == [TemplateImportSourceChanged]


def test_wrong_language_and_source_language_files_are_refused(session, coordinator, templates):
    po = _export(session, missing=True)
    po.metadata["Language"] = "xx"
    with pytest.raises(TemplateImportRejected) as refused:
        import_po(session, coordinator, read_po(str(po).encode()))
    assert isinstance(refused.value.errors[0], TemplateImportLanguageUnknown)
    po.metadata["Language"] = "en"
    data = _translate(po, {"thanks|body": "Thanks {subject} {requester_name}"})
    with pytest.raises(TemplateImportRejected) as refused:
        import_po(session, coordinator, read_po(data))
    assert isinstance(refused.value.errors[0], TemplateImportIsSource)


@pytest.mark.parametrize("data", [b"", b"\xff\xfe garbage \x00", b"hello world\n"])
def test_unreadable_files_are_one_refusal(data):
    with pytest.raises(TemplateImportUnreadable):
        read_po(data)


def test_files_over_the_size_bound_are_refused_unread():
    with pytest.raises(TemplateImportUnreadable):
        read_po(b"#" * (MAX_PO_BYTES + 1))


def test_liaisons_cannot_import(session, make_user, templates):
    data = str(_export(session, missing=True)).encode()
    with pytest.raises(NotPermitted):
        import_po(session, make_user(Role.LIAISON), read_po(data))
