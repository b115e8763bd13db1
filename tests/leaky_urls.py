"""The site's URLs plus two people lists for the matrix's own test: one that leaks (every person
behind a login, the mistake the matrix must catch) and the same list through the scope."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path
from django.utils.html import format_html_join

from shegong.people.models import Person
from shegong.people.selectors import people_search
from shegong.urls import urlpatterns as site_urlpatterns


def _render(people, request) -> HttpResponse:
    rows = people_search(people, request.GET.get("q", ""))
    return HttpResponse(
        format_html_join(
            "", '<a href="/people/{}/">{} {}</a>', ((p.pk, p.name, p.number) for p in rows)
        )
    )


@login_required
def leaky_people(request):
    return _render(Person.objects.all(), request)


@login_required
def scoped_people(request):
    return _render(Person.objects.for_user(request.user), request)


urlpatterns = [
    *site_urlpatterns,
    path("leaky/people/", leaky_people),
    path("scoped/people/", scoped_people),
]
