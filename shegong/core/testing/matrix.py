"""Enumerate every page URL pattern and every API operation, for the authorization matrix.

The matrix test (tests/test_authorization_matrix.py) declares, for each of these, which personas
may use it; a URL or operation without a declaration fails the suite, so a new view cannot ship
without someone deciding who may open it.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

API_PREFIX = "api/v1/"
API_PAGES = {"openapi-json", "openapi-view"}  # the schema and the docs page


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: str  # "people/<int:pk>/"


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            route = prefix + str(entry.pattern)
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, route, ns)
        elif isinstance(entry, URLPattern):
            if (prefix + str(entry.pattern)).startswith(API_PREFIX) and entry.name not in API_PAGES:
                continue  # API operations are enumerated from the OpenAPI schema instead
            name = entry.name or entry.lookup_str
            full_name = f"{namespace}:{name}" if namespace else name
            yield Route(name=full_name, pattern=prefix + str(entry.pattern))


def page_routes() -> list[Route]:
    return sorted(set(_walk(get_resolver().url_patterns)), key=lambda r: r.name)


def api_operations() -> list[str]:
    """Every operation as "METHOD /path" exactly as the OpenAPI schema lists it."""
    from shegong.api.api import api

    schema = api.get_openapi_schema()
    operations = []
    for path, methods in schema["paths"].items():
        for method in methods:
            operations.append(f"{method.upper()} {path}")
    return sorted(operations)
