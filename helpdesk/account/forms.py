"""Forms of the account page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SubmitField
from wtforms.validators import Optional


class AwayForm(FlaskForm):
    away = BooleanField(_l("I am away: give my languages' new tickets to others"))
    away_until = DateField(_l("Back on (optional)"), validators=[Optional()])
    save = SubmitField(_l("Save"))
