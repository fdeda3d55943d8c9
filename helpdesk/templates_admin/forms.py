"""Forms of the template editor (each button is a POST with a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..core.services.reply_templates import MAX_BODY_CHARS, MAX_KEY_CHARS, MAX_NAME_CHARS
from ..core.services.template_exchange import MAX_PO_BYTES
from ..core.services.template_translations import MAX_CATEGORY_CHARS


class NewTemplateForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=MAX_NAME_CHARS)])
    key = StringField(
        _l("Key (optional: made from the name)"),
        validators=[
            Optional(),
            Length(max=MAX_KEY_CHARS),
            Regexp(
                r"^[a-z0-9][a-z0-9_]*$",
                message=_l("Use letters a-z, digits and _, starting with a letter or digit."),
            ),
        ],
    )
    create = SubmitField(_l("Create template"))


class RenameForm(FlaskForm):
    """The template's details; a post without category or source language keeps them."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=MAX_NAME_CHARS)])
    category = StringField(
        _l("Category (optional)"), validators=[Optional(), Length(max=MAX_CATEGORY_CHARS)]
    )
    source_language = SelectField(
        _l("Source language (the others are translated from it)"), validators=[Optional()]
    )
    rename = SubmitField(_l("Save details"))


class DeleteForm(FlaskForm):
    """Deleting asks first: the edit page's button leads to a confirmation page."""

    confirm = SubmitField(_l("Delete this template and all its texts"))


class VariantForm(FlaskForm):
    """One language's text; built with the language code as prefix."""

    name = StringField(_l("Name in this language"), validators=[Length(max=MAX_NAME_CHARS)])
    body = TextAreaField(
        _l("Text (leave empty for no text in this language)"),
        validators=[Length(max=MAX_BODY_CHARS)],
    )
    save = SubmitField(_l("Save this language"))


class SaveAllForm(FlaskForm):
    save_all = SubmitField(_l("Save all languages"))


class ImportForm(FlaskForm):
    """A PO file back from a translator; checked whole before anything is saved."""

    file = FileField(
        _l("Translated PO file"),
        validators=[
            FileRequired(),
            FileSize(MAX_PO_BYTES, message=_l("The file is too large.")),
        ],
    )
    dry_run = BooleanField(_l("Only check it and show what would change"))
    upload = SubmitField(_l("Import translations"))
