"""Where apps plug into core: menu entries, workbench items, demo steps, encrypted files and
continuing-education hours.

Each app fills these from its ``AppConfig.ready()`` (see docs/adding-an-app.md); core draws the
menu, the workbench and the demo world from what was registered and never imports an app. The
other two plug-in points need no registry here: a model's scope rule is its ``scope_rule``
attribute (``core/scope.py``), and its change history is ``core.audit.track(Model)``, called from
the same ``ready()``.

Registering twice under the same key replaces the entry, so a ``ready()`` that runs again (some
test runners reload apps) does not double the menu.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# --- menu -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MenuEntry:
    """One entry of the main menu. ``order`` places it (core's Home is 0, the audit log 90).

    Visibility names the check the page itself makes, so a user sees exactly the pages they can
    open: ``model`` ("app_label.Model") shows the entry to users who may VIEW that model;
    ``check`` is the page's own predicate ``check(user) -> bool``. Neither: everyone signed in.
    """

    label: str
    url_name: str
    icon: str
    order: int
    model: str = ""
    check: Callable | None = None


_menu: dict[str, MenuEntry] = {}


def add_menu(*entries: MenuEntry) -> None:
    for entry in entries:
        _menu[entry.url_name] = entry


def menu_entries() -> list[MenuEntry]:
    return sorted(_menu.values(), key=lambda e: (e.order, e.url_name))


# --- workbench ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Todo:
    """A count of work waiting for the user, linking to where it is done.

    ``empty`` says what happens here when nothing waits (the count is 0), so an empty card still
    tells the user what it is for.
    """

    label: str
    count: int
    url: str
    empty: str = ""
    testid: str = ""


@dataclass(frozen=True)
class Figure:
    """A number of the user's scope, computed from rows, linking to the list behind it."""

    label: str
    value: int
    url: str
    detail: str = ""
    testid: str = ""


@dataclass(frozen=True)
class WorkbenchItem:
    """A provider of to-dos or figures: ``provide(user)`` returns the ones that apply to the
    user (none when the user has no business with them). ``order`` sorts providers."""

    key: str
    order: int
    provide: Callable[..., Iterable[Todo | Figure]]


_todos: dict[str, WorkbenchItem] = {}
_figures: dict[str, WorkbenchItem] = {}


def add_todos(key: str, provide: Callable[..., Iterable[Todo]], *, order: int) -> None:
    _todos[key] = WorkbenchItem(key, order, provide)


def add_figures(key: str, provide: Callable[..., Iterable[Figure]], *, order: int) -> None:
    _figures[key] = WorkbenchItem(key, order, provide)


def _collect(items: dict[str, WorkbenchItem], user) -> list:
    collected = []
    for item in sorted(items.values(), key=lambda i: (i.order, i.key)):
        collected.extend(item.provide(user))
    return collected


def todos_for(user) -> list[Todo]:
    return _collect(_todos, user)


def figures_for(user) -> list[Figure]:
    return _collect(_figures, user)


# --- encrypted files --------------------------------------------------------------------------


_sealed_files: dict[str, Callable[[], int]] = {}


def add_sealed_files(label: str, reseal_all: Callable[[], int]) -> None:
    """Files an app stores encrypted with the field keys (note attachments): ``reseal_all()``
    re-encrypts them under the first key and returns how many it rewrote. ``rotate_field_keys``
    calls each one after the encrypted columns."""
    _sealed_files[label] = reseal_all


def sealed_files() -> dict[str, Callable[[], int]]:
    return dict(_sealed_files)


# --- continuing-education hours ------------------------------------------------------------------


@dataclass(frozen=True)
class CpdCredit:
    """Hours of continuing education (继续教育学时) one person earned on one day, from one app.

    The talent profile sums these per registration period; the app that recorded the learning
    (the training academy's completed classes) owns the rows and says what they were for.
    """

    person_id: int
    date: date
    hours: Decimal
    label: str
    source: str


_cpd_sources: dict[str, Callable[[Iterable[int]], Iterable[CpdCredit]]] = {}


def add_cpd_source(key: str, credits_for: Callable[[Iterable[int]], Iterable[CpdCredit]]) -> None:
    """An app that records learning registers ``credits_for(person_ids)``: every credit of those
    people, in one or two queries whatever their number."""
    _cpd_sources[key] = credits_for


def cpd_credits_for(person_ids: Iterable[int]) -> list[CpdCredit]:
    """Every registered app's credits for these people, oldest first."""
    ids = list(person_ids)
    credits: list[CpdCredit] = []
    for key in sorted(_cpd_sources):
        credits.extend(_cpd_sources[key](ids))
    return sorted(credits, key=lambda c: (c.date, c.source, c.label))


# --- demo data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoStep:
    """One app's part of the demo world: ``build(world)`` creates it (idempotently) and adds what
    later steps need to ``world``. ``after`` names the steps it needs first.

    ``personas``: the step belongs to the small world every test runs against (places, agencies,
    the demo logins); the rest (people, case histories, ...) is loaded only by ``seed_demo``.
    """

    name: str
    build: Callable
    after: tuple[str, ...] = ()
    personas: bool = False


_demo: dict[str, DemoStep] = {}


def add_demo(name: str, build: Callable, *, after: Iterable[str] = (), personas=False) -> None:
    _demo[name] = DemoStep(name, build, tuple(after), personas)


def demo_steps(*, personas_only: bool = False) -> list[DemoStep]:
    """The steps in an order that runs every step after those it names (registration order
    otherwise). A missing or circular dependency is a programming error and says so."""
    wanted = {n: s for n, s in _demo.items() if s.personas or not personas_only}
    ordered: list[DemoStep] = []
    done: set[str] = set()
    visiting: set[str] = set()

    def visit(step: DemoStep) -> None:
        if step.name in done:
            return
        if step.name in visiting:
            raise RuntimeError(f"Demo steps depend on each other in a circle at {step.name!r}")
        visiting.add(step.name)
        for name in step.after:
            if name not in wanted:
                raise RuntimeError(f"Demo step {step.name!r} needs {name!r}, which is missing")
            visit(wanted[name])
        visiting.discard(step.name)
        done.add(step.name)
        ordered.append(step)

    for step in wanted.values():
        visit(step)
    return ordered


@dataclass
class DemoWorld:
    """What the demo steps built, by name. Each step sets the attributes it owns (the places step
    sets ``district`` and ``home_community``, the agencies step ``agency_a`` ...), adds its logins
    to ``users`` and its lines for the ``seed_demo`` summary to ``report``."""

    scale: str = "small"
    users: dict = field(default_factory=dict)
    report: list[str] = field(default_factory=list)

    def __getattr__(self, name):
        # Only reached for attributes no step has set: say which, not a bare AttributeError.
        raise AttributeError(f"The demo world has no {name!r}: is the step that builds it loaded?")
