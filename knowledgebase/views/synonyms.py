"""The staff synonym list: words citizens use for the city's terms, searched both ways at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knowledgebase.forms import SynonymForm
from knowledgebase.models import Synonym


@login_required
@permission_required("knowledgebase.change_synonym", raise_exception=True)
def synonym_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The synonym dictionary, with a form to add one or change the one chosen (?pk)."""
    editing = get_object_or_404(Synonym, pk=pk) if pk else None
    form = SynonymForm(request.POST or None, instance=editing)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved. Search uses it from now on."))
        return redirect("kb:synonyms")
    return render(
        request,
        "knowledgebase/staff/synonym_list.html",
        {"form": form, "editing": editing, "synonyms": Synonym.objects.order_by("term")},
    )


@require_POST
@login_required
@permission_required("knowledgebase.delete_synonym", raise_exception=True)
def synonym_delete(request: HttpRequest, pk: int) -> HttpResponse:
    synonym = get_object_or_404(Synonym, pk=pk)
    synonym.delete()
    messages.success(request, _("Deleted “%(term)s”.") % {"term": synonym.term})
    return redirect("kb:synonyms")
