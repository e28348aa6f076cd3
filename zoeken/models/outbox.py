from django.db import models


class IndexTaskQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(done_at__isnull=True).order_by("pk")


class IndexTask(models.Model):
    """One change the search index still has to apply (the outbox).

    Written in the same transaction as the change itself, so nothing is lost
    when the engine is down; applied in id order, so per entry the index
    ends in the state of the last change. An empty entry means "every entry"
    (a variable or opening hours changed); an empty gemeente means "every
    gemeente that can see the entry"."""

    entry_type = models.CharField(max_length=40, blank=True, help_text="app_label.model, e.g. pdc.product")
    entry_id = models.PositiveIntegerField(null=True, blank=True)
    gemeente = models.ForeignKey("gemeenten.Gemeente", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    done_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    objects = IndexTaskQuerySet.as_manager()

    class Meta:
        verbose_name = "indexeertaak"
        verbose_name_plural = "indexeertaken"

    def __str__(self):
        target = f"{self.entry_type}#{self.entry_id}" if self.entry_id else "alle entries"
        return f"{target} voor {self.gemeente or 'alle gemeenten'} ({self.reason})"
