"""Exam objects and sentinels for the authorization matrix (tests/test_authorization_matrix).

Objects: a question of the district's bank, a practice attempt of the ``social_worker`` login,
a national result of a person without a login. Sentinels: results of two other people, one of
them the person of the ``social_worker_b`` login (who reads their own result and nobody else's).
"""

from shegong.core.testing.matrix import Sentinel
from shegong.exams.services import attempt_start
from shegong.exams.tests.factories import make_person, make_question, make_result


def exam_objects(world) -> dict:
    question = make_question(world.users["training_admin"], stem="矩阵考试题目")
    attempt = attempt_start(
        actor=world.users["social_worker"],
        mode="practice",
        subject="comprehensive",
        level="junior",
        count=1,
    )
    result = make_result(world, make_person(world, 70, "矩阵考生"))
    return {
        "exam_question_a": question.pk,
        "exam_attempt_a": attempt.pk,
        "exam_result_a": result.pk,
    }


def exam_sentinels(world) -> list[Sentinel]:
    from shegong.accounts.models import User

    admins = frozenset({"training_admin"})
    plain = make_result(world, make_person(world, 71, "哨兵考生甲"))
    own_person = make_person(world, 72, "哨兵考生乙")
    # No service links a login to its person yet: the link is set as an administrator would.
    User.objects.filter(pk=world.users["social_worker_b"].pk).update(person=own_person)
    world.users["social_worker_b"].refresh_from_db()
    own = make_result(world, own_person, year=2024)
    sentinels = []
    for key, result, viewers in (
        ("exam_result_other", plain, admins),
        ("exam_result_worker_b", own, admins | {"social_worker_b"}),
    ):
        sentinels.append(
            Sentinel(
                key=key,
                kind="exam_result",
                pk=result.pk,
                path="",
                texts=(result.person.name, result.person.id_number_masked),
                visible_to=viewers,
                searches={result.person.name: viewers},
            )
        )
    return sentinels
