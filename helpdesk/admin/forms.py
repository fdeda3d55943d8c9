"""Forms of the admin pages (each button is a POST with a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.models import AssignmentStrategy
from ..core.services.sla_policies import MAX_TARGET_HOURS


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
        validators=[InputRequired(), NumberRange(min=1, max=MAX_TARGET_HOURS)],
    )
    resolution_hours = IntegerField(
        _l("Resolution expected within (hours)"),
        validators=[InputRequired(), NumberRange(min=1, max=MAX_TARGET_HOURS)],
    )
    business_hours = BooleanField(_l("Count working hours only"))
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64)])
    opens_at = TimeField(_l("Opens at"), validators=[InputRequired()])
    closes_at = TimeField(_l("Closes at"), validators=[InputRequired()])
    working_days = SelectMultipleField(
        _l("Working days"),
        choices=[
            SelectChoice(str(n), label)
            for n, label in enumerate(
                (_l("Mon"), _l("Tue"), _l("Wed"), _l("Thu"), _l("Fri"), _l("Sat"), _l("Sun")), 1
            )
        ],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    holidays = TextAreaField(_l("Holidays (one date per line, e.g. 2026-12-25)"))
    auto_acknowledge = BooleanField(_l("Acknowledge new tickets automatically"))
    active = BooleanField(_l("Active"))
    save = SubmitField(_l("Save"))


class AddLanguageForm(FlaskForm):
    code = StringField(
        _l("Language code (ISO 639-1, e.g. it, ko, sw)"),
        validators=[DataRequired(), Length(max=16)],
    )
    add = SubmitField(_l("Add language"))


class AuditFilterForm(FlaskForm):
    """The audit page's filters, read from the address (a GET form)."""

    action = SelectField(_l("Action"), validators=[Optional()])
    actor = SelectField(_l("Who"), validators=[Optional()])
    target_type = StringField(_l("Kind of record"), validators=[Optional(), Length(max=32)])
    target_id = StringField(_l("Record number"), validators=[Optional(), Length(max=64)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])
    submit = SubmitField(_l("Filter"))


class RetentionForm(FlaskForm):
    """A mailbox's retention period in months; empty keeps everything."""

    months = IntegerField(_l("Months"), validators=[Optional(), NumberRange(1, 1200)])
    save = SubmitField(_l("Save"))


class RetentionApplyForm(FlaskForm):
    apply = SubmitField(_l("Apply the policy now"))
