"""Every domain model is tracked in the change history and declares who may see its rows, so a
model added by a new app cannot be forgotten by either."""

from auditlog.registry import auditlog
from django.apps import apps

from shegong.core.scope import ScopeRule

# Not domain data: the access log is itself the record of reads (and is read only by auditors
# through its own page); auditlog's own tables belong to a third-party app.
NOT_DOMAIN = {"core.AccessLog"}

# Each exemption names why. A model missing from here and from the registries fails.
NO_CHANGE_HISTORY = {
    "cases.CaseEvent": "append-only: it is the case's own history, written by the services",
    "core.CheckinNonce": "a used one-time form token: no personal data, only a replay guard",
    "core.RateCounter": "a request count per hashed address and minute, deleted when it expires",
    "cases.CaseExport": "a download job of one user; its creation and download are access-logged",
    "imports.ImportRowError": "derived from the uploaded file by the check, deleted with the job",
    "notifications.Notification": "a message to one user; reading it is its only change",
}
OWN_SCOPE_MECHANISM = {
    "accounts.User": "UserQuerySet.for_user: a user is in scope through their role assignments",
    "imports.ImportRowError": "read only through its job, whose rule is owner_only",
    "core.CheckinNonce": "never listed nor shown: written and looked up by core/checkin.py only",
    "core.RateCounter": "never listed nor shown: counted by core/ratelimit.py only",
    "core.CalendarDay": "national, of no place: kept by district admins (may_keep_calendar)",
}


def domain_models():
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("shegong.") and model._meta.label not in NOT_DOMAIN
    ]


def test_there_are_domain_models_to_check():
    labels = {model._meta.label for model in domain_models()}
    assert {"people.Person", "cases.Case", "accounts.User"} <= labels


def test_every_domain_model_has_change_history():
    missing = [
        m._meta.label
        for m in domain_models()
        if not auditlog.contains(m) and m._meta.label not in NO_CHANGE_HISTORY
    ]
    assert missing == [], "register these with shegong.core.audit.track in their AppConfig.ready()"


def test_every_domain_model_declares_a_scope_rule():
    missing = [
        m._meta.label
        for m in domain_models()
        if not isinstance(getattr(m, "scope_rule", None), ScopeRule)
        and m._meta.label not in OWN_SCOPE_MECHANISM
    ]
    assert missing == [], "declare a ScopeRule (core/scope.py) on these models"


def test_the_exemptions_name_models_that_exist_and_still_need_them():
    labels = {m._meta.label: m for m in domain_models()}
    for label in NO_CHANGE_HISTORY:
        assert label in labels and not auditlog.contains(labels[label]), label
    for label in OWN_SCOPE_MECHANISM:
        assert label in labels and not hasattr(labels[label], "scope_rule"), label
