"""One template's page: its name, and its text in every active language."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..core.models import Language, ReplyTemplate
from ..core.services.languages import active_languages
from ..core.services.reply_templates import (
    TemplateError,
    TemplateTextsError,
    allowed_placeholders,
    is_system_template,
    save_variants,
)
from ..core.services.template_translations import (
    template_categories,
    update_details,
    variant_state,
)
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from .forms import RenameForm, SaveAllForm, VariantForm
from .views import blueprint, editor_required, template_or_404


def _variant_forms(template: ReplyTemplate, languages: list[Language]) -> dict[str, VariantForm]:
    """A form per language, prefixed with its code; filled from the request when one was
    posted, otherwise from the stored texts. The page's one CSRF token protects them all."""
    stored = {variant.language_code: variant for variant in template.variants}
    return {
        language.code: VariantForm(
            prefix=language.code, obj=stored.get(language.code), meta={"csrf": False}
        )
        for language in languages
    }


def _rename_form(template: ReplyTemplate, languages: list[Language]) -> RenameForm:
    form = RenameForm(obj=template)
    form.source_language.choices = [(lang.code, f"{lang.name} ({lang.code})") for lang in languages]
    return form


def _render_edit(
    template: ReplyTemplate,
    variant_forms: dict[str, VariantForm] | None = None,
    rename_form: RenameForm | None = None,
) -> str:
    languages = active_languages(db.session)
    return render_template(
        "templates_admin/edit.html",
        template=template,
        is_system=is_system_template(template),
        placeholders=allowed_placeholders(template),
        languages=languages,
        states={language.code: variant_state(template, language.code) for language in languages},
        categories=template_categories(db.session),
        variant_forms=variant_forms or _variant_forms(template, languages),
        save_all_form=SaveAllForm(),
        rename_form=rename_form or _rename_form(template, languages),
    )


@blueprint.route("/<int:template_id>")
@editor_required
def edit(template_id: int) -> str:
    """The template's text in each active language, with the placeholders it may use."""
    return _render_edit(template_or_404(template_id))


@blueprint.route("/<int:template_id>/name", methods=["POST"])
@editor_required
def rename(template_id: int) -> str | Response:
    """Name, category and source language; a field left out of the post keeps its value."""
    template = template_or_404(template_id)
    form = _rename_form(template, active_languages(db.session))
    if not form.validate_on_submit():
        return _render_edit(template, rename_form=form), 400  # type: ignore[return-value]
    category = form.category.data if form.category.raw_data else template.category
    source = form.source_language.data if form.source_language.raw_data else None
    try:
        with unit_of_work(db.session):
            update_details(
                db.session,
                current_user,
                template,
                form.name.data or "",
                category or "",
                source or template.source_language,
            )
    except TemplateError as error:
        form.name.errors = [*form.name.errors, describe(error)]
        return _render_edit(template, rename_form=form), 400  # type: ignore[return-value]
    flash(_("Template details saved."), "success")
    return redirect(url_for("templates_admin.edit", template_id=template.id))


@blueprint.route("/<int:template_id>/texts", methods=["POST"])
@editor_required
def save_texts(template_id: int) -> str | Response:
    """Save the language whose button was pressed, or all of them; an empty text removes the
    language's variant. Refused texts come back as written, with the reason."""
    template = template_or_404(template_id)
    forms = _variant_forms(template, active_languages(db.session))
    save_all = SaveAllForm()
    valid = save_all.validate_on_submit() and all(form.validate() for form in forms.values())
    chosen = forms if save_all.save_all.data else {c: f for c, f in forms.items() if f.save.data}
    if not valid or not chosen:
        return _render_edit(template, forms), 400  # type: ignore[return-value]
    texts = {code: (f.name.data or "", f.body.data or "") for code, f in chosen.items()}
    try:
        with unit_of_work(db.session):
            save_variants(db.session, current_user, template, texts)
    except TemplateTextsError as refused:
        for code, error in refused.by_language.items():
            forms[code].body.errors = [*forms[code].body.errors, describe(error)]
        return _render_edit(template, forms), 400  # type: ignore[return-value]
    if len(chosen) == 1:
        [code] = chosen
        language = db.session.get(Language, code)
        flash(
            _("Text in %(language)s saved.", language=language.name if language else code),
            "success",
        )
    else:
        flash(_("Texts saved."), "success")
    return redirect(url_for("templates_admin.edit", template_id=template.id))
