"""The demo's suggestions: a back-office expert's invitation with one open
suggestion, and a new answer drafted by an agent from the widget, both made
through voorstellen/services.py. Idempotent: found again by their comment."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from gemeenten.models import Gemeente
from sharing.kinds import get_kind, kinds

from . import services
from .api import correction_column, draft_kind
from .models import Invitation, InvitationEntry, Suggestion

EXPERT = {"name": "Anouk de Vries", "email": "a.devries@roosendaal.example", "department": "Burgerzaken"}
EXPERT_COMMENT = "Per 1 januari is de afspraak ook op zaterdagochtend mogelijk."
AGENT_COMMENT = "Dit vroeg een beller vandaag; ik vond er geen antwoord op."
DRAFT = (
    "Kan ik een afspraak maken voor iemand anders?",
    "Ja. U kunt een afspraak maken voor een ander, bijvoorbeeld een familielid. "
    "Die persoon moet wel zelf naar de afspraak komen en een geldig identiteitsbewijs meenemen.",
)


def expert_entry():
    """A shared entry of the first kind, the one the demo's stories use when it is there."""
    model = kinds()[0].model
    shared = model.objects.filter(gemeente__isnull=True, live=True)
    return shared.filter(slug="paspoort").first() or shared.order_by("slug").first()


def invitation(user, gemeente, entry):
    found = Invitation.objects.filter(email=EXPERT["email"]).first()
    if found is None:
        found = Invitation.objects.create(**EXPERT, created_by=user, expires_at=timezone.now() + datetime.timedelta(days=30))
        found.gemeenten.add(gemeente)
    InvitationEntry.objects.get_or_create(invitation=found, entry_kind=get_kind(entry).name, entry_id=entry.pk)
    return found


def load(user, log=print):
    gemeente = Gemeente.objects.get(slug="roosendaal")
    entry = expert_entry()
    invited = invitation(user, gemeente, entry)
    if not Suggestion.objects.filter(invitation=invited, comment=EXPERT_COMMENT).exists():
        column = correction_column(entry)
        seen, _ = services.current_text(entry, gemeente, column)
        extra = "<p>U kunt ook op zaterdagochtend van 9.00 tot 12.00 uur een afspraak maken.</p>"
        services.suggest(
            entry_kind=get_kind(entry), entry=entry, gemeente=gemeente, invitation=invited, author_name=EXPERT["name"],
            texts={column: seen + extra}, comment=EXPERT_COMMENT,
        )
    kind, agent = draft_kind(), get_user_model().objects.filter(username="kcc").first()
    if kind is not None and agent is not None and not Suggestion.objects.filter(author=agent, comment=AGENT_COMMENT).exists():
        title_column, text_column = kind.draft_columns[:2]
        services.suggest(
            entry_kind=kind, gemeente=gemeente, author=agent, author_name=agent.get_username(),
            texts={title_column: DRAFT[0], text_column: DRAFT[1]}, comment=AGENT_COMMENT,
        )
    log(f"  suggestions: {Suggestion.objects.open().count()} open (an expert's via {invited}, an agent's draft)")
