from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from .permission_policies import is_gemeente_scoped, visible_instances
from .permissions import can_edit_base, can_edit_gemeente


class GemeenteScopedForm(WagtailAdminModelForm):
    """Refuses, on the server, to save an entry for a gemeente (or for the
    shared base) that the editor may not change; a link to another
    gemeente-scoped item can only be to one the editor may see."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            for field in self.fields.values():
                queryset = getattr(field, "queryset", None)
                if queryset is not None and is_gemeente_scoped(queryset.model):
                    field.queryset = queryset & visible_instances(self.for_user, queryset.model)

    def clean(self):
        cleaned = super().clean()
        user = self.for_user
        target = cleaned.get("gemeente", self.instance.gemeente if self.instance.pk else None)
        if user is None:
            return cleaned
        if self.instance.pk and self.instance.gemeente_id is None and not can_edit_base(user):
            raise ValidationError("Alleen de regionale kennisregisseur wijzigt de gedeelde tekst.")
        allowed = can_edit_base(user) if target is None else can_edit_gemeente(user, target)
        if not allowed:
            raise ValidationError("U mag geen inhoud voor deze gemeente opslaan. Kies uw eigen gemeente.")
        return cleaned
