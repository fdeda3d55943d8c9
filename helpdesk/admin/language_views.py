"""Languages and their queues: admins add languages and set how each queue works."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..core.models import AssignmentStrategy, Language
from ..core.services.language_detection import supported_language_codes
from ..core.services.languages import (
    LanguageError,
    QueueSettings,
    add_language,
    all_languages,
    update_queue,
)
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from .forms import AddLanguageForm, QueueSettingsForm
from .views import admin_required, blueprint


def _settings_form(language: Language) -> QueueSettingsForm:
    return QueueSettingsForm(prefix=language.code, obj=language)


def _render(
    add_form: AddLanguageForm | None = None,
    failed: tuple[str, QueueSettingsForm] | None = None,
) -> str:
    """The page; a form that failed validation is shown as submitted, with its errors."""
    languages = all_languages(db.session)
    forms = {language.code: _settings_form(language) for language in languages}
    if failed is not None:
        forms[failed[0]] = failed[1]
    return render_template(
        "admin/languages.html",
        languages=languages,
        forms=forms,
        add_form=add_form or AddLanguageForm(),
        addable=sorted(supported_language_codes() - {language.code for language in languages}),
    )


@blueprint.route("/languages")
@admin_required
def languages() -> str:
    """Every language with its queue's settings, and the form to add one."""
    return _render()


@blueprint.route("/languages", methods=["POST"])
@admin_required
def add_language_view() -> str | Response:
    form = AddLanguageForm()
    if not form.validate_on_submit():
        return _render(add_form=form), 400  # type: ignore[return-value]
    try:
        with unit_of_work(db.session):
            language = add_language(db.session, form.code.data or "")
    except LanguageError as error:
        form.code.errors = [*form.code.errors, describe(error)]
        return _render(add_form=form), 400  # type: ignore[return-value]
    flash(_("%(name)s added; new mail in it now reaches its queue.", name=language.name), "success")
    return redirect(url_for("admin.languages"))


@blueprint.route("/languages/<code>", methods=["POST"])
@admin_required
def update_language(code: str) -> str | Response:
    language = db.session.get(Language, code)
    if language is None:
        abort(404)
    form = QueueSettingsForm(prefix=code)
    if not form.validate_on_submit():
        return _render(failed=(code, form)), 400  # type: ignore[return-value]
    settings = QueueSettings(
        assignment_strategy=AssignmentStrategy(form.assignment_strategy.data),
        first_response_hours=form.first_response_hours.data or 0,
        auto_acknowledge=form.auto_acknowledge.data,
        active=form.active.data,
    )
    with unit_of_work(db.session):
        update_queue(db.session, language, settings)
    flash(_("Settings for %(name)s saved.", name=language.name), "success")
    return redirect(url_for("admin.languages"))
