"""Forms of the admin pages (each button is a POST with a CSRF token)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class QuarantineActionForm(FlaskForm):
    retry = SubmitField(_l("Retry"))
    delete = SubmitField(_l("Delete"))
