"""People pages. Thin: scope through selectors and for_user, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shegong.core.exports import xlsx_response
from shegong.core.forms import apply_service_errors
from shegong.core.lists import Column, headers, page_of
from shegong.core.ordering import field_label
from shegong.core.scope import CHANGE, VIEW, can
from shegong.people.exports import people_xlsx
from shegong.people.filters import PersonFilter
from shegong.people.forms import ConsentForm, ConsentWithdrawForm, PersonForm
from shegong.people.models import Consent, Person
from shegong.people.permissions import may_list_people
from shegong.people.selectors import consents_of, people_for, user_agency
from shegong.people.services import (
    UNMASK_PERM,
    consent_record,
    consent_withdraw,
    person_create,
    person_reveal,
    person_update,
)

# Sort keys are the PersonFilter's (``?sort=``). Masked values only: ID number and mobile are
# encrypted, so they cannot sort.
COLUMNS = [
    Column(gettext_lazy("No."), sort="number"),
    Column(gettext_lazy("Name"), sort="name"),
    Column(field_label(Person, "gender"), sort="gender"),
    Column(field_label(Person, "birth_date"), sort="birth_date"),
    Column(gettext_lazy("Age"), sort="age"),
    Column(field_label(Person, "id_type"), sort="id_type"),
    Column(gettext_lazy("ID number")),
    Column(gettext_lazy("Mobile")),
    Column(field_label(Person, "community"), sort="community"),
    Column(field_label(Person, "owner_agency"), sort="owner_agency"),
]


def _require(user, action: str):
    if not can(user, Person, action):
        raise PermissionDenied


def _require_list(user):
    if not may_list_people(user):
        raise PermissionDenied


def _person_or_404(user, pk, action: str = VIEW) -> Person:
    return Person.objects.select_related(
        "community__street", "owner_agency", "created_by"
    ).get_for_user_or_404(user, action, pk=pk)


def _may_change(user, person: Person) -> bool:
    return Person.objects.for_user(user, CHANGE).filter(pk=person.pk).exists()


def _filterset(request) -> PersonFilter:
    return PersonFilter(request.GET or None, queryset=people_for(request.user), user=request.user)


@login_required
def person_list(request):
    _require_list(request.user)
    filterset = _filterset(request)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, filterset.qs),
        "headers": headers(request, COLUMNS),
        "may_create": can(request.user, Person, CHANGE),
        "query": request.GET.urlencode(),
    }
    template = "people/_person_table.html" if request.htmx else "people/person_list.html"
    return render(request, template, context)


@login_required
def person_export(request):
    _require_list(request.user)
    filterset = _filterset(request)
    content = people_xlsx(
        filterset.qs.order_by("community__code", "name", "id"),
        user=request.user,
        request=request,
        filters=filterset.describe(),
    )
    return xlsx_response(content, "people")


@login_required
def person_detail(request, pk):
    person = _person_or_404(request.user, pk)
    return render(request, "people/person_detail.html", _detail_context(request, person))


def _detail_context(request, person, *, revealed=None) -> dict:
    return {
        "person": person,
        "consents": consents_of(person),
        "may_change": _may_change(request.user, person),
        "may_unmask": request.user.has_perm(UNMASK_PERM),
        "revealed": revealed,
        "withdraw_form": ConsentWithdrawForm(),
    }


@login_required
@require_POST
def person_reveal_view(request, pk):
    """Swap the masked values for the full ones (htmx), and log that they were seen."""
    person = _person_or_404(request.user, pk)
    revealed = person_reveal(actor=request.user, person=person, request=request)
    if request.htmx:
        return render(request, "people/_identity.html", {"person": person, "revealed": revealed})
    return render(
        request, "people/person_detail.html", _detail_context(request, person, revealed=revealed)
    )


@login_required
def person_create_view(request):
    _require(request.user, CHANGE)
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(
                actor=request.user,
                owner_agency=user_agency(request.user),
                request=request,
                **form.service_data(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s registered.") % {"name": person.name})
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@login_required
def person_edit(request, pk):
    person = _person_or_404(request.user, pk, CHANGE)
    form = PersonForm(
        request.POST or None,
        user=request.user,
        person=person,
        initial=PersonForm.initial_for(person),
    )
    if request.method == "POST" and form.is_valid():
        try:
            person_update(actor=request.user, person=person, request=request, **form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": person.name})
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@login_required
def consent_create_view(request, pk):
    person = _person_or_404(request.user, pk, CHANGE)
    initial = {"given_by": "" if person.is_minor else person.name}
    if person.is_minor:
        initial["kind"] = "guardian"
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            consent_record(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/consent_form.html", {"form": form, "person": person})


@login_required
@require_POST
def consent_withdraw_view(request, pk, consent_pk):
    person = _person_or_404(request.user, pk, CHANGE)
    consent = Consent.objects.get_for_user_or_404(
        request.user, CHANGE, pk=consent_pk, person=person
    )
    form = ConsentWithdrawForm(request.POST)
    if form.is_valid():
        try:
            consent_withdraw(
                actor=request.user, consent=consent, withdrawn_on=form.cleaned_data["withdrawn_on"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Consent withdrawn."))
            return redirect("people:detail", pk=person.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("people:detail", pk=person.pk)
