"""What happens to suggestions: made by an expert or an agent, accepted
(into a draft, never the live version) or rejected by a curator, and the
author told. Every write path checks the curator's rights here, on the server."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.log_actions import log

from kennisbank.sanitise import markdown_to_html
from sharing.overrides import set_override
from sharing.permissions import can_edit_base, can_edit_gemeente, editable_gemeente_ids
from sharing.scheduling import agents_date_error, value_goes_public
from sharing.workflow import hold_value

from .models import FeeProposal, FieldProposal, ProposalStatus, Status, Suggestion, Target

SUGGESTED, ACCEPTED, REJECTED = "kennisbank.suggestion.new", "kennisbank.suggestion.accept", "kennisbank.suggestion.reject"


# Fields -----------------------------------------------------------------------------


def logical_name(model, column):
    return column if column in model.overridable_fields else column.rsplit("_", 1)[0]


def is_rich(model, column):
    return logical_name(model, column) in model.rich_text_fields


def text_columns(entry_or_model):
    """The Dutch columns of the overridable text fields an author may propose text for."""
    model = entry_or_model if isinstance(entry_or_model, type) else type(entry_or_model)
    columns = []
    for name in model.overridable_fields:
        column = f"{name}_nl" if name in model.translated_fields else name
        field = model._meta.get_field(column)
        if field.get_internal_type() in ("CharField", "TextField"):
            columns.append(column)
    return columns


def field_label(model, column):
    return str(model._meta.get_field(column).verbose_name).removesuffix(" [nl]")


def clean_text(model, column, text):
    """An author's text as it is stored: Markdown rendered and sanitised
    exactly like editor input for rich text, plain text without any markup."""
    text = (text or "").replace("\r\n", "\n").strip()
    if is_rich(model, column):
        return markdown_to_html(text) if text else ""
    limit = getattr(model._meta.get_field(column), "max_length", None)
    # Escaped wherever it is shown, but stored without anything tag-like either.
    return re.sub(r"[<>]", "", strip_tags(text)).replace("\n", " ").strip()[:limit]


def current_text(entry, gemeente, column):
    """(text, local?): the gemeente's override of the field when there is one, else the shared text."""
    if gemeente is not None and entry.is_shared:
        override = entry.overrides.filter(gemeente=gemeente, field_name=column).first()
        if override is not None and isinstance(override.value, str):
            return override.value, True
    return getattr(entry, column) or "", False


# Making suggestions -----------------------------------------------------------------


@transaction.atomic
def suggest(*, entry_kind, entry=None, gemeente, author_name, invitation=None, author=None, texts=None, fees=(), comment=""):
    """A suggestion about `entry` (None: a new entry of `entry_kind`) seen
    for `gemeente` (None: the shared text). `texts` is {column: new text};
    the author saw the current text, which is stored with each proposal."""
    model = entry_kind.model
    suggestion = Suggestion.objects.create(
        invitation=invitation,
        author=author,
        author_name=author_name,
        gemeente=gemeente,
        entry_kind=entry_kind.name,
        entry_id=entry.pk if entry is not None else None,
        comment=comment.strip(),
    )
    for column, text in (texts or {}).items():
        proposed = clean_text(model, column, text)
        if not proposed:
            continue
        seen, local = current_text(entry, gemeente, column) if entry is not None else ("", False)
        if entry is not None and proposed == seen:
            continue
        FieldProposal.objects.create(
            suggestion=suggestion,
            field_name=column,
            target=Target.LOCAL if local else Target.SHARED,
            seen_text=seen,
            proposed_text=proposed,
        )
    for variable, value, valid_from in fees:
        FeeProposal.objects.create(suggestion=suggestion, variable=variable, value=value, valid_from=valid_from)
    if entry is not None:
        log(instance=entry, action=SUGGESTED, user=author, data={"suggestion": suggestion.pk, "by": author_name})
    return suggestion


# Handling them ----------------------------------------------------------------------


def handled_gemeente_ids(user):
    """Whose suggestions the user handles: None means all (regional curators)."""
    return editable_gemeente_ids(user)


def can_handle(user, suggestion):
    if suggestion.gemeente_id is None:
        return can_edit_base(user)
    return can_edit_gemeente(user, suggestion.gemeente)


def can_accept_proposal(user, suggestion, proposal):
    """The shared text is the regional curators'; a local text its gemeente's."""
    if proposal.target == Target.LOCAL:
        return can_edit_gemeente(user, suggestion.gemeente)
    return can_edit_base(user)


def _require(allowed):
    if not allowed:
        raise PermissionDenied("Je mag dit voorstel niet behandelen.")


def draft_of(entry):
    """The entry as its latest revision has it (a draft waiting, or live)."""
    latest = entry.get_latest_revision_as_object() if entry.latest_revision_id else entry
    return latest


@transaction.atomic
def accept(suggestion, user, proposal_ids=None, texts=None, fee_ids=None, fees_agents_from=None):
    """Accept all open proposals, or those of `proposal_ids`/`fee_ids`, the
    curator's edit of a text from `texts` ({proposal id: text}); agents see
    the fees, once approved, from `fees_agents_from` (agents first). Nothing
    goes live here: shared text goes into a new draft revision of the entry
    (published through the workflow "Vier ogen"); a local text and a fee
    become held changes of the gemeente (sharing/workflow.py), approved by a
    second curator where the gemeente has four eyes; a new entry becomes a
    draft of its kind."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    _require(can_handle(user, suggestion) and suggestion.status == Status.NEW)
    texts = texts or {}
    model = suggestion.kind.model
    chosen = [p for p in suggestion.proposals.all() if p.status == ProposalStatus.OPEN and (proposal_ids is None or p.pk in proposal_ids)]
    for proposal in chosen:
        if not suggestion.is_new_entry:
            _require(can_accept_proposal(user, suggestion, proposal))
        edited = texts.get(proposal.pk)
        proposal.accepted_text = clean_text(model, proposal.field_name, edited) if edited is not None else proposal.proposed_text
        proposal.status = ProposalStatus.ACCEPTED
    if suggestion.is_new_entry:
        _create_draft(suggestion, chosen, user)
    else:
        _write_draft(suggestion, [p for p in chosen if p.target == Target.SHARED], user)
        _hold_local(suggestion, [p for p in chosen if p.target == Target.LOCAL], user)
    for proposal in chosen:
        proposal.save()
    fees = [f for f in suggestion.fees.all() if f.status == ProposalStatus.OPEN and (fee_ids is None or f.pk in fee_ids)]
    if not chosen and not fees and (suggestion.proposals.exists() or suggestion.fees.exists()):
        raise ValidationError("Kies minstens één onderdeel om over te nemen, of wijs het voorstel af.")
    for fee in fees:
        _accept_fee(suggestion, fee, user, fees_agents_from)
    _settle(suggestion, user)
    return suggestion


def _write_draft(suggestion, proposals, user):
    if not proposals:
        return
    entry = suggestion.entry
    if entry is None:
        raise ValidationError("Het onderwerp bestaat niet meer.")
    draft = draft_of(entry)
    for proposal in proposals:
        setattr(draft, proposal.field_name, proposal.accepted_text)
    draft.sanitise_rich_text()
    draft.save_revision(user=user, log_action=True)
    log(instance=entry, action=ACCEPTED, user=user, data={"suggestion": suggestion.pk, "by": suggestion.author_name, "fields": [p.field_name for p in proposals]})


def _hold_local(suggestion, proposals, user):
    """A local text has no draft revision: its held change is the draft."""
    if proposals and suggestion.entry is None:
        raise ValidationError("Het onderwerp bestaat niet meer.")
    for proposal in proposals:
        set_override(suggestion.entry, suggestion.gemeente, proposal.field_name, proposal.accepted_text, user, draft=True)
    if proposals:
        log(instance=suggestion.entry, action=ACCEPTED, user=user, data={"suggestion": suggestion.pk, "by": suggestion.author_name, "fields": [p.field_name for p in proposals]})


def _create_draft(suggestion, proposals, user):
    if not proposals:
        return
    _require(can_handle(user, suggestion))
    values = {proposal.field_name: proposal.accepted_text for proposal in proposals}
    entry = suggestion.kind.new_draft(values, suggestion.gemeente, user)
    suggestion.created_entry_id = entry.pk
    log(instance=entry, action=ACCEPTED, user=user, data={"suggestion": suggestion.pk, "by": suggestion.author_name})


def _accept_fee(suggestion, fee, user, agents_from=None):
    """A fee value from its date on, held for approval (`hold_value`); once
    approved no channel shows it before its date (VariableValueQuerySet.in_force_many),
    the agent channel before it from `agents_from`."""
    _require(suggestion.gemeente_id is not None and can_edit_gemeente(user, suggestion.gemeente))
    if fee.valid_from <= timezone.localdate():
        raise ValidationError("Een nieuw bedrag moet ingaan na vandaag.")
    error = agents_date_error(agents_from, value_goes_public(fee.valid_from), "geldig vanaf")
    if error:
        raise ValidationError(f"Bedragen voor KCC-medewerkers vanaf: {error}")
    hold_value(fee.variable, suggestion.gemeente, fee.value, fee.valid_from, user, agents_from=agents_from)
    fee.status = ProposalStatus.ACCEPTED
    fee.save(update_fields=["status"])


def _settle(suggestion, user):
    """What was not accepted is not taken over; the status says which it was."""
    proposals = list(suggestion.proposals.all()) + list(suggestion.fees.all())
    open_items = [p for p in proposals if p.status == ProposalStatus.OPEN]
    for item in open_items:
        item.status = ProposalStatus.REJECTED
        item.save(update_fields=["status"])
    accepted_all = not open_items and proposals
    suggestion.status = Status.ACCEPTED if accepted_all or not proposals else Status.PARTLY
    suggestion.decided_at, suggestion.decided_by = timezone.now(), user
    suggestion.save(update_fields=["status", "decided_at", "decided_by", "created_entry_id"])
    notify(suggestion)


@transaction.atomic
def reject(suggestion, user, reason):
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    _require(can_handle(user, suggestion) and suggestion.status == Status.NEW)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Geef een reden op.")
    suggestion.proposals.filter(status=ProposalStatus.OPEN).update(status=ProposalStatus.REJECTED)
    suggestion.fees.filter(status=ProposalStatus.OPEN).update(status=ProposalStatus.REJECTED)
    suggestion.status, suggestion.reason = Status.REJECTED, reason[:2000]
    suggestion.decided_at, suggestion.decided_by = timezone.now(), user
    suggestion.save(update_fields=["status", "reason", "decided_at", "decided_by"])
    if suggestion.entry is not None:
        log(instance=suggestion.entry, action=REJECTED, user=user, data={"suggestion": suggestion.pk, "reason": suggestion.reason})
    notify(suggestion)
    return suggestion


def notify(suggestion):
    """Tell an expert that the status of their suggestion changed."""
    invitation = suggestion.invitation
    if invitation is None or not invitation.email:
        return
    lines = [
        f"Beste {invitation.name},",
        "",
        f"Uw voorstel over “{suggestion.subject}” is {suggestion.get_status_display()}.",
    ]
    if suggestion.reason:
        lines += ["", f"Reden: {suggestion.reason}"]
    lines += ["", "U ziet de stand van uw voorstellen via de persoonlijke link die u van de redactie kreeg."]
    transaction.on_commit(
        lambda: send_mail(f"Uw voorstel is {suggestion.get_status_display()}", "\n".join(lines), None, [invitation.email], fail_silently=True)
    )


def send_invitation(invitation, link):
    lines = [
        f"Beste {invitation.name},",
        "",
        "De redactie van de kennisbank nodigt u uit om teksten en bedragen voor te stellen.",
        f"Uw persoonlijke link (geldig tot {timezone.localtime(invitation.expires_at):%d-%m-%Y}):",
        "",
        link,
        "",
        "U heeft geen wachtwoord nodig. Deel de link niet: wie hem heeft, kan namens u voorstellen doen.",
    ]
    transaction.on_commit(lambda: send_mail("Uw link voor voorstellen aan de kennisbank", "\n".join(lines), None, [invitation.email], fail_silently=True))
