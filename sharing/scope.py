"""The filter "shared or this gemeente's", in one place.

Every model whose `gemeente` foreign key is empty for the region's rows
(entries, agent notes, audiences, teams, synonyms, promotions, link uses, …)
is read per gemeente as: the region's rows plus that gemeente's own."""

from django.db.models import Model, Q


def shared_or_own(gemeente):
    """A Q for `.filter()` (also on a related manager): the rows shared by
    the region (gemeente empty) and those of `gemeente`.

    `gemeente` is a Gemeente or its pk; an iterable of them (a list, set or
    queryset) stands for any of those gemeenten; None gives the shared rows
    only."""
    shared = Q(gemeente__isnull=True)
    if gemeente is None:
        return shared
    if isinstance(gemeente, (Model, int)):
        return shared | Q(gemeente=gemeente)
    return shared | Q(gemeente__in=gemeente)
