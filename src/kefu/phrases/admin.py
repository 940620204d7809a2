from django import forms
from django.contrib import admin

from kefu.accounts.admin import AuditedAdmin
from kefu.core.errors import ValidationFailed
from kefu.phrases.models import Phrase
from kefu.phrases.placeholders import clean_placeholders


class PhraseForm(forms.ModelForm):
    class Meta:
        model = Phrase
        fields = ["title", "kind", "body", "team", "ticket_type", "position", "active"]

    def clean_body(self):
        # The same check as the service, so a typo in a placeholder never reaches a customer from here either.
        try:
            return clean_placeholders(self.cleaned_data["body"])
        except ValidationFailed as exc:
            raise forms.ValidationError(str(exc.message), code=exc.code) from exc


@admin.register(Phrase)
class PhraseAdmin(AuditedAdmin):
    """Setup data: scripts and quick phrases, with the same placeholder check as the API and the UI."""

    form = PhraseForm
    list_display = ["title", "kind", "team", "ticket_type", "position", "active", "updated_at"]
    list_filter = ["kind", "active", "team"]
    search_fields = ["title", "body"]
