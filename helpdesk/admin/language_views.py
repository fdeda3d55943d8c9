"""Languages and their queues: admins add languages and set how each queue works."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import available_timezones

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
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
from ..core.services.sla import policy_for
from ..core.services.sla_policies import SlaPolicyError, SlaSettings, settings_of
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from .forms import AddLanguageForm, QueueSettingsForm
from .views import admin_required, blueprint


def _settings_form(language: Language) -> QueueSettingsForm:
    policy = settings_of(policy_for(language))
    return QueueSettingsForm(
        prefix=language.code,
        obj=language,
        first_response_hours=policy.first_response_hours,
        resolution_hours=policy.resolution_hours,
        business_hours=policy.business_hours,
        timezone=policy.timezone,
        opens_at=time.fromisoformat(policy.opens_at),
        closes_at=time.fromisoformat(policy.closes_at),
        working_days=list(policy.working_days),
        holidays="\n".join(day.isoformat() for day in policy.holidays),
    )


def _sla_settings(form: QueueSettingsForm) -> SlaSettings:
    """The policy as submitted; a holiday that is not a date is reported on its field."""
    holidays = []
    for word in (form.holidays.data or "").replace(",", " ").split():
        try:
            holidays.append(date.fromisoformat(word))
        except ValueError as error:
            raise SlaPolicyError("holidays", word) from error
    return SlaSettings(
        first_response_hours=form.first_response_hours.data or 0,
        resolution_hours=form.resolution_hours.data or 0,
        business_hours=bool(form.business_hours.data),
        timezone=(form.timezone.data or "").strip(),
        opens_at=form.opens_at.data.strftime("%H:%M") if form.opens_at.data else "",
        closes_at=form.closes_at.data.strftime("%H:%M") if form.closes_at.data else "",
        working_days="".join(form.working_days.data or []),
        holidays=tuple(holidays),
    )


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
        timezones=sorted(available_timezones()),
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
            language = add_language(db.session, form.code.data or "", current_user)
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
    try:
        settings = QueueSettings(
            assignment_strategy=AssignmentStrategy(form.assignment_strategy.data),
            sla=_sla_settings(form),
            auto_acknowledge=form.auto_acknowledge.data,
            active=form.active.data,
        )
        with unit_of_work(db.session):
            update_queue(db.session, language, settings, current_user)
    except SlaPolicyError as error:
        field = getattr(form, error.field)
        field.errors = [*field.errors, describe(error)]
        return _render(failed=(code, form)), 400  # type: ignore[return-value]
    flash(_("Settings for %(name)s saved.", name=language.name), "success")
    return redirect(url_for("admin.languages"))
