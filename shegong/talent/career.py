"""The career card (职业卡牌): where a worker stands on the path and what the next step needs."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.talent.choices import QualificationLevel, Title
from shegong.talent.cpd import best_national_level

PATH = (
    ("", gettext_lazy("Not yet qualified")),
    (QualificationLevel.ASSISTANT, QualificationLevel.ASSISTANT.label),
    (QualificationLevel.INTERMEDIATE, QualificationLevel.INTERMEDIATE.label),
    (QualificationLevel.SENIOR, QualificationLevel.SENIOR.label),
    ("top", Title.TOP.label),
    ("leading", Title.LEADING.label),
)


@dataclass(frozen=True)
class Stage:
    code: str
    label: str
    reached: bool
    current: bool


def _next_step(level: str, titles: set[str]) -> str:
    if not level:
        return _(
            "Pass the assistant exam (综合能力 and 实务, both in one year) to become an assistant "
            "social worker."
        )
    if level == QualificationLevel.ASSISTANT:
        return _(
            "Pass the intermediate exam (综合能力, 实务 and 法规与政策, all within two consecutive "
            "years) to become a social worker."
        )
    if level == QualificationLevel.INTERMEDIATE:
        return _("Pass the senior exam and the review to become a senior social worker.")
    if "top" not in titles and "leading" not in titles:
        return _("Be nominated by your agency in a top-talent (拔尖人才) selection round.")
    if "leading" not in titles:
        return _("Be nominated in a leading-talent (领军人才) selection round.")
    return _("You hold the highest title: keep it by meeting your continuing-education hours.")


def career_card(profile, today) -> dict:
    level = best_national_level(q.level for q in profile.qualifications.all())
    titles = {t.title for t in profile.titles.all() if t.year <= today.year <= t.until_year}
    reached_rank = [code for code, _label in PATH].index(level) if level else 0
    if "top" in titles:
        reached_rank = max(reached_rank, 4)
    if "leading" in titles:
        reached_rank = 5
    stages = [
        Stage(code, str(label), index <= reached_rank, index == reached_rank)
        for index, (code, label) in enumerate(PATH)
    ]
    return {
        "stages": stages,
        "next_step": _next_step(level, titles),
        "taiwan": any(q.level == QualificationLevel.TAIWAN for q in profile.qualifications.all()),
    }
