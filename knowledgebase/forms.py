from django import forms
from django.utils.translation import gettext_lazy as _

from knowledgebase.models import Language
from knowledgebase.search.query import MAX_QUERY_LENGTH


class ApiSearchForm(forms.Form):
    """Parameters of GET /api/v1/faq/search. Long queries are cut, not refused."""

    q = forms.CharField(label=_("query"), strip=True)
    lang = forms.ChoiceField(label=_("language"), choices=Language.choices, required=False)
    limit = forms.IntegerField(label=_("limit"), min_value=1, max_value=50, required=False)
    offset = forms.IntegerField(label=_("offset"), min_value=0, max_value=1000, required=False)

    def clean_q(self) -> str:
        return self.cleaned_data["q"][: MAX_QUERY_LENGTH * 5]
