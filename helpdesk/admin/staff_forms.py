"""Forms of the users page: invite, edit, deactivate (each a POST with a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.models import Role

ROLE_LABELS = {
    Role.LIAISON: _l("Liaison"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.ADMIN: _l("Admin"),
}


def _role_field() -> SelectField:
    return SelectField(
        _l("Role"), choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]
    )


def _languages_field() -> SelectMultipleField:
    """Choices are the helpdesk's languages, set by the view."""
    return SelectMultipleField(
        _l("Languages spoken"),
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )


class InviteForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    role = _role_field()
    languages = _languages_field()
    invite = SubmitField(_l("Send invitation"))


class StaffForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = _role_field()
    languages = _languages_field()
    away = BooleanField(_l("Away"))
    away_until = DateField(_l("Back on"), validators=[Optional()])
    save = SubmitField(_l("Save"))


class ActiveForm(FlaskForm):
    deactivate = SubmitField(_l("Deactivate"))
    reactivate = SubmitField(_l("Reactivate"))
