"""Everything the ticket page shows, gathered in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import render_template
from flask_login import current_user

from ..core.models import Message, Ticket
from ..core.services.languages import active_languages
from ..core.services.presence import newest_message_id, others_viewing
from ..core.services.related_tickets import related_tickets
from ..core.services.reply_templates import render_variant, variants_for_ticket
from ..core.services.requester_history import earlier_tickets
from ..core.services.routing_explanation import ticket_routing
from ..core.services.signatures import signature_for
from ..core.services.template_translations import picker_groups
from ..core.services.users import assignable_users
from ..extensions import db
from .forms import (
    AssignForm,
    ClaimForm,
    HighlightForm,
    LanguageForm,
    ReplyForm,
    RequesterAddressForm,
    StatusForm,
    SummaryForm,
    TagForm,
    assignee_choices,
    language_choices,
    template_choices,
)
from .message_html import display_html
from .notices import presence_notices


@dataclass
class PageForms:
    """Forms to show as submitted (with their errors); the others are fresh."""

    reply: ReplyForm | None = None
    status: StatusForm | None = None
    language: LanguageForm | None = None
    summary: SummaryForm | None = None
    highlight: HighlightForm | None = None
    assign: AssignForm | None = None
    requester_address: RequesterAddressForm | None = None


@dataclass
class Extras:
    stale: list[Message] = field(default_factory=list)  # what the reply did not take into account
    remote_images_for: int | None = None  # the message whose remote images to load


def render_ticket_page(
    ticket: Ticket, forms: PageForms | None = None, extras: Extras | None = None
) -> str:
    forms, extras = forms or PageForms(), extras or Extras()
    variants = variants_for_ticket(db.session, ticket)
    languages = active_languages(db.session)
    reply_form = forms.reply or ReplyForm(seen_message_id=newest_message_id(ticket))
    reply_form.template.choices = template_choices(variants)
    language_form = forms.language or LanguageForm(language=ticket.language_code or "")
    language_form.language.choices = language_choices(languages)
    return render_template(
        "tickets/show.html",
        ticket=ticket,
        variants=variants,
        template_groups=picker_groups(variants, ticket.language_code),
        template_ranks={variant.id: rank for rank, variant in enumerate(variants)},
        reply_form=reply_form,
        status_form=forms.status or StatusForm(status=ticket.status),
        language_form=language_form,
        summary_form=forms.summary or SummaryForm(summary=ticket.summary),
        highlight_form=forms.highlight or HighlightForm(reason=ticket.highlight_reason),
        claim_form=ClaimForm(),
        assign_form=_assign_form(ticket, forms.assign),
        requester_address_form=_requester_address_form(ticket, forms.requester_address),
        tag_form=TagForm(formdata=None),
        language_names={language.code: language.name for language in languages},
        routing_steps=ticket_routing(db.session, ticket),
        rendered_variants={v.id: render_variant(v, ticket, current_user) for v in variants},
        signature=signature_for(db.session, current_user, ticket.language_code),
        earlier_tickets=earlier_tickets(db.session, ticket, current_user),
        related=related_tickets(db.session, ticket, current_user),
        presence=presence_notices(others_viewing(db.session, ticket, current_user), []),
        html_bodies={
            m.id: display_html(m, load_remote_images=m.id == extras.remote_images_for)
            for m in ticket.messages
            if m.html
        },
        stale=extras.stale,
        remote_images_for=extras.remote_images_for,
    )


def _requester_address_form(
    ticket: Ticket, submitted: RequesterAddressForm | None
) -> RequesterAddressForm | None:
    """Only where the requester has no address, and only for coordinators and admins."""
    if ticket.requester.has_address or not current_user.sees_all_tickets:
        return None
    return submitted or RequesterAddressForm(formdata=None)


def _assign_form(ticket: Ticket, submitted: AssignForm | None) -> AssignForm | None:
    """For coordinators and admins only: the others see the assignee, not the control."""
    if not current_user.sees_all_tickets:
        return None
    form = submitted or AssignForm(assignee=str(ticket.assignee_id or ""))
    form.assignee.choices = assignee_choices(assignable_users(db.session), ticket.language_code)
    return form
