"""Writes of exam preparation: the question bank, attempts and national exam results.

Every write is ``<entity>_<verb>(*, actor, ...)``; pages, the API, the import and demo data call
these, so they cannot differ. ``clean_question_fields`` and ``clean_result_fields`` are pure and
shared by the single-row services, the bulk services and the importer's row check.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.audit import set_actor
from shegong.core.scope import CHANGE, OutOfScope, require, user_assignments
from shegong.exams.choices import (
    LEVEL_SUBJECTS,
    MOCK_PASS_PERCENT,
    OPTION_LETTERS,
    POINTS,
    AttemptMode,
    ExamLevel,
    QuestionKind,
    Subject,
)
from shegong.exams.models import (
    EXAM_ADMINS,
    FIRST_EXAM_YEAR,
    Attempt,
    AttemptItem,
    ExamResult,
    Question,
)

QUESTION_FIELDS = (
    "subject",
    "level",
    "kind",
    "stem",
    "option_a",
    "option_b",
    "option_c",
    "option_d",
    "option_e",
    "answer",
    "explanation",
)
OPTION_FIELDS = ("option_a", "option_b", "option_c", "option_d", "option_e")
RESULT_FIELDS = ("year", "level", "subject", "score", "passed")
# Bounds of what a learner may ask for: a quiz of a few questions up to a full paper, and a mock
# exam of at most the national exam's three hours.
MIN_QUESTIONS, MAX_QUESTIONS = 1, 100
MIN_MINUTES, MAX_MINUTES = 1, 180


# --- who --------------------------------------------------------------------------------------
def may_manage_exams(user) -> bool:
    """The academy's administrator keeps the bank and the results (a page's predicate: roles
    only, no query beyond the user's assignments)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or any(a.role in EXAM_ADMINS for a in user_assignments(user))


def may_practise(user) -> bool:
    """Any signed-in, active account may practise."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def actor_district(actor):
    """The district whose bank and results the actor keeps: the node of their training
    administrator role (the superuser: the first district)."""
    from shegong.places.models import District

    for assignment in user_assignments(actor):
        if assignment.role in EXAM_ADMINS and assignment.district_id:
            return District.objects.get(pk=assignment.district_id)
    if actor.is_superuser:
        district = District.objects.order_by("code").first()
        if district is not None:
            return district
    raise PermissionDenied(_("You may not keep the question bank or exam results."))


def _require_admin(actor) -> None:
    if not may_manage_exams(actor):
        raise PermissionDenied(_("You may not keep the question bank or exam results."))


# --- pure checks ------------------------------------------------------------------------------
def _choice(value, choices, errors, field, message) -> str:
    value = (str(value) if value is not None else "").strip()
    if value in choices.values:
        return value
    # A label typed instead of the code (a spreadsheet says 社会工作实务 or 初级).
    for code, label in choices.choices:
        if value and value == str(label):
            return code
    errors[field] = [message]
    return ""


def clean_level_subject(data: dict, errors: dict) -> tuple[str, str]:
    level = _choice(data.get("level"), ExamLevel, errors, "level", _("Choose a level."))
    subject = _choice(data.get("subject"), Subject, errors, "subject", _("Choose a subject."))
    if level and subject and subject not in LEVEL_SUBJECTS[level]:
        errors["subject"] = [
            _("%(subject)s is not a paper of the %(level)s exam.")
            % {"subject": Subject(subject).label, "level": ExamLevel(level).label}
        ]
    return level, subject


def normalise_answer(value) -> str:
    """'a, c' / 'AC' / 'A、C' -> 'AC' (letters kept in order of appearance, checked later)."""
    text = str(value or "").upper()
    return "".join(char for char in text if char not in " ,，、;；/\t")


def _text(data, field, errors, *, required, max_length, multiline=False, message=""):
    from shegong.core.validators import multi_line_text, single_line_text

    value = str(data.get(field) or "").strip()
    if not value:
        if required:
            errors[field] = [message or _("This field is required.")]
        return ""
    if len(value) > max_length:
        errors[field] = [
            _("At most %(n)s characters (this has %(m)s).") % {"n": max_length, "m": len(value)}
        ]
        return value
    try:
        (multi_line_text if multiline else single_line_text)(value)
    except ValidationError as exc:
        errors[field] = exc.messages
    return value


def clean_question_fields(data: dict) -> dict:
    """Validate and normalise one question; one ValidationError naming every bad field.

    Options are filled in order (A and B at least); the answer names options the question has:
    one letter for a single-choice question, two or more for a multiple-choice one."""
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    cleaned["level"], cleaned["subject"] = clean_level_subject(data, errors)
    cleaned["kind"] = _choice(
        data.get("kind"), QuestionKind, errors, "kind", _("Choose single or multiple choice.")
    )
    cleaned["stem"] = _text(
        data,
        "stem",
        errors,
        required=True,
        max_length=2000,
        multiline=True,
        message=_("Enter the question."),
    )
    for field in OPTION_FIELDS:
        cleaned[field] = _text(
            data,
            field,
            errors,
            required=field in ("option_a", "option_b"),
            max_length=300,
            message=_("Enter at least options A and B."),
        )
    present = [cleaned[field] != "" for field in OPTION_FIELDS]
    for position in range(1, len(OPTION_FIELDS)):
        if (
            present[position]
            and not present[position - 1]
            and OPTION_FIELDS[position - 1] not in errors
        ):
            errors[OPTION_FIELDS[position]] = [
                _("Fill the options in order: option %(letter)s is empty.")
                % {"letter": OPTION_LETTERS[position - 1]}
            ]
            break
    texts = [cleaned[field] for field in OPTION_FIELDS if cleaned[field]]
    if len(set(texts)) != len(texts):
        errors.setdefault("option_b", [_("Two options have the same text.")])
    letters = [letter for letter, filled in zip(OPTION_LETTERS, present, strict=True) if filled]
    answer = normalise_answer(data.get("answer"))
    if not answer:
        errors["answer"] = [_("Enter the correct option letter(s), e.g. B or ACD.")]
    elif any(char not in letters for char in answer):
        errors["answer"] = [
            _("The answer may name only the question's options (%(letters)s).")
            % {"letters": "".join(letters)}
        ]
    elif len(set(answer)) != len(answer):
        errors["answer"] = [_("The answer names an option twice.")]
    elif cleaned["kind"] == QuestionKind.SINGLE and len(answer) != 1:
        errors["answer"] = [_("A single-choice question has exactly one correct option.")]
    elif cleaned["kind"] == QuestionKind.MULTIPLE and len(answer) < 2:
        errors["answer"] = [_("A multiple-choice question has at least two correct options.")]
    elif cleaned["kind"] == QuestionKind.MULTIPLE and len(answer) == len(letters):
        errors["answer"] = [_("Not every option can be correct: add a wrong one.")]
    cleaned["answer"] = "".join(sorted(answer))
    cleaned["explanation"] = _text(
        data,
        "explanation",
        errors,
        required=True,
        max_length=5000,
        multiline=True,
        message=_("Explain the answer: learners read it after answering."),
    )
    if errors:
        raise ValidationError(errors)
    return cleaned


def _stem_key(cleaned: dict) -> tuple[str, str, str]:
    return cleaned["subject"], cleaned["level"], "".join(cleaned["stem"].split())


def _duplicates_in_bank(district, keys: Iterable[tuple[str, str, str]], *, exclude_pk=None):
    """key -> the question already in the bank with the same paper and question text."""
    keys = set(keys)
    if not keys:
        return {}
    rows = Question.objects.filter(
        district=district,
        subject__in={k[0] for k in keys},
        level__in={k[1] for k in keys},
    ).only("pk", "subject", "level", "stem")
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)
    found = {}
    for question in rows.iterator(chunk_size=1000):
        key = (question.subject, question.level, "".join(question.stem.split()))
        if key in keys:
            found.setdefault(key, question)
    return found


def _duplicate_message(question) -> str:
    return _("This question is in the bank already (%(number)s).") % {"number": question.number}


# --- questions --------------------------------------------------------------------------------
def question_create(*, actor, **data) -> Question:
    _require_admin(actor)
    district = actor_district(actor)
    cleaned = clean_question_fields(data)
    found = _duplicates_in_bank(district, [_stem_key(cleaned)])
    if found:
        raise ValidationError({"stem": [_duplicate_message(next(iter(found.values())))]})
    with transaction.atomic(), set_actor(actor):
        question = Question(district=district, created_by=actor, **cleaned)
        question.full_clean()
        question.save()
    return question


def question_update(*, actor, question: Question, **data) -> Question:
    require(actor, question, CHANGE)
    merged = {field: getattr(question, field) for field in QUESTION_FIELDS}
    merged.update({k: v for k, v in data.items() if k in QUESTION_FIELDS})
    cleaned = clean_question_fields(merged)
    found = _duplicates_in_bank(question.district, [_stem_key(cleaned)], exclude_pk=question.pk)
    if found:
        raise ValidationError({"stem": [_duplicate_message(next(iter(found.values())))]})
    with transaction.atomic(), set_actor(actor):
        for name, value in cleaned.items():
            setattr(question, name, value)
        if data.get("is_active") is not None:
            question.is_active = bool(data["is_active"])
        question.full_clean()
        question.save()
    return question


def question_retire(*, actor, question: Question) -> Question:
    """Take a question out of new quizzes; attempts that used it keep it."""
    require(actor, question, CHANGE)
    if not question.is_active:
        raise ValidationError({"is_active": [_("This question is retired already.")]})
    with transaction.atomic(), set_actor(actor):
        question.is_active = False
        question.save(update_fields=["is_active", "updated_at"])
    return question


def questions_bulk_create(*, actor, rows: Iterable[dict], batch_size: int = 500) -> list[Question]:
    """Create many questions by the rules of ``question_create``: every row cleaned by
    ``clean_question_fields``, a question already in the bank or earlier in the rows is an
    error of its row. Any error raises one ValidationError keyed ``<index>.<field>`` and writes
    nothing. The change history gets no entry per question: the caller records the batch (an
    import job's entry)."""
    _require_admin(actor)
    district = actor_district(actor)
    errors: dict[str, list[str]] = {}
    cleaned_rows: list[tuple[int, dict]] = []
    seen: set[tuple[str, str, str]] = set()
    for position, row in enumerate(rows):
        try:
            cleaned = clean_question_fields(row)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"{position}.{field}"] = messages
            continue
        key = _stem_key(cleaned)
        if key in seen:
            errors[f"{position}.stem"] = [_("The same question is earlier in the list.")]
            continue
        seen.add(key)
        cleaned_rows.append((position, cleaned))
    on_record = _duplicates_in_bank(district, seen)
    for position, cleaned in cleaned_rows:
        existing = on_record.get(_stem_key(cleaned))
        if existing is not None:
            errors[f"{position}.stem"] = [_duplicate_message(existing)]
    if errors:
        raise ValidationError(errors)
    questions = [
        Question(district=district, created_by=actor, **cleaned) for _p, cleaned in cleaned_rows
    ]
    return Question.objects.bulk_create(questions, batch_size=batch_size)


def scoring_rule() -> str:
    """The rule, as the pages and the API state it."""
    return _(
        "Scoring: a single-choice question is worth %(single)s point, a multiple-choice "
        "question %(multiple)s points, all or nothing: only an answer with exactly the right "
        "options scores; one option missing or one too many scores 0. A mock exam is passed "
        "at %(pass)s%%."
    ) % {
        "single": POINTS[QuestionKind.SINGLE],
        "multiple": POINTS[QuestionKind.MULTIPLE],
        "pass": MOCK_PASS_PERCENT,
    }


# --- attempts ---------------------------------------------------------------------------------
def score_answer(kind: str, answer: str, chosen: str) -> int:
    """Points for one answer: all or nothing. A multiple-choice answer scores only when it names
    exactly the right options; one missing or one extra scores 0."""
    if not chosen:
        return 0
    return POINTS[QuestionKind(kind)] if "".join(sorted(chosen)) == answer else 0


def _bounded_int(value, field, low, high, errors, default) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = [_("Enter a whole number.")]
        return default
    if not low <= number <= high:
        errors[field] = [_("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}]
    return number


def attempt_start(
    *, actor, mode: str, subject: str, level: str, count=None, minutes=None, now=None
) -> Attempt:
    """Draw ``count`` questions in use of the paper at random and start a quiz or a timed mock
    exam (its deadline is ``minutes`` from now)."""
    if not may_practise(actor):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    mode = _choice(mode, AttemptMode, errors, "mode", _("Choose a practice quiz or a mock exam."))
    level, subject = clean_level_subject({"level": level, "subject": subject}, errors)
    count = _bounded_int(count, "count", MIN_QUESTIONS, MAX_QUESTIONS, errors, 10)
    minutes = _bounded_int(minutes, "minutes", MIN_MINUTES, MAX_MINUTES, errors, 30)
    if errors:
        raise ValidationError(errors)
    pool = list(
        Question.objects.filter(subject=subject, level=level, is_active=True).values_list(
            "pk", "kind"
        )
    )
    if not pool:
        raise ValidationError(
            {"subject": [_("The bank has no questions of this subject and level yet.")]}
        )
    drawn = random.sample(pool, min(count, len(pool)))  # noqa: S311 - not for security
    now = now or timezone.now()
    with transaction.atomic(), set_actor(actor):
        attempt = Attempt.objects.create(
            user=actor,
            mode=mode,
            subject=subject,
            level=level,
            started_at=now,
            deadline=now + datetime.timedelta(minutes=minutes)
            if mode == AttemptMode.MOCK
            else None,
            max_score=sum(POINTS[QuestionKind(kind)] for _pk, kind in drawn),
        )
        AttemptItem.objects.bulk_create(
            AttemptItem(attempt=attempt, question_id=pk, position=position)
            for position, (pk, _kind) in enumerate(drawn, start=1)
        )
    return attempt


def _own(actor, attempt: Attempt) -> Attempt:
    if attempt.user_id != getattr(actor, "pk", None):
        raise OutOfScope
    return attempt


def is_late(attempt: Attempt, now) -> bool:
    return attempt.deadline is not None and now > attempt.deadline


def _clean_answers(items: dict[int, AttemptItem], answers: dict) -> dict[int, str]:
    """position -> normalised letters; ValidationError keyed ``answers`` naming the question."""
    cleaned: dict[int, str] = {}
    problems = []
    unknown: list[str] = []
    for key, value in answers.items():
        try:
            position = int(key)
        except (TypeError, ValueError):
            unknown.append(str(key))
            continue
        item = items.get(position)
        if item is None:
            unknown.append(str(key))
            continue
        if isinstance(value, list | tuple):
            value = "".join(str(v) for v in value)
        letters = normalise_answer(value)
        options = {letter for letter, _text in item.question.options}
        if any(char not in options for char in letters) or len(set(letters)) != len(letters):
            problems.append(_("Question %(n)s: choose among its options.") % {"n": position})
        elif item.question.kind == QuestionKind.SINGLE and len(letters) > 1:
            problems.append(
                _("Question %(n)s has one correct option: choose one.") % {"n": position}
            )
        else:
            cleaned[position] = "".join(sorted(letters))
    if unknown:
        problems.insert(0, _("Unknown question %(n)s.") % {"n": _shown_keys(unknown)})
    if problems:
        raise ValidationError({"answers": problems})
    return cleaned


UNKNOWN_KEYS_SHOWN = 5
UNKNOWN_KEY_CHARS = 12


def _shown_keys(keys: list[str]) -> str:
    """The first few unknown question numbers, each cut short: one message of bounded size
    however many (or however long) the keys a request sends."""
    shown = [
        key if len(key) <= UNKNOWN_KEY_CHARS else key[:UNKNOWN_KEY_CHARS] + "…"
        for key in keys[:UNKNOWN_KEYS_SHOWN]
    ]
    return "、".join(shown) + ("…" if len(keys) > UNKNOWN_KEYS_SHOWN else "")


def _items_of(attempt: Attempt) -> dict[int, AttemptItem]:
    return {
        item.position: item
        for item in attempt.items.select_related("question").order_by("position")
    }


def attempt_answer(*, actor, attempt: Attempt, answers: dict, now=None) -> int:
    """Record answers (question position -> letters) of an attempt under way; how many were
    recorded. After a mock exam's deadline nothing is recorded: the server's clock decides."""
    _own(actor, attempt)
    now = now or timezone.now()
    _refuse_finished(attempt)
    if is_late(attempt, now):
        raise ValidationError(
            {"answers": [_("Time is up: answers given after the deadline are not counted.")]}
        )
    items = _items_of(attempt)
    cleaned = _clean_answers(items, answers)
    changed = []
    for position, letters in cleaned.items():
        item = items[position]
        item.chosen, item.answered_at = letters, now
        changed.append(item)
    with transaction.atomic(), set_actor(actor):
        # Handed in by another request since it was read: nothing more is recorded.
        _refuse_finished(_lock_attempt(attempt))
        AttemptItem.objects.bulk_update(changed, ["chosen", "answered_at", "updated_at"])
    return len(changed)


def _lock_attempt(attempt: Attempt) -> Attempt:
    """The attempt's row, locked (PostgreSQL) and read again: answers, the hand-in and the
    closing at the deadline of one attempt happen one after the other. On SQLite the
    transaction began IMMEDIATE holds the one write lock."""
    locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
    attempt.finished_at = locked.finished_at
    return attempt


def _refuse_finished(attempt: Attempt) -> None:
    if attempt.is_finished:
        raise ValidationError({"answers": [_("This attempt is finished.")]})


def _finish(attempt: Attempt, items: dict[int, AttemptItem], now) -> Attempt:
    score = correct = 0
    for item in items.values():
        item.points = score_answer(item.question.kind, item.question.answer, item.chosen)
        item.is_correct = item.points > 0
        score += item.points
        correct += item.is_correct
    AttemptItem.objects.bulk_update(items.values(), ["points", "is_correct", "updated_at"])
    attempt.finished_at = now
    attempt.score = score
    attempt.correct_count = correct
    attempt.save(update_fields=["finished_at", "score", "correct_count", "updated_at"])
    return attempt


def attempt_submit(*, actor, attempt: Attempt, answers: dict | None = None, now=None) -> Attempt:
    """Hand in an attempt: record the answers sent with it (not after a mock exam's deadline:
    then only what was recorded in time counts), then score every question.

    ``attempt.late_answers_ignored`` tells the caller that answers came too late."""
    _own(actor, attempt)
    now = now or timezone.now()
    _refuse_finished(attempt)
    late = is_late(attempt, now)
    cleaned = {} if late else _clean_answers(_items_of(attempt), answers or {})
    with transaction.atomic(), set_actor(actor):
        # Handed in (or closed at its deadline) by another request since it was read: it is
        # scored once, with the answers recorded before.
        _refuse_finished(_lock_attempt(attempt))
        items = _items_of(attempt)
        for position, letters in cleaned.items():
            item = items[position]
            item.chosen, item.answered_at = letters, now
        if cleaned:
            AttemptItem.objects.bulk_update(
                [items[p] for p in cleaned], ["chosen", "answered_at", "updated_at"]
            )
        # A late mock exam ends at its deadline, whenever it is handed in.
        _finish(attempt, items, attempt.deadline if late else now)
    attempt.late_answers_ignored = late and any(answers.values() if answers else ())
    return attempt


def attempt_close_if_expired(*, actor, attempt: Attempt, now=None) -> Attempt:
    """A mock exam whose time ran out is scored as it stood at the deadline (a learner who
    left the page finds it scored)."""
    _own(actor, attempt)
    now = now or timezone.now()
    if attempt.is_finished or not is_late(attempt, now):
        return attempt
    with transaction.atomic(), set_actor(actor):
        if _lock_attempt(attempt).is_finished:
            attempt.refresh_from_db()
            return attempt
        return _finish(attempt, _items_of(attempt), attempt.deadline)


# --- national exam results --------------------------------------------------------------------
def clean_result_fields(data: dict, *, today: datetime.date | None = None) -> dict:
    """Year, level, subject, score (0–100, one decimal, optional) and pass/fail."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    cleaned["level"], cleaned["subject"] = clean_level_subject(data, errors)
    year = data.get("year")
    try:
        cleaned["year"] = int(str(year).strip().removesuffix("年"))
    except (TypeError, ValueError):
        errors["year"] = [_("Enter the exam year, e.g. 2025.")]
    else:
        if not FIRST_EXAM_YEAR <= cleaned["year"] <= today.year:
            errors["year"] = [
                _("The exam year is from %(first)s to %(last)s.")
                % {"first": FIRST_EXAM_YEAR, "last": today.year}
            ]
    score = data.get("score")
    cleaned["score"] = None
    if score not in (None, ""):
        try:
            value = Decimal(str(score).strip())
        except InvalidOperation:
            errors["score"] = [_("Enter the score as a number from 0 to 100.")]
        else:
            if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
                errors["score"] = [_("Enter the score as a number from 0 to 100.")]
            else:
                cleaned["score"] = value.quantize(Decimal("0.1"))
    passed = data.get("passed")
    if isinstance(passed, str):
        passed = {
            "true": True,
            "1": True,
            "是": True,
            "通过": True,
            "合格": True,
            "yes": True,
            "false": False,
            "0": False,
            "否": False,
            "未通过": False,
            "不合格": False,
            "no": False,
        }.get(passed.strip().lower())
    if passed is None:
        errors["passed"] = [_("Say whether the paper was passed.")]
    cleaned["passed"] = bool(passed)
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_result_person(name, id_number) -> dict:
    """Name and ID number as typed: both required, the number checked (GB 11643)."""
    from shegong.people.choices import IdType
    from shegong.people.validators import validate_id_number

    errors: dict[str, list[str]] = {}
    name = str(name or "").strip()
    if not name:
        errors["name"] = [_("Enter the name.")]
    number = ""
    if not str(id_number or "").strip():
        errors["id_number"] = [_("Enter the ID number.")]
    else:
        try:
            number = validate_id_number(IdType.RESIDENT_ID, str(id_number)).number
        except ValidationError as exc:
            errors["id_number"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return {"name": name, "id_number": number}


def find_person(name: str, id_number: str):
    """The person on file with this ID number and name, found by the blind index (never
    decrypting); ValidationError when none matches, naming no one."""
    from shegong.people.models import Person
    from shegong.people.services import id_number_index

    person = Person.objects.filter(id_number_index=id_number_index(id_number)).first()
    if person is None or person.name != name:
        raise ValidationError(
            {"id_number": [_("No person on file matches this name and ID number.")]}
        )
    return person


def _clash(person_id, cleaned, *, exclude_pk=None):
    rows = ExamResult.objects.filter(
        person_id=person_id,
        year=cleaned["year"],
        level=cleaned["level"],
        subject=cleaned["subject"],
    )
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)
    return rows.exists()


def _clash_message():
    return _("This person's result in this paper of this year is on record already.")


def result_create(*, actor, name, id_number, request=None, **data) -> ExamResult:
    """Record a national exam result for the person with this name and ID number."""
    from shegong.core.access import log_access
    from shegong.core.models import AccessLog

    _require_admin(actor)
    district = actor_district(actor)
    errors: dict[str, list[str]] = {}
    who = cleaned = None
    try:
        who = clean_result_person(name, id_number)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        cleaned = clean_result_fields(data)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    person = find_person(who["name"], who["id_number"])
    if _clash(person.pk, cleaned):
        raise ValidationError({"subject": [_clash_message()]})
    with transaction.atomic(), set_actor(actor):
        result = ExamResult(district=district, person=person, recorded_by=actor, **cleaned)
        result.full_clean()
        result.save()
        # Finding someone by ID number is a look into the register: on record, like a
        # duplicate found at registration.
        log_access(
            user=actor,
            action=AccessLog.Action.OPEN,
            obj=person,
            request=request,
            detail="exam result",
        )
    return result


def result_update(*, actor, result: ExamResult, **data) -> ExamResult:
    require(actor, result, CHANGE)
    merged = {field: getattr(result, field) for field in RESULT_FIELDS}
    merged.update({k: v for k, v in data.items() if k in RESULT_FIELDS})
    cleaned = clean_result_fields(merged)
    if _clash(result.person_id, cleaned, exclude_pk=result.pk):
        raise ValidationError({"subject": [_clash_message()]})
    with transaction.atomic(), set_actor(actor):
        for name, value in cleaned.items():
            setattr(result, name, value)
        result.full_clean()
        result.save()
    return result


def people_by_id_number(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], object]:
    """(name, normalised ID number) -> the person on file with both, one query by blind index
    (never decrypting); pairs with no such person are absent."""
    from shegong.people.models import Person
    from shegong.people.services import id_number_index

    by_index: dict[str, list[tuple[str, str]]] = {}
    for name, number in set(pairs):
        by_index.setdefault(id_number_index(number), []).append((name, number))
    found = {}
    for person in Person.objects.filter(id_number_index__in=list(by_index)).only(
        "pk", "name", "id_number_index"
    ):
        for name, number in by_index[person.id_number_index]:
            if person.name == name:
                found[(name, number)] = person
    return found


def results_bulk_create(*, actor, rows: Iterable[dict], batch_size: int = 500) -> list:
    """Record many results by the rules of ``result_create``. Each row names its person by
    ``person_id`` (an importer that found them already) or by ``name`` and ``id_number``, and
    carries ``clean_result_fields``'s fields. A person not on file, or a paper of a year on
    record or earlier in the rows, is an error of its row. Any error raises one ValidationError
    keyed ``<index>.<field>`` and writes nothing. Each person found by ID number is written to
    the access log, as the single form does."""
    from shegong.core.models import AccessLog

    _require_admin(actor)
    district = actor_district(actor)
    errors: dict[str, list[str]] = {}
    cleaned_rows: list[tuple[int, dict, object]] = []
    for position, row in enumerate(rows):
        try:
            cleaned = clean_result_fields(row)
            who = (
                None
                if row.get("person_id")
                else clean_result_person(row.get("name"), row.get("id_number"))
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"{position}.{field}"] = messages
            continue
        cleaned_rows.append((position, cleaned, row.get("person_id") or who))
    found = people_by_id_number(
        (who["name"], who["id_number"]) for _p, _c, who in cleaned_rows if isinstance(who, dict)
    )
    seen: set[tuple] = set()
    results = []
    looked_up = []
    for position, cleaned, who in cleaned_rows:
        if isinstance(who, dict):
            person = found.get((who["name"], who["id_number"]))
            if person is None:
                errors[f"{position}.id_number"] = [
                    _("No person on file matches this name and ID number.")
                ]
                continue
            looked_up.append(person)
            person_id = person.pk
        else:
            person_id = int(who)
        key = (person_id, cleaned["year"], cleaned["level"], cleaned["subject"])
        if key in seen:
            errors[f"{position}.subject"] = [
                _("The same paper of this person is earlier in the list.")
            ]
            continue
        seen.add(key)
        results.append(
            (
                position,
                ExamResult(district=district, person_id=person_id, recorded_by=actor, **cleaned),
            )
        )
    on_record = set(
        ExamResult.objects.filter(person_id__in={r.person_id for _p, r in results}).values_list(
            "person_id", "year", "level", "subject"
        )
    )
    for position, result in results:
        if (result.person_id, result.year, result.level, result.subject) in on_record:
            errors[f"{position}.subject"] = [_clash_message()]
    if errors:
        raise ValidationError(errors)
    AccessLog.objects.bulk_create(
        AccessLog(
            user=actor,
            action=AccessLog.Action.OPEN,
            object_type=person._meta.label,
            object_id=str(person.pk),
            object_label=str(person)[:200],
            detail="exam result",
        )
        for person in looked_up
    )
    return ExamResult.objects.bulk_create([r for _p, r in results], batch_size=batch_size)
