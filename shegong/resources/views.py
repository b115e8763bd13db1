"""Pages of the three lists and small wishes: thin views over the selectors and services."""

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
from shegong.places.models import Community
from shegong.places.selectors import communities_within
from shegong.resources import exports, selectors, services, state
from shegong.resources.filters import NeedFilter, ProjectFilter, ResourceFilter, WishFilter
from shegong.resources.forms import (
    DeclineForm,
    DeliverForm,
    DispatchForm,
    NeedForm,
    NoteForm,
    ProjectForm,
    RateForm,
    ResourceForm,
    WishForm,
)
from shegong.resources.matching import candidates
from shegong.resources.models import Need, Project, Resource, Wish

NEED_COLUMNS = [
    Column(gettext_lazy("Number")),
    Column(field_label(Need, "title"), sort="title"),
    Column(field_label(Need, "category"), sort="category"),
    Column(field_label(Need, "urgency"), sort="urgency"),
    Column(field_label(Need, "people_affected"), sort="people"),
    Column(field_label(Need, "community"), sort="community"),
    Column(field_label(Need, "wanted_by"), sort="wanted_by"),
    Column(field_label(Need, "status"), sort="status"),
    Column(gettext_lazy("Dispatched to")),
]
RESOURCE_COLUMNS = [
    Column(field_label(Resource, "name"), sort="name"),
    Column(field_label(Resource, "kind"), sort="kind"),
    Column(gettext_lazy("Owner")),
    Column(field_label(Resource, "community"), sort="community"),
    Column(field_label(Resource, "categories")),
    Column(field_label(Resource, "capacity"), sort="capacity"),
    Column(field_label(Resource, "available_to"), sort="available_to"),
]
PROJECT_COLUMNS = [
    Column(field_label(Project, "title"), sort="title"),
    Column(field_label(Project, "community"), sort="community"),
    Column(field_label(Project, "categories")),
    Column(field_label(Project, "starts_on"), sort="starts_on"),
    Column(field_label(Project, "ends_on")),
    Column(field_label(Project, "status"), sort="status"),
    Column(field_label(Project, "lead_agency")),
]
WISH_COLUMNS = [
    Column(field_label(Wish, "title"), sort="title"),
    Column(gettext_lazy("For")),
    Column(field_label(Wish, "community"), sort="community"),
    Column(field_label(Wish, "wanted_by"), sort="wanted_by"),
    Column(field_label(Wish, "status"), sort="status"),
    Column(field_label(Wish, "claimant_name")),
    Column(field_label(Wish, "claimant_mobile")),
]

LISTS = {
    "need": (Need, NeedFilter, NEED_COLUMNS, selectors.needs_for, gettext_lazy("Needs")),
    "resource": (
        Resource,
        ResourceFilter,
        RESOURCE_COLUMNS,
        selectors.resources_for,
        gettext_lazy("Resources"),
    ),
    "project": (
        Project,
        ProjectFilter,
        PROJECT_COLUMNS,
        selectors.projects_for,
        gettext_lazy("Community projects"),
    ),
    "wish": (Wish, WishFilter, WISH_COLUMNS, selectors.wishes_for, gettext_lazy("Small wishes")),
}
MAY_CREATE = {
    "need": services.works_for_place,
    "resource": services.may_create_resource,
    "project": services.works_for_place,
    "wish": services.works_for_place,
}


def _posted(request):
    """The submitted form, even an empty one (which must show its errors), or None on GET."""
    return request.POST if request.method == "POST" else None


def _filterset(kind, request):
    model, filter_class, _columns, rows, _title = LISTS[kind]
    if not can(request.user, model, VIEW):
        raise PermissionDenied
    return filter_class(request.GET, queryset=rows(request.user), user=request.user)


def _list(request, kind):
    filterset = _filterset(kind, request)
    _model, _f, columns, _rows, title = LISTS[kind]
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    context = {
        "kind": kind,
        "title": title,
        "filter": filterset,
        "page_obj": page_of(request, rows),
        "headers": headers(request, columns),
        "may_create": MAY_CREATE[kind](request.user),
        "query": request.GET.urlencode(),
        "table": f"resources/_{kind}_table.html",
    }
    template = context["table"] if request.htmx else "resources/list.html"
    return render(request, template, context)


def _export(request, kind):
    filterset = _filterset(kind, request)
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    content = exports.EXPORTS[kind](
        rows, user=request.user, request=request, filters=request.GET.urlencode()
    )
    return xlsx_response(content, f"{kind}s")


@login_required
def need_list(request):
    return _list(request, "need")


@login_required
def need_export(request):
    return _export(request, "need")


@login_required
def resource_list(request):
    return _list(request, "resource")


@login_required
def resource_export(request):
    return _export(request, "resource")


@login_required
def project_list(request):
    return _list(request, "project")


@login_required
def project_export(request):
    return _export(request, "project")


@login_required
def wish_list(request):
    return _list(request, "wish")


@login_required
def wish_export(request):
    return _export(request, "wish")


def _form_page(request, form, *, title, back, testid):
    return render(
        request,
        "resources/form.html",
        {"form": form, "title": title, "back": back, "testid": testid},
    )


# --- needs -------------------------------------------------------------------------------------


@login_required
def need_create(request):
    if not services.works_for_place(request.user):
        raise PermissionDenied
    form = NeedForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.need_raise(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Need %(number)s recorded.") % {"number": need.number})
            return redirect("resources:need_detail", pk=need.pk)
    return _form_page(
        request, form, title=_("Record a need"), back="resources:need_list", testid="need-form"
    )


@login_required
def need_detail(request, pk):
    need = selectors.need_for_user_or_404(request.user, pk)
    actions = selectors.need_actions(request.user, need)
    suggestions = selectors.suggestions_for(need) if state.DISPATCH in actions else []
    return render(
        request,
        "resources/need_detail.html",
        {
            "need": need,
            "events": selectors.need_events(need),
            "actions": actions,
            "suggestions": suggestions,
            "projects": need.projects.for_user(request.user),
            "delivered_activity": selectors.delivered_activity_of(request.user, need),
        },
    )


def _run_step(request, need, form, call, title, testid):
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("resources:need_detail", pk=need.pk)
    return render(
        request,
        "resources/need_step.html",
        {"need": need, "form": form, "title": title, "testid": testid},
    )


def _need_for_step(request, pk, action):
    need = selectors.need_for_user_or_404(request.user, pk)
    # The step's own side: the other side gets what a missing need gets.
    services.require_side(request.user, need, action)
    return need


@login_required
def need_dispatch(request, pk):
    need = _need_for_step(request, pk, state.DISPATCH)
    form = DispatchForm(
        _posted(request),
        agencies=selectors.dispatch_agencies(request.user),
        resources=candidates(need).order_by("name"),
    )
    return _run_step(
        request,
        need,
        form,
        lambda data: services.need_dispatch(actor=request.user, need=need, **data),
        _("Dispatch"),
        "dispatch-form",
    )


@login_required
@require_POST
def need_claim(request, pk):
    need = _need_for_step(request, pk, state.CLAIM)
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        services.need_claim(actor=request.user, need=need, note=form.cleaned_data.get("note", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Need %(number)s claimed.") % {"number": need.number})
    return redirect("resources:need_detail", pk=need.pk)


@login_required
def need_decline(request, pk):
    need = _need_for_step(request, pk, state.DECLINE)
    form = DeclineForm(_posted(request))
    return _run_step(
        request,
        need,
        form,
        lambda data: services.need_decline(actor=request.user, need=need, **data),
        _("Decline"),
        "decline-form",
    )


@login_required
def need_deliver(request, pk):
    need = _need_for_step(request, pk, state.DELIVER)
    form = DeliverForm(
        _posted(request), activities=services.delivery_activities(request.user, need)
    )
    return _run_step(
        request,
        need,
        form,
        lambda data: services.need_deliver(actor=request.user, need=need, **data),
        _("Record delivery"),
        "deliver-form",
    )


@login_required
def need_rate(request, pk):
    need = _need_for_step(request, pk, state.RATE)
    form = RateForm(_posted(request))
    return _run_step(
        request,
        need,
        form,
        lambda data: services.need_rate(actor=request.user, need=need, **data),
        _("Rate"),
        "rate-form",
    )


# --- resources ---------------------------------------------------------------------------------


def _resource_form(request, instance=None):
    form = ResourceForm(
        _posted(request),
        instance=instance,
        user=request.user,
        agencies=services._directed_agencies(request.user).order_by("name"),
    )
    if services.works_for_place(request.user) and not request.user.is_superuser:
        current = Community.objects.filter(pk=getattr(instance, "community_id", None))
        form.fields["community"].queryset = (
            (communities_within(request.user) | current).distinct().select_related("street")
        )
    return form


@login_required
def resource_create(request):
    if not services.may_create_resource(request.user):
        raise PermissionDenied
    form = _resource_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Resource %(name)s registered.") % {"name": resource.name})
            return redirect("resources:resource_detail", pk=resource.pk)
    return _form_page(
        request,
        form,
        title=_("Register a resource"),
        back="resources:resource_list",
        testid="resource-form",
    )


@login_required
def resource_detail(request, pk):
    resource = selectors.resource_for_user_or_404(request.user, pk)
    return render(
        request,
        "resources/resource_detail.html",
        {"resource": resource, "may_change": selectors.may_change(request.user, resource)},
    )


@login_required
def resource_edit(request, pk):
    resource = selectors.resource_for_user_or_404(request.user, pk, CHANGE)
    form = _resource_form(request, resource)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.resource_update(actor=request.user, resource=resource, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Resource %(name)s saved.") % {"name": resource.name})
            return redirect("resources:resource_detail", pk=resource.pk)
    return _form_page(
        request,
        form,
        title=_("Edit resource"),
        back="resources:resource_list",
        testid="resource-form",
    )


# --- projects ----------------------------------------------------------------------------------


def _project_form(request, instance=None):
    return ProjectForm(
        _posted(request),
        instance=instance,
        user=request.user,
        agencies=selectors.dispatch_agencies(request.user),
        needs=selectors.needs_for(request.user).order_by("-pk"),
    )


@login_required
def project_create(request):
    if not services.works_for_place(request.user):
        raise PermissionDenied
    form = _project_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_save(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("resources:project_detail", pk=project.pk)
    return _form_page(
        request,
        form,
        title=_("New community project"),
        back="resources:project_list",
        testid="project-form",
    )


@login_required
def project_detail(request, pk):
    project = selectors.project_for_user_or_404(request.user, pk)
    return render(
        request,
        "resources/project_detail.html",
        {
            "project": project,
            "needs": project.needs.for_user(request.user),
            "may_change": selectors.may_change(request.user, project),
        },
    )


@login_required
def project_edit(request, pk):
    project = selectors.project_for_user_or_404(request.user, pk, CHANGE)
    form = _project_form(request, project)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.project_save(actor=request.user, project=project, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("resources:project_detail", pk=project.pk)
    return _form_page(
        request,
        form,
        title=_("Edit community project"),
        back="resources:project_list",
        testid="project-form",
    )


# --- wishes ------------------------------------------------------------------------------------


@login_required
def wish_create(request):
    if not services.works_for_place(request.user):
        raise PermissionDenied
    form = WishForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            wish = services.wish_post(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("resources:wish_detail", pk=wish.pk)
    return _form_page(
        request,
        form,
        title=_("Post a small wish"),
        back="resources:wish_list",
        testid="wish-form",
    )


@login_required
def wish_detail(request, pk):
    wish = selectors.wish_for_user_or_404(request.user, pk)
    return render(
        request,
        "resources/wish_detail.html",
        {"wish": wish, "may_change": selectors.may_change(request.user, wish)},
    )


@login_required
@require_POST
def wish_fulfil(request, pk):
    wish = selectors.wish_for_user_or_404(request.user, pk, CHANGE)
    try:
        services.wish_fulfil(actor=request.user, wish=wish)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Wish confirmed as fulfilled."))
    return redirect("resources:wish_detail", pk=wish.pk)
