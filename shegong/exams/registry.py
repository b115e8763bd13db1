"""Who counts as a trainee, supplied by whoever records training (the academy's classes).

The exams app compares the pass rates of trainees and everyone else without importing the app
that knows who trained: that app registers, from its ``AppConfig.ready()``::

    from shegong.exams.registry import add_trainee_source
    add_trainee_source(trained_people, key="training")

where ``trained_people(person_ids, year) -> set[int]`` returns which of these people trained
for that year's exam (one or two queries). With no source registered nobody is a trainee, and
the figures say so. Registering again under the same key replaces the entry.
"""

from collections.abc import Callable, Iterable

_sources: dict[str, Callable[[set[int], int], Iterable[int]]] = {}


def add_trainee_source(fn: Callable[[set[int], int], Iterable[int]], *, key: str = "") -> None:
    _sources[key or f"{fn.__module__}.{fn.__qualname__}"] = fn


def remove_trainee_source(key: str) -> None:
    _sources.pop(key, None)


def has_trainee_sources() -> bool:
    return bool(_sources)


def trainees(person_ids: Iterable[int], year: int) -> set[int]:
    """Which of ``person_ids`` trained for ``year``'s exam, by any registered source."""
    wanted = set(person_ids)
    found: set[int] = set()
    for fn in _sources.values():
        found.update(int(pk) for pk in fn(wanted, year))
    return found & wanted
