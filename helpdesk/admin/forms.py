"""Forms of the admin pages (each button is a POST with a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..core.models import AssignmentStrategy
from ..core.services.languages import MAX_RESPONSE_HOURS


class QuarantineActionForm(FlaskForm):
    retry = SubmitField(_l("Retry"))
    delete = SubmitField(_l("Delete"))


STRATEGY_LABELS = {
    AssignmentStrategy.LOAD_BALANCED: _l("Assign to the least loaded liaison"),
    AssignmentStrategy.UNASSIGNED: _l("Leave unassigned for liaisons to take"),
}


class QueueSettingsForm(FlaskForm):
    assignment_strategy = SelectField(
        _l("New tickets"),
        choices=[SelectChoice(s.value, label) for s, label in STRATEGY_LABELS.items()],
    )
    first_response_hours = IntegerField(
        _l("First response expected within (hours)"),
        validators=[InputRequired(), NumberRange(min=1, max=MAX_RESPONSE_HOURS)],
    )
    auto_acknowledge = BooleanField(_l("Acknowledge new tickets automatically"))
    active = BooleanField(_l("Active"))
    save = SubmitField(_l("Save"))


class AddLanguageForm(FlaskForm):
    code = StringField(
        _l("Language code (ISO 639-1, e.g. it, ko, sw)"),
        validators=[DataRequired(), Length(max=16)],
    )
    add = SubmitField(_l("Add language"))
