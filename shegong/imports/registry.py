"""The kinds of import, registered by the apps that own the rows.

The imports app runs a job (upload, background check, staging, progress, error report,
import) the same way for every kind; what differs comes from the kind an app registers in its
``AppConfig.ready()``::

    from shegong.imports.registry import ImportKind, register
    register(ImportKind(code="people", ...))

So a new import is a new registration in its own app; nothing here names a kind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImportKind:
    code: str  # stored on the job and in the URLs: /imports/<code>/new/
    label: str  # "People", "Case register" (lazy)
    title: str  # the upload page's heading and the list's button: "Import people"
    may_import: Callable  # (user) -> bool
    # (actor, community, agency): may ``actor`` import into that target? Raises PermissionDenied
    # or ValidationError; the service calls it, whoever calls the service.
    check_target: Callable
    # (actor, cleaned form data) -> the job's target {"community": ..., "agency": ...};
    # raises PermissionDenied, or ValidationError for a field of the form.
    target: Callable
    # (path, file format) -> estimated rows; reads the header only (readers.peek). Raises
    # ValidationError (columns) or SpreadsheetError.
    check_structure: Callable
    importer: Callable  # (job) -> the importer that checks and inserts the job's rows
    upload_form: type  # the form: a ``file`` field plus the kind's own choices, taking ``user``
    upload_template: str  # extends "imports/_upload.html"
    template_xlsx: Callable  # () -> bytes of the blank template
    template_name: str  # file name of the template download, without .xlsx
    column_labels: Mapping = field(default_factory=dict)  # column key -> label for the page
    done_message: Callable | None = None  # (job) -> the sentence shown when the import is done
    done_url: str = ""  # URL name of the list the imported rows appear in
    done_link: str = ""  # its link text
    formats: tuple[str, ...] = ("xlsx", "csv")
    # Run once in the fork server of row-checking workers (see ``parallel``): load what every
    # worker would otherwise load for itself (dictionaries, caches).
    warm_up: Callable | None = None


_kinds: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> None:
    if kind.code in _kinds and _kinds[kind.code] is not kind:
        raise ValueError(f"Import kind {kind.code!r} is already registered.")
    _kinds[kind.code] = kind


def get(code: str) -> ImportKind:
    """The kind called ``code``; LookupError if no app registered it."""
    try:
        return _kinds[code]
    except KeyError:
        raise LookupError(f"Unknown import kind {code!r}") from None


def kinds() -> list[ImportKind]:
    return list(_kinds.values())


def kinds_for(user) -> list[ImportKind]:
    """The kinds ``user`` may import."""
    return [kind for kind in _kinds.values() if kind.may_import(user)]
