"""Keeping template translations current: a changed source text makes the others outdated
until saved or confirmed; every saved text is kept with its author and a diff."""

import pytest

from helpdesk.core.errors import TemplateVariantNotTranslation
from helpdesk.core.models import ReplyTemplate, Role
from helpdesk.core.services.languages import active_languages
from helpdesk.core.services.permissions import NotPermitted
from helpdesk.core.services.reply_templates import (
    create_template,
    save_variant,
    save_variants,
    variants_for_ticket,
)
from helpdesk.core.services.template_history import variant_history
from helpdesk.core.services.template_translations import (
    VariantState,
    confirm_translation,
    record_template_use,
    translation_matrix,
    update_details,
    variant_state,
)
from helpdesk.core.unit_of_work import unit_of_work


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR, name="Chloé Coordinator")


@pytest.fixture
def template(session, coordinator) -> ReplyTemplate:
    """Opening hours in English (the source), French and German, all current."""
    with unit_of_work(session):
        template = create_template(session, coordinator, "Opening hours")
        save_variants(
            session,
            coordinator,
            template,
            {
                "en": ("Opening hours", "Hello {requester_name}, we open at 9."),
                "fr": ("Horaires", "Bonjour {requester_name}, nous ouvrons à 9 h."),
                "de": ("Öffnungszeiten", "Hallo {requester_name}, wir öffnen um 9."),
            },
        )
    return template


def _states(template):
    return {code: variant_state(template, code) for code in ("en", "fr", "de", "es")}


def test_new_texts_are_current_and_the_source_is_english_by_default(template):
    assert template.source_language == "en"
    assert _states(template) == {
        "en": VariantState.SOURCE,
        "fr": VariantState.CURRENT,
        "de": VariantState.CURRENT,
        "es": VariantState.MISSING,
    }


def test_editing_the_source_makes_every_other_language_outdated(session, coordinator, template):
    with unit_of_work(session):
        save_variant(session, coordinator, template, "en", "Opening hours", "We open at 10.")
    assert _states(template)["fr"] is VariantState.OUTDATED
    assert _states(template)["de"] is VariantState.OUTDATED
    assert _states(template)["en"] is VariantState.SOURCE


def test_renaming_the_source_text_also_makes_the_others_outdated(session, coordinator, template):
    with unit_of_work(session):
        save_variant(session, coordinator, template, "en", "Hours", template.variant("en").body)
    assert _states(template)["fr"] is VariantState.OUTDATED


def test_saving_the_source_unchanged_keeps_the_others_current(session, coordinator, template):
    source = template.variant("en")
    with unit_of_work(session):
        save_variant(session, coordinator, template, "en", source.name, source.body)
    assert _states(template)["fr"] is VariantState.CURRENT


def test_confirming_makes_only_that_language_current(session, coordinator, template):
    with unit_of_work(session):
        save_variant(session, coordinator, template, "en", "Opening hours", "We open at 10.")
    with unit_of_work(session):
        confirm_translation(session, coordinator, template, "fr")
    assert _states(template)["fr"] is VariantState.CURRENT
    assert _states(template)["de"] is VariantState.OUTDATED


def test_editing_a_translation_makes_only_it_current(session, coordinator, template):
    with unit_of_work(session):
        save_variant(session, coordinator, template, "en", "Opening hours", "We open at 10.")
    with unit_of_work(session):
        save_variant(session, coordinator, template, "de", "Öffnungszeiten", "Wir öffnen um 10.")
    assert _states(template)["de"] is VariantState.CURRENT
    assert _states(template)["fr"] is VariantState.OUTDATED


def test_save_all_with_a_new_source_leaves_unchanged_translations_outdated(
    session, coordinator, template
):
    texts = {v.language_code: (v.name, v.body) for v in template.variants}
    texts["en"] = ("Opening hours", "We open at 10.")
    texts["fr"] = ("Horaires", "Nous ouvrons à 10 h.")
    with unit_of_work(session):
        save_variants(session, coordinator, template, texts)
    assert _states(template)["fr"] is VariantState.CURRENT
    assert _states(template)["de"] is VariantState.OUTDATED


def test_the_source_cannot_be_confirmed_nor_a_missing_text(session, coordinator, template):
    for code in ("en", "es"):
        with pytest.raises(TemplateVariantNotTranslation):
            confirm_translation(session, coordinator, template, code)


def test_a_liaison_cannot_confirm(session, make_user, template):
    with pytest.raises(NotPermitted):
        confirm_translation(session, make_user(Role.LIAISON), template, "fr")


def test_changing_the_source_language_starts_afresh(session, coordinator, template):
    with unit_of_work(session):
        save_variant(session, coordinator, template, "en", "Opening hours", "We open at 10.")
    with unit_of_work(session):
        update_details(session, coordinator, template, "Opening hours", " Hours  info ", "fr")
    assert template.category == "Hours info"
    assert _states(template) == {
        "en": VariantState.CURRENT,
        "fr": VariantState.SOURCE,
        "de": VariantState.CURRENT,
        "es": VariantState.MISSING,
    }
    with unit_of_work(session):
        save_variant(session, coordinator, template, "fr", "Horaires", "Nous ouvrons à 10 h.")
    assert _states(template)["en"] is VariantState.OUTDATED


def test_the_matrix_filters_by_state(session, coordinator, template):
    languages = active_languages(session)
    with unit_of_work(session):
        other = create_template(session, coordinator, "Thanks")
        save_variant(session, coordinator, other, "en", "Thanks", "Thank you.")
        save_variant(session, coordinator, other, "fr", "Merci", "Merci.")
    with unit_of_work(session):
        save_variant(session, coordinator, template, "en", "Opening hours", "We open at 10.")
    rows = translation_matrix(session, languages, only=VariantState.OUTDATED)
    assert [row.template.key for row in rows] == ["opening_hours"]
    everything = {row.template.key: row.states for row in translation_matrix(session, languages)}
    assert everything["thanks"]["fr"] is VariantState.CURRENT
    assert everything["thanks"]["de"] is VariantState.MISSING


def test_history_keeps_author_text_and_a_diff_against_the_previous_version(
    session, coordinator, make_user, template
):
    other = make_user(Role.ADMIN, name="Ada Admin")
    with unit_of_work(session):
        save_variant(
            session, other, template, "fr", "Horaires", "Bonjour <b>{requester_name}</b>,\nà 10 h."
        )
    history = variant_history(session, template, "fr")
    assert [entry.revision.author.name for entry in history] == ["Ada Admin", "Chloé Coordinator"]
    newest, first = history
    assert newest.revision.body == "Bonjour <b>{requester_name}</b>,\nà 10 h."
    assert first.diff == []
    kinds = {(line.kind, line.text) for line in newest.diff}
    assert ("del", "Bonjour {requester_name}, nous ouvrons à 9 h.") in kinds
    assert ("add", "Bonjour <b>{requester_name}</b>,") in kinds
    assert ("add", "à 10 h.") in kinds
    assert ("same", "Horaires") in kinds


def test_an_unchanged_save_adds_no_history(session, coordinator, template):
    source = template.variant("en")
    with unit_of_work(session):
        save_variant(session, coordinator, template, "en", source.name, source.body)
    assert len(variant_history(session, template, "en")) == 1


def test_the_picker_offers_the_most_used_templates_first(
    session, coordinator, template, create_ticket
):
    with unit_of_work(session):
        thanks = create_template(session, coordinator, "Thanks")
        save_variant(session, coordinator, thanks, "fr", "Merci", "Merci.")
    ticket = create_ticket("fr")
    first = variants_for_ticket(session, ticket)
    assert [v.name for v in first if v.language_code == "fr"] == ["Horaires", "Merci"]
    with unit_of_work(session):
        record_template_use(session, thanks.variant("fr").id)
    session.expire_all()
    again = variants_for_ticket(session, ticket)
    assert [v.name for v in again if v.language_code == "fr"] == ["Merci", "Horaires"]
    assert again[0].language_code == "fr"
    assert session.get(ReplyTemplate, thanks.id).use_count == 1
