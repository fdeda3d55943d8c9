"""Forms of the account page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..core.models import Language


class AwayForm(FlaskForm):
    away = BooleanField(_l("I am away: give my languages' new tickets to others"))
    away_until = DateField(_l("Back on (optional)"), validators=[Optional()])
    save = SubmitField(_l("Save"))


class PreferencesForm(FlaskForm):
    """Language and time zone; the choices are filled by ``preferences_form``."""

    locale = SelectField(_l("Language of the interface"), validate_choice=True)
    timezone = SelectField(_l("Time zone"), validators=[DataRequired()])
    save_preferences = SubmitField(_l("Save language and time zone"))


def preferences_form(
    languages: list[tuple[str, str]], zones: list[str], **data: object
) -> PreferencesForm:
    """``languages`` as (code, name in that language) pairs; "" follows the browser."""
    form = PreferencesForm(prefix="prefs", **data)
    form.locale.choices = [
        ("", _l("The one my browser asks for"), {}),
        *((code, name, {"lang": code}) for code, name in languages),
    ]
    form.timezone.choices = [(zone, zone) for zone in zones]
    return form


class TimeZoneGuessForm(FlaskForm):
    """What the browser says its zone is, sent once by app.js."""

    timezone = HiddenField(validators=[DataRequired(), Length(max=64)])


class SignaturesForm(FlaskForm):
    """A textarea per language the person answers in, added by ``signatures_form``."""

    save_signatures = SubmitField(_l("Save signatures"))

    def bodies(self) -> dict[str, str]:
        return {
            name.removeprefix("signature_"): field.data or ""
            for name, field in self._fields.items()
            if name.startswith("signature_")
        }


def signatures_form(languages: list[Language], current: dict[str, str]) -> SignaturesForm:
    """The form for these languages, filled with the ``current`` signatures."""

    class ForLanguages(SignaturesForm):
        pass

    for language in languages:
        field = TextAreaField(
            f"{language.name} ({language.code})",
            validators=[Length(max=2_000)],
            default=current.get(language.code, ""),
        )
        setattr(ForLanguages, f"signature_{language.code}", field)
    return ForLanguages()
