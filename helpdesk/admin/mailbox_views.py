"""Mailboxes: IMAP accounts to read and the inbound addresses, each with its language."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..app_settings import secret_box
from ..core.errors import DomainError
from ..core.models import ImapAccount, Mailbox
from ..core.services.imap_accounts import (
    ENVIRONMENT_VARIABLE,
    ImapAccountInput,
    account_config,
    delete_imap_account,
    imap_accounts,
    save_imap_account,
)
from ..core.services.languages import all_languages
from ..core.services.mailboxes import inbound_addresses, save_inbound_address
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from ..mail_diagnostics import Diagnosis, check_imap
from .settings_forms import ImapAccountActionForm, ImapAccountForm, InboundAddressForm
from .views import admin_required, blueprint


def _languages() -> list[tuple[str, str]]:
    return [("", _("(detect)"))] + [(lang.code, lang.name) for lang in all_languages(db.session)]


def _account_form(account: ImapAccount | None = None, submitted: bool = False) -> ImapAccountForm:
    prefix = f"a{account.id}" if account else "new"
    if submitted:
        form = ImapAccountForm(prefix=prefix)
    elif account is None:
        form = ImapAccountForm(
            prefix=prefix, formdata=None, port=993, folder="INBOX", use_idle=True, enabled=True
        )
    else:
        form = ImapAccountForm(
            prefix=prefix, formdata=None, obj=account, language=account.language_code or ""
        )
    form.language.choices = _languages()
    return form


def _address_form(mailbox: Mailbox | None = None, submitted: bool = False) -> InboundAddressForm:
    prefix = f"m{mailbox.id}" if mailbox else "address"
    if submitted:
        form = InboundAddressForm(prefix=prefix)
    elif mailbox is None:
        form = InboundAddressForm(prefix=prefix, formdata=None)
    else:
        form = InboundAddressForm(
            prefix=prefix, formdata=None, obj=mailbox, language=mailbox.default_language_code or ""
        )
    form.language.choices = _languages()
    return form


def _render(
    forms: dict[str, Any] | None = None, diagnosis: tuple[str, Diagnosis] | None = None
) -> str:
    accounts = imap_accounts(db.session)
    mailboxes = inbound_addresses(db.session)
    page_forms: dict[str, Any] = {f"a{a.id}": _account_form(a) for a in accounts}
    page_forms |= {f"m{m.id}": _address_form(m) for m in mailboxes}
    page_forms["new"] = _account_form()
    page_forms["address"] = _address_form()
    page_forms |= forms or {}
    return render_template(
        "admin/mailboxes.html",
        accounts=accounts,
        mailboxes=mailboxes,
        env_mailboxes=current_app.config["IMAP_MAILBOXES"],
        env_variable=ENVIRONMENT_VARIABLE,
        forms=page_forms,
        action_form=ImapAccountActionForm(),
        diagnosis=diagnosis,
    )


@blueprint.route("/mailboxes")
@admin_required
def mailboxes() -> str:
    """IMAP accounts (the environment's read-only) and inbound addresses, with their languages."""
    return _render()


def _input(form: ImapAccountForm) -> ImapAccountInput:
    return ImapAccountInput(
        host=form.host.data or "",
        port=form.port.data or 0,
        security=form.security.data or "",
        username=form.username.data or "",
        password=form.password.data or None,
        folder=form.folder.data or "",
        use_idle=bool(form.use_idle.data),
        address=form.address.data or "",
        language_code=form.language.data or None,
        enabled=bool(form.enabled.data),
        ca_file=(form.ca_file.data or "").strip() or None,
    )


def _save_account(account: ImapAccount | None) -> str | Response:
    form = _account_form(account, submitted=True)
    key = f"a{account.id}" if account else "new"
    if not form.validate_on_submit():
        return _render({key: form}), 400  # type: ignore[return-value]
    try:
        with unit_of_work(db.session):
            save_imap_account(db.session, secret_box(), current_user, account, _input(form))
    except DomainError as error:
        form.host.errors = [*form.host.errors, describe(error)]
        return _render({key: form}), 400  # type: ignore[return-value]
    flash(_("Mailbox saved; the IMAP worker picks the change up within seconds."), "success")
    return redirect(url_for("admin.mailboxes"))


@blueprint.route("/mailboxes/imap", methods=["POST"])
@admin_required
def add_imap_account() -> str | Response:
    return _save_account(None)


@blueprint.route("/mailboxes/imap/<int:account_id>", methods=["POST"])
@admin_required
def update_imap_account(account_id: int) -> str | Response:
    return _save_account(db.get_or_404(ImapAccount, account_id))


@blueprint.route("/mailboxes/imap/<int:account_id>/action", methods=["POST"])
@admin_required
def imap_account_action(account_id: int) -> str | Response:
    """Test the connection with the stored settings, or remove the account."""
    account = db.get_or_404(ImapAccount, account_id)
    form = ImapAccountActionForm()
    if not form.validate_on_submit():
        abort(400)
    if form.delete.data:
        with unit_of_work(db.session):
            delete_imap_account(db.session, current_user, account)
        flash(_("Mailbox removed; it is no longer read."), "success")
        return redirect(url_for("admin.mailboxes"))
    diagnosis = check_imap(account_config(account, secret_box()))
    return _render(diagnosis=(f"a{account.id}", diagnosis))


@blueprint.route("/mailboxes/environment/<int:index>/test", methods=["POST"])
@admin_required
def test_environment_mailbox(index: int) -> str:
    entries = current_app.config["IMAP_MAILBOXES"]
    if not 0 <= index < len(entries) or not ImapAccountActionForm().validate_on_submit():
        abort(404)
    entry = entries[index]
    port = entry.get("port") or (993 if entry.get("security", "tls") == "tls" else 143)
    return _render(diagnosis=(f"e{index}", check_imap({**entry, "port": port})))


def _save_address(mailbox: Mailbox | None) -> str | Response:
    form = _address_form(mailbox, submitted=True)
    key = f"m{mailbox.id}" if mailbox else "address"
    if not form.validate_on_submit():
        return _render({key: form}), 400  # type: ignore[return-value]
    try:
        with unit_of_work(db.session):
            save_inbound_address(
                db.session,
                current_user,
                mailbox,
                form.address.data or "",
                form.name.data or "",
                form.language.data or None,
            )
    except DomainError as error:
        form.address.errors = [*form.address.errors, describe(error)]
        return _render({key: form}), 400  # type: ignore[return-value]
    flash(_("Address saved."), "success")
    return redirect(url_for("admin.mailboxes"))


@blueprint.route("/mailboxes/addresses", methods=["POST"])
@admin_required
def add_inbound_address() -> str | Response:
    return _save_address(None)


@blueprint.route("/mailboxes/addresses/<int:mailbox_id>", methods=["POST"])
@admin_required
def update_inbound_address(mailbox_id: int) -> str | Response:
    mailbox = db.session.get(Mailbox, mailbox_id)
    if mailbox is None:
        abort(404)
    return _save_address(mailbox)
