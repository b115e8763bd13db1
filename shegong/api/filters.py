"""API list queries run through the same FilterSet as the page."""

from django.core.exceptions import ValidationError


def valid_filterset(filterset_class, query, **kwargs):
    """``filterset_class`` bound to an API query's values, as the page binds its GET: values left
    out are not sent, booleans arrive as "true"/"false" like a select's. Invalid values raise a
    ValidationError naming each field, which the API answers with a 400."""
    data = {
        key: ("true" if value else "false") if isinstance(value, bool) else value
        for key, value in query.dict(exclude_none=True).items()
    }
    filterset = filterset_class(data, **kwargs)
    if not filterset.is_valid():
        raise ValidationError({name: list(errors) for name, errors in filterset.errors.items()})
    return filterset
