"""Side by side: the old text with what goes struck, the proposed text with
what comes marked, word by word (difflib), on the text without markup."""

import difflib

from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe

from kennisbank.sanitise import html_to_text


def _words(html):
    return html_to_text(html or "").split()


def side_by_side(old_html, new_html):
    """(old, new) as safe HTML: every word escaped, changes in <del>/<ins>."""
    old, new = _words(old_html), _words(new_html)
    left, right = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        removed, added = " ".join(old[i1:i2]), " ".join(new[j1:j2])
        if tag == "equal":
            left.append(escape(removed))
            right.append(escape(added))
            continue
        if removed:
            left.append(format_html_join("", "<del>{}</del>", [(removed,)]))
        if added:
            right.append(format_html_join("", "<ins>{}</ins>", [(added,)]))
    return mark_safe(" ".join(left)), mark_safe(" ".join(right))
