from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("District administrator")
    STREET_ADMIN = "street_admin", _("Street administrator")
    COMMUNITY_STAFF = "community_staff", _("Community staff")
    AGENCY_ADMIN = "agency_admin", _("Agency director")
    SUPERVISOR = "supervisor", _("Supervisor")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    TRAINING_ADMIN = "training_admin", _("Training administrator")
    EVALUATOR = "evaluator", _("Evaluator")
    VOLUNTEER = "volunteer", _("Volunteer")
    AUDITOR = "auditor", _("Auditor")
    # The coordinator of a training academy's remote site (闽宁镇): sees only its learners.
    SITE_COORDINATOR = "site_coordinator", _("Training site coordinator")


class NodeKind(models.TextChoices):
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community")
    AGENCY = "agency", _("Agency")


# The kind of node each role is bound to. Roles with no natural place (training, audit,
# evaluation, volunteering) are bound to the district so the tree has one shape.
ROLE_NODE_KINDS = {
    Role.DISTRICT_ADMIN: {NodeKind.DISTRICT},
    Role.STREET_ADMIN: {NodeKind.STREET},
    Role.COMMUNITY_STAFF: {NodeKind.COMMUNITY},
    Role.AGENCY_ADMIN: {NodeKind.AGENCY},
    Role.SUPERVISOR: {NodeKind.AGENCY},
    Role.SOCIAL_WORKER: {NodeKind.AGENCY},
    Role.TRAINING_ADMIN: {NodeKind.DISTRICT},
    Role.EVALUATOR: {NodeKind.DISTRICT},
    Role.VOLUNTEER: {NodeKind.DISTRICT, NodeKind.STREET, NodeKind.COMMUNITY},
    Role.AUDITOR: {NodeKind.DISTRICT},
    Role.SITE_COORDINATOR: {NodeKind.DISTRICT},
}

# Roles an administrator may grant, and only at or below their own node.
GRANTABLE_BY = {
    Role.DISTRICT_ADMIN: set(Role),
    Role.STREET_ADMIN: {Role.STREET_ADMIN, Role.COMMUNITY_STAFF, Role.VOLUNTEER},
    Role.AGENCY_ADMIN: {Role.AGENCY_ADMIN, Role.SUPERVISOR, Role.SOCIAL_WORKER},
}
