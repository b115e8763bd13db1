"""The floor of a public form: the least a page of its kind can cost on this stack.

``GET /bench-floor/`` draws a two-field form (name, mobile) with its CSRF token in the site's
layout; ``POST /bench-floor/`` checks the CSRF token and the two fields, writes one row in a
transaction of its own (as the check-in and the enrolment write theirs) and redirects. No
lookup, no rate limit, no domain rule: a handler of the same kind that does nothing else. A
benchmark target that this floor cannot reach through the same gunicorn in the same run is a
target no handler can reach.

The table is created by ``create_floor_table`` before the server starts."""

from django import forms
from django.db import connection, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template import engines
from django.urls import path
from django.views.decorators.cache import never_cache

from shegong.urls import urlpatterns as site_urlpatterns

TABLE = "bench_floor"
PAGE = engines["django"].from_string(
    """{% extends "base.html" %}{% block content %}
<form method="post">{% csrf_token %}{{ form }}<button type="submit">OK</button></form>
{% endblock %}"""
)


class FloorForm(forms.Form):
    name = forms.CharField(max_length=50)
    mobile = forms.CharField(max_length=20)


@never_cache
def floor(request):
    form = FloorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (name, mobile) VALUES (%s, %s)",  # noqa: S608
                [form.cleaned_data["name"], form.cleaned_data["mobile"]],
            )
        return redirect("bench-floor-done")
    return HttpResponse(PAGE.render({"form": form}, request))


def floor_done(request):
    return render(request, "base.html", {})


def create_floor_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} "
            "(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, mobile TEXT NOT NULL)"
        )


urlpatterns = [
    path("bench-floor/", floor, name="bench-floor"),
    path("bench-floor/done/", floor_done, name="bench-floor-done"),
    *site_urlpatterns,
]
