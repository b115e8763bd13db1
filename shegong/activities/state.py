"""The one state machine of group work (MZ/T 095-2017): 筹备 → 形成 → 转折 → 成熟 → 结束.

A group moves one stage forward at a time; it may end early from any stage (a group that cannot
go on is closed, not left open), and an ended group stays ended. Community activities have no
stages. Each refusal names its reason.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.activities.choices import ActivityKind, GroupStage

ORDER = [
    GroupStage.PREPARING,
    GroupStage.FORMING,
    GroupStage.TRANSITION,
    GroupStage.MATURE,
    GroupStage.ENDED,
]


def next_stage(stage: str) -> str | None:
    index = ORDER.index(stage)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def allowed_moves(activity) -> list[str]:
    if activity.kind != ActivityKind.GROUP or activity.stage == GroupStage.ENDED:
        return []
    moves = [next_stage(activity.stage)]
    if GroupStage.ENDED not in moves:
        moves.append(GroupStage.ENDED)
    return moves


def check_move(activity, to: str) -> None:
    """Raise a ValidationError on ``stage`` unless ``activity`` may move to ``to``."""
    if activity.kind != ActivityKind.GROUP:
        raise ValidationError({"stage": [_("Only group work moves through stages.")]})
    if to not in GroupStage.values:
        raise ValidationError({"stage": [_("Choose one of the group work stages.")]})
    if activity.stage == GroupStage.ENDED:
        raise ValidationError({"stage": [_("This group has ended: its stage cannot change.")]})
    if to == activity.stage:
        raise ValidationError({"stage": [_("The group is already at this stage.")]})
    if to not in allowed_moves(activity):
        raise ValidationError(
            {
                "stage": [
                    _("A group moves one stage at a time: from %(now)s next comes %(next)s.")
                    % {
                        "now": GroupStage(activity.stage).label,
                        "next": GroupStage(next_stage(activity.stage)).label,
                    }
                ]
            }
        )
