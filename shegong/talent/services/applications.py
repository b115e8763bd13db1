"""Applications: filing with the eligibility check, the review chain, 公示 with objections, and
the end of the notice that schedules the payments (or grants the title).

Exactly once: every move locks the application row (``select_for_update``; on SQLite the
``BEGIN IMMEDIATE`` write transaction) and re-reads its state inside the lock, so two reviewers
acting at the same moment make one move and the second is told why not. Money moves under the
policy row's lock too, and the database refuses a committed total above the budget and a second
schedule of the same application (constraints in models.py).
"""

from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.audit import set_actor
from shegong.core.scope import CHANGE, VIEW, require, user_assignments
from shegong.core.sealed_files import sealed
from shegong.core.validators import model_errors
from shegong.notifications.services import notify
from shegong.talent.choices import (
    ACTIVE_STATUSES,
    ApplicantKind,
    ApplicationStatus,
    Decision,
    ObjectionStatus,
    PaymentMode,
)
from shegong.talent.eligibility import evaluate_policy, load_agency_facts, load_facts
from shegong.talent.models import (
    Application,
    Objection,
    Payment,
    Policy,
    Review,
    TalentProfile,
    TitleGrant,
)
from shegong.talent.services.common import (
    acts_as,
    add_months,
    add_working_days,
    today,
    upload_errors,
)
from shegong.talent.state import require_status


def may_file_for(actor, profile: TalentProfile) -> bool:
    """The worker for themselves; the profile's keepers (their agency's director, the
    district) for them: a nomination, or a resident's application filed at the service desk."""
    if profile.user_id is not None and profile.user_id == actor.pk:
        return True
    return TalentProfile.objects.for_user(actor, CHANGE).filter(pk=profile.pk).exists()


def may_file_for_agency(actor, agency) -> bool:
    """An organisation applies through its director: an active agency_admin assignment at
    that agency (the district and the street review it; they do not file for it)."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return any(
        a.role == "agency_admin" and a.agency_id == agency.pk for a in user_assignments(actor)
    )


def _is_own(actor, application: Application) -> bool:
    """Whether the reviewer is the applicant, or directs the applying organisation: whatever
    other roles they hold (a street's administrator who directs an agency of the street),
    nobody decides their own application."""
    if application.applicant_user_id == actor.pk:
        return True
    return application.applicant_agency_id is not None and any(
        a.role == "agency_admin" and a.agency_id == application.applicant_agency_id
        for a in user_assignments(actor)
    )


def filing_agency_ids(actor) -> list[int]:
    """The agencies the actor may apply for (those they direct); no query beyond the roles."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return []
    return [a.agency_id for a in user_assignments(actor) if a.role == "agency_admin"]


def may_file_application(actor, application: Application) -> bool:
    """Whether the actor speaks for the application's applicant (resubmit, withdraw)."""
    if application.applicant_agency_id is not None:
        return may_file_for_agency(actor, application.applicant_agency)
    return may_file_for(actor, application.profile)


def check_eligibility(policy: Policy, profile: TalentProfile, *, on=None, window=True):
    policy = Policy.objects.prefetch_related("criteria").get(pk=policy.pk)
    facts = load_facts([profile.pk], district_id=policy.district_id)
    return evaluate_policy(policy, facts[profile.pk], on or today(), window=window)


def check_agency_eligibility(policy: Policy, agency, *, on=None, window=True):
    """The organisation's verdicts under the policy: the same criteria library, over the
    agency's facts (registration, park tenancy, what it was paid)."""
    policy = Policy.objects.prefetch_related("criteria").get(pk=policy.pk)
    facts = load_agency_facts([agency.pk], district_id=policy.district_id)
    return evaluate_policy(policy, facts[agency.pk], on or today(), window=window)


def _check_application(application: Application, *, window=True):
    if application.applicant_agency_id is not None:
        return check_agency_eligibility(
            application.policy, application.applicant_agency, window=window
        )
    return check_eligibility(application.policy, application.profile, window=window)


def _eligibility_error(result, *, organisation=None) -> ValidationError:
    reasons = " ".join(v.text for v in result.verdicts if not v.passed)
    if organisation is not None:
        message = _("%(agency)s does not qualify: %(reasons)s") % {
            "agency": organisation.name,
            "reasons": reasons,
        }
    else:
        message = _("You do not qualify: %(reasons)s") % {"reasons": reasons}
    return ValidationError({"policy": [message]})


def _steps(policy) -> list[str]:
    return list(policy.steps.order_by("position").values_list("role", flat=True))


def _next_number(policy) -> str:
    count = Application.objects.filter(policy=policy).count() + 1
    return f"T{policy.year}{policy.pk:03d}{count:05d}"


def _check_attachment(policy, attachment, errors):
    if attachment is None:
        if policy.requires_attachment:
            errors["attachment"] = [
                _("This policy needs an attachment (the signed form or certificate).")
            ]
        return
    problems = upload_errors(attachment)
    if problems:
        errors["attachment"] = problems


def application_file(
    *, actor, policy: Policy, profile: TalentProfile, statement: str = "", attachment=None
) -> Application:
    """File and submit an application: within the policy's window, eligible (the check's
    verdicts are stored as its snapshot), with the attachment the policy asks for."""
    require(actor, profile, VIEW)
    if not may_file_for(actor, profile):
        raise PermissionDenied(_("You may not apply for this person."))
    errors: dict[str, list[str]] = {}
    own = profile.user_id == actor.pk
    if policy.applicant_kind == ApplicantKind.AGENCY and own:
        errors["policy"] = [_("This round takes nominations from agencies, not applications.")]
    elif policy.applicant_kind == ApplicantKind.WORKER and profile.agency_id is None:
        errors["policy"] = [_("This policy is for social workers employed at an agency.")]
    elif policy.applicant_kind == ApplicantKind.ORGANISATION:
        errors["policy"] = [
            _("This policy is for organisations: the agency's director applies for it.")
        ]
    _check_attachment(policy, attachment, errors)
    application = Application(
        policy=policy,
        applicant_kind=policy.applicant_kind,
        profile=profile,
        agency_id=profile.agency_id,
        community_id=profile.community_id,
        applicant_user_id=profile.user_id,
        created_by=actor,
        statement=(statement or "").strip(),
    )
    for field, messages in model_errors(
        application, exclude=("number", "attachment", "policy", "profile")
    ).items():
        errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    result = check_eligibility(policy, profile)
    if not result.eligible:
        raise _eligibility_error(result)
    return _submit(actor, application, attachment, {"profile": profile})


def application_file_for_agency(
    *, actor, policy: Policy, agency, statement: str = "", attachment=None
) -> Application:
    """An organisation's application, filed by its director: a policy for organisations,
    within its window, the agency eligible (the verdicts stored as the snapshot), the
    attachment the policy asks for. It sits in the agency's community, so the street above
    reviews it; no agency confirms its own application (``agency`` stays empty)."""
    require(actor, agency, VIEW)
    if not may_file_for_agency(actor, agency):
        raise PermissionDenied(_("Only the agency's director applies for it."))
    errors: dict[str, list[str]] = {}
    if policy.applicant_kind != ApplicantKind.ORGANISATION:
        errors["policy"] = [_("This policy is for people, not for organisations.")]
    if not agency.is_active:
        errors["agency"] = [_("%(agency)s is no longer active.") % {"agency": agency.name}]
    _check_attachment(policy, attachment, errors)
    application = Application(
        policy=policy,
        applicant_kind=ApplicantKind.ORGANISATION,
        applicant_agency=agency,
        community_id=agency.community_id,
        created_by=actor,
        statement=(statement or "").strip(),
    )
    for field, messages in model_errors(
        application, exclude=("number", "attachment", "policy", "profile", "applicant_agency")
    ).items():
        errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    result = check_agency_eligibility(policy, agency)
    if not result.eligible:
        raise _eligibility_error(result, organisation=agency)
    return _submit(actor, application, attachment, {"applicant_agency": agency})


def _submit(actor, application, attachment, applicant: dict) -> Application:
    """Number, snapshot and save a checked application under the policy's row lock, once per
    applicant (``applicant``: the profile or the agency) and policy: a second live one is
    refused here, and by the partial unique constraints if two got past this check."""
    with transaction.atomic(), set_actor(actor):
        # The policy's row lock numbers its applications one after another.
        policy = Policy.objects.select_for_update().get(pk=application.policy_id)
        application.policy = policy
        # Judged again under the lock that an edit of the policy's terms takes too: an edit
        # that committed since the check before it is the one the application is filed under.
        result = _check_application(application)
        if not result.eligible:
            raise _eligibility_error(result, organisation=application.applicant_agency)
        steps = _steps(policy)
        if Application.objects.filter(
            policy=policy, status__in=ACTIVE_STATUSES, **applicant
        ).exists():
            raise ValidationError(
                {"policy": [_("There is already an application for this policy.")]}
            )
        application.number = _next_number(policy)
        application.amount = result.amount
        application.eligibility = result.snapshot()
        application.status = ApplicationStatus.IN_REVIEW
        application.step = 1
        application.awaiting_role = steps[0]
        application.submitted_at = timezone.now()
        if attachment is not None:
            application.attachment = sealed(attachment, keep_extension=True)
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            raise ValidationError(
                {"policy": [_("There is already an application for this policy.")]}
            ) from None
    return application


def application_resubmit(
    *, actor, application: Application, statement: str | None = None, attachment=None
) -> Application:
    """A returned application, changed and sent back to the first step; eligibility is checked
    again (not the window: it was filed within it)."""
    require(actor, application, VIEW)
    if not may_file_application(actor, application):
        raise PermissionDenied(_("You may not change this application."))
    errors: dict[str, list[str]] = {}
    if attachment is not None:
        problems = upload_errors(attachment)
        if problems:
            errors["attachment"] = problems
    if errors:
        raise ValidationError(errors)
    result = _check_application(application, window=False)
    if not result.eligible:
        raise _eligibility_error(result, organisation=application.applicant_agency)
    steps = _steps(application.policy)
    # Encrypted before the transaction: the write lock is not held while a file is sealed.
    sealed_attachment = sealed(attachment, keep_extension=True) if attachment is not None else None
    with transaction.atomic(), set_actor(actor):
        locked = Application.objects.select_for_update().get(pk=application.pk)
        require_status(locked, "resubmit")
        if statement is not None:
            locked.statement = statement.strip()
        if sealed_attachment is not None:
            locked.attachment = sealed_attachment
        elif not locked.attachment and locked.policy.requires_attachment:
            raise ValidationError(
                {
                    "attachment": [
                        _("This policy needs an attachment (the signed form or certificate).")
                    ]
                }
            )
        locked.full_clean(exclude=["attachment", "number"])
        locked.amount = result.amount
        locked.eligibility = result.snapshot()
        locked.status = ApplicationStatus.IN_REVIEW
        locked.step = 1
        locked.awaiting_role = steps[0]
        locked.submitted_at = timezone.now()
        locked.save()
    return locked


def may_review(actor, application: Application) -> bool:
    return application.status == ApplicationStatus.IN_REVIEW and acts_as(
        actor, application.awaiting_role, Application, application
    )


def application_review(
    *, actor, application: Application, decision: str, comment: str = "", on=None
) -> Application:
    """The step's reviewer approves, returns for changes or rejects (a comment is required for
    the latter two). Approval at the last step commits the amount against the budget and opens
    the public notice; refused, writing nothing, if the budget does not cover it."""
    require(actor, application, VIEW)
    comment = (comment or "").strip()
    if decision not in Decision.values:
        raise ValidationError({"decision": [_("Choose approve, return or reject.")]})
    if decision != Decision.APPROVE and not comment:
        raise ValidationError({"comment": [_("Say why, so the applicant knows what to do.")]})
    with transaction.atomic(), set_actor(actor):
        locked = Application.objects.select_for_update().get(pk=application.pk)
        require_status(locked, "review")
        if not acts_as(actor, locked.awaiting_role, Application, locked):
            raise PermissionDenied(_("This step waits for another reviewer."))
        if _is_own(actor, locked):
            raise ValidationError(
                {
                    "decision": [
                        _(
                            "This application is your own or your organisation's: another "
                            "reviewer decides it."
                        )
                    ]
                }
            )
        steps = _steps(locked.policy)
        Review.objects.create(
            application=locked,
            step=locked.step,
            role=locked.awaiting_role,
            decision=decision,
            comment=comment,
            actor=actor,
        )
        if decision == Decision.RETURN:
            locked.status, locked.step, locked.awaiting_role = ApplicationStatus.RETURNED, 0, ""
        elif decision == Decision.REJECT:
            locked.status, locked.step, locked.awaiting_role = ApplicationStatus.REJECTED, 0, ""
        elif locked.step < len(steps):
            locked.step += 1
            locked.awaiting_role = steps[locked.step - 1]
        else:
            _commit_budget(locked)
            start = on or today()
            locked.status, locked.step, locked.awaiting_role = ApplicationStatus.IN_NOTICE, 0, ""
            locked.notice_starts = start
            locked.notice_ends = add_working_days(start, locked.policy.notice_days)
        locked.save()
        _tell_applicant(locked)
    return locked


def _commit_budget(application: Application) -> None:
    policy = Policy.objects.select_for_update().get(pk=application.policy_id)
    if policy.committed + application.amount > policy.budget:
        raise ValidationError(
            {
                "decision": [
                    _(
                        "Refused: %(policy)s has %(left)s yuan of its budget left; this "
                        "application needs %(amount)s yuan."
                    )
                    % {
                        "policy": policy.name,
                        "left": policy.remaining,
                        "amount": application.amount,
                    }
                ]
            }
        )
    policy.committed += application.amount
    policy.save(update_fields=["committed", "updated_at"])


def _release_budget(application: Application) -> None:
    policy = Policy.objects.select_for_update().get(pk=application.policy_id)
    policy.committed -= application.amount
    policy.save(update_fields=["committed", "updated_at"])


def _tell_applicant(application: Application) -> None:
    # A person's login, or for an organisation the director who filed it.
    user = application.applicant_user if application.applicant_user_id else None
    if application.applicant_agency_id is not None:
        user = application.created_by
    if user is not None:
        notify(
            user,
            _("Your application %(number)s for %(policy)s: %(status)s.")
            % {
                "number": application.number,
                "policy": application.policy.name,
                "status": ApplicationStatus(application.status).label,
            },
            f"/talent/applications/{application.pk}/",
        )


def application_set_amount(*, actor, application: Application, amount, comment: str = ""):
    """The district corrects the amount before the final approval; never after it."""
    from shegong.talent.criteria import money_param

    require(actor, application, VIEW)
    if not acts_as(actor, "district_admin", Application, application):
        raise PermissionDenied(_("Only the district changes amounts."))
    value = money_param(amount, "amount")
    with transaction.atomic(), set_actor(actor):
        locked = Application.objects.select_for_update().get(pk=application.pk)
        require_status(locked, "set_amount", field="amount")
        locked.amount = value
        locked.save(update_fields=["amount", "updated_at"])
    return locked


def may_keep_notice(actor, application) -> bool:
    return acts_as(actor, "district_admin", Application, application)


def objection_record(
    *, actor, application: Application, raised_by: str, content: str, on=None
) -> Objection:
    """An objection raised during the public notice (by letter, phone or in person): on or
    before its last day, not after it (the notice is over, only its closing is left)."""
    require(actor, application, VIEW)
    if not (
        may_keep_notice(actor, application)
        or acts_as(actor, "street_admin", Application, application)
    ):
        raise PermissionDenied(_("Objections are recorded by the street or the district."))
    objection = Objection(
        application=application,
        raised_by=(raised_by or "").strip(),
        content=(content or "").strip(),
        recorded_by=actor,
    )
    errors = model_errors(objection)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        locked = Application.objects.select_for_update().get(pk=application.pk)
        require_status(locked, "object")
        if locked.notice_ends and (on or today()) > locked.notice_ends:
            raise ValidationError(
                {
                    "status": [
                        _(
                            "The public notice ended on %(date)s; objections are recorded "
                            "only during it."
                        )
                        % {"date": locked.notice_ends}
                    ]
                }
            )
        objection.save()
    return objection


def objection_resolve(*, actor, objection: Objection, upheld: bool, resolution: str) -> Objection:
    """Upheld: the application is rejected and its amount returns to the budget. Dismissed:
    the notice goes on."""
    application = objection.application
    require(actor, application, VIEW)
    if not may_keep_notice(actor, application):
        raise PermissionDenied(_("Only the district resolves objections."))
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": [_("Say how the objection was resolved.")]})
    with transaction.atomic(), set_actor(actor):
        locked = Application.objects.select_for_update().get(pk=application.pk)
        row = Objection.objects.select_for_update().get(pk=objection.pk)
        if row.status != ObjectionStatus.OPEN:
            raise ValidationError({"status": [_("This objection has already been resolved.")]})
        require_status(locked, "object")
        row.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
        row.resolution = resolution
        row.resolved_by = actor
        row.full_clean()
        row.save()
        if upheld:
            _release_budget(locked)
            locked.status = ApplicationStatus.REJECTED
            locked.save(update_fields=["status", "updated_at"])
            _tell_applicant(locked)
    return row


def notice_close(*, actor, application: Application, on=None) -> Application:
    """End the public notice once its days have passed with no objection open: schedule the
    payments (one-off, or one a month for N months) and, for a selection round, grant the
    title. Twice at once makes one schedule (the lock, then the unique instalment)."""
    require(actor, application, VIEW)
    if not may_keep_notice(actor, application):
        raise PermissionDenied(_("Only the district ends the public notice."))
    day = on or today()
    with transaction.atomic(), set_actor(actor):
        locked = Application.objects.select_for_update().get(pk=application.pk)
        require_status(locked, "close_notice")
        if day <= locked.notice_ends:
            raise ValidationError(
                {
                    "status": [
                        _("The public notice runs until %(date)s.") % {"date": locked.notice_ends}
                    ]
                }
            )
        if locked.objections.filter(status=ObjectionStatus.OPEN).exists():
            raise ValidationError(
                {"status": [_("Resolve the open objections before ending the notice.")]}
            )
        policy = locked.policy
        if policy.grants_title:
            TitleGrant.objects.create(
                profile=locked.profile,
                title=policy.grants_title,
                tier=policy.grants_tier,
                year=policy.year,
                years=policy.title_years,
                application=locked,
            )
        if locked.amount > 0:
            for instalment, due_on, amount in schedule_of(policy, locked.amount, day):
                Payment.objects.create(
                    application=locked,
                    policy=policy,
                    instalment=instalment,
                    due_on=due_on,
                    amount=amount,
                )
            locked.status = ApplicationStatus.SCHEDULED
        else:
            locked.status = ApplicationStatus.GRANTED
        locked.save(update_fields=["status", "updated_at"])
        _tell_applicant(locked)
    return locked


def schedule_of(policy: Policy, total, start):
    """(instalment, due date, amount): one payment, or equal monthly ones whose last takes the
    fen left over, so they add up to the total exactly."""
    if policy.payment_mode != PaymentMode.MONTHLY or policy.months <= 1:
        return [(1, start, total)]
    each = (total / policy.months).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    rows = [(i, add_months(start, i - 1), each) for i in range(1, policy.months)]
    rows.append(
        (policy.months, add_months(start, policy.months - 1), total - each * (policy.months - 1))
    )
    return rows


def application_withdraw(*, actor, application: Application) -> Application:
    require(actor, application, VIEW)
    if not may_file_application(actor, application):
        raise PermissionDenied(_("You may not withdraw this application."))
    with transaction.atomic(), set_actor(actor):
        locked = Application.objects.select_for_update().get(pk=application.pk)
        require_status(locked, "withdraw")
        locked.status, locked.step, locked.awaiting_role = ApplicationStatus.WITHDRAWN, 0, ""
        locked.save(update_fields=["status", "step", "awaiting_role", "updated_at"])
    return locked
