"""The dashboard's and the report's choices, read from the address (GET forms, no CSRF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, SubmitField
from wtforms.validators import Optional

PERIOD_DAYS = (7, 30, 90)


class PeriodForm(FlaskForm):
    class Meta:
        csrf = False

    days = SelectField(
        _l("Period"),
        choices=[
            SelectChoice("7", _l("last 7 days")),
            SelectChoice("30", _l("last 30 days")),
            SelectChoice("90", _l("last 90 days")),
        ],
        default="30",
    )
    show = SubmitField(_l("Show"))

    def period_days(self) -> int:
        value = self.days.data if self.days.data in {str(d) for d in PERIOD_DAYS} else "30"
        return int(value)


class ReportForm(FlaskForm):
    class Meta:
        csrf = False

    language = SelectField(_l("Language"), choices=[], validate_choice=False)
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To (included)"), validators=[Optional()])
    show = SubmitField(_l("Show report"))
