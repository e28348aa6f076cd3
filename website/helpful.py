"""'Was dit nuttig?' on product and VAC pages, answered once per visitor.

The visitor's answers live in the session (no JavaScript, no personal
data): after an answer the page shows only the thank-you, and after 'Nee'
the optional remark form, once. A second answer posted anyway (another tab,
the back button) adds no second Feedback."""

from .forms import FeedbackForm, RemarkForm

SESSION_KEY = "terugkoppeling"
KEEP = 50  # answers remembered per session, the most recent ones

THANKS = {
    "helpful": "Bedankt voor uw reactie.",
    "not_helpful": "Bedankt voor uw reactie. Wilt u ons vertellen wat wij kunnen verbeteren?",
    "remarked": "Bedankt. Wij gebruiken uw reactie om deze informatie te verbeteren.",
}


def _key(kind, entry_id):
    return f"{kind}:{entry_id}"


def answer(request, kind, entry_id):
    """{"id": Feedback pk, "kind": helpful|not_helpful, "remark": bool} of
    this visitor's answer about this entry, or None."""
    return request.session.get(SESSION_KEY, {}).get(_key(kind, entry_id))


def remember(request, kind, entry_id, given):
    """Keep this visitor's answer (as `answer` returns it)."""
    answers = dict(request.session.get(SESSION_KEY, {}))
    answers.pop(_key(kind, entry_id), None)
    answers[_key(kind, entry_id)] = given
    request.session[SESSION_KEY] = dict(list(answers.items())[-KEEP:])


def awaits_remark(given):
    return given is not None and given["kind"] == "not_helpful" and not given["remark"]


def section(request, kind, entry_id, form=None):
    """What the feedback section of a page shows: the question, the remark
    form or only the thank-you."""
    given = answer(request, kind, entry_id)
    if given is None:
        return {"step": "question", "form": form or FeedbackForm()}
    if awaits_remark(given):
        return {"step": "remark", "thanks": THANKS["not_helpful"], "form": form or RemarkForm()}
    return {"step": "thanks", "thanks": THANKS["remarked" if given["kind"] == "not_helpful" else "helpful"]}
