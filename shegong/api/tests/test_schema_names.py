"""Ninja names each schema in the OpenAPI document by its class name alone: two apps declaring
``ReviewOut`` would silently share one definition, and clients of one would be told the other's
fields. Every schema class of the project must have a name of its own."""

from collections import Counter

from ninja import Schema

import shegong.api.api  # noqa: F401 - loads every app's router and schemas


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def test_every_api_schema_has_its_own_name():
    ours = {cls for cls in subclasses(Schema) if cls.__module__.startswith("shegong.")}
    repeated = [name for name, n in Counter(cls.__name__ for cls in ours).items() if n > 1]
    assert not repeated, [
        f"{cls.__module__}.{cls.__name__}" for cls in ours if cls.__name__ in repeated
    ]


def test_every_choices_class_has_its_own_name():
    # The same holds for the enums in the schemas: the training academy's class levels and the
    # exams' levels were both ``Level``, and the document offered one app's values to the other.
    from django.db.models import Choices

    ours = {cls for cls in subclasses(Choices) if cls.__module__.startswith("shegong.")}
    repeated = [name for name, n in Counter(cls.__name__ for cls in ours).items() if n > 1]
    assert not repeated, [
        f"{cls.__module__}.{cls.__name__}" for cls in ours if cls.__name__ in repeated
    ]


def test_the_openapi_document_is_handed_out_as_a_copy(client):
    from django.utils import translation

    from shegong.api.api import api

    with translation.override("zh-hans"):
        first = api.get_openapi_schema()
        first["info"]["title"] = "changed by one caller"
        again = api.get_openapi_schema()
    assert again["info"]["title"] == "Shegong API"
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json()["paths"]
