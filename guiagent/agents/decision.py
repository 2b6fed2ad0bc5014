"""The decision agent: the next action(s) from the set-of-marks screenshot, the element list,
the plan, memory and the last outcome. Its answer is checked before anything runs: allowed
action types, element ids that are on this screen, points inside the screenshot. A rejected
answer is fed back once with the reason; a second bad answer is a ``ModelOutputError``.
Points come back in the downscaled image's pixels and are mapped to screenshot pixels here."""

from __future__ import annotations

from collections.abc import Collection

from guiagent.actions import TERMINAL_TYPES, Action, Target
from guiagent.agents.llm_screen import ScreenView
from guiagent.agents.llm_types import Decision
from guiagent.agents.prompts import action_docs, render
from guiagent.errors import ModelOutputError
from guiagent.models.base import ChatModel, Message

_ENDS = TERMINAL_TYPES | {"ask_user"}


class Rejected(ValueError):
    """An answer that parsed but cannot run on this screen; the message is for the model."""


def check_actions(
    actions: list[Action], view: ScreenView, allowed: Collection[str] | None, limit: int
) -> list[Action]:
    """Validated actions with points mapped to screenshot pixels; raises ``Rejected``."""
    out: list[Action] = []
    for action in actions[:limit]:
        if allowed is not None and action.type not in allowed:
            raise Rejected(f"'{action.type}' is not available here; use one of the listed actions")
        updates: dict[str, Target] = {}
        for name in ("target", "start", "end"):
            target = getattr(action, name, None)
            if not isinstance(target, Target):
                continue
            if target.element is not None:
                if target.element not in view.ids:
                    raise Rejected(
                        f"element #{target.element} is not on this screen; use a number from"
                        " the element list"
                    )
            else:
                assert target.point is not None
                w, h = view.size
                x, y = target.point.x, target.point.y
                if not (0 <= x < w and 0 <= y < h):
                    raise Rejected(f"point ({x},{y}) is outside the {w}x{h} screenshot")
                p = view.to_screen(x, y)
                updates[name] = Target.at(p.x, p.y)
        out.append(action.model_copy(update=updates) if updates else action)
        if action.type in _ENDS:
            break  # nothing runs after done / fail / a question
    return out


class DecisionMaker:
    def __init__(
        self,
        model: ChatModel,
        *,
        allowed: Collection[str] | None = None,
        max_actions: int = 4,
    ) -> None:
        self.model = model
        self.allowed = frozenset(allowed) if allowed is not None else None
        self.max_actions = max_actions
        self.calls = 0
        self._system = render(
            "decision", actions=action_docs(self.allowed), max_actions=str(max_actions)
        )

    def messages(self, step_text: str, view: ScreenView) -> list[Message]:
        return [Message.system(self._system), Message.user(step_text, view.image)]

    def decide(self, step_text: str, view: ScreenView) -> tuple[Decision, list[Action]]:
        convo = self.messages(step_text, view)
        for attempt in range(2):
            self.calls += 1
            decision = self.model.complete(convo, Decision)
            try:
                return decision, check_actions(
                    decision.actions, view, self.allowed, self.max_actions
                )
            except Rejected as exc:
                if attempt == 1:
                    raise ModelOutputError(
                        f"the decision model's answer was rejected twice: {exc}",
                        raw=decision.model_dump_json(),
                    ) from exc
                convo += [
                    Message.assistant(decision.model_dump_json()),
                    Message.user(f"That answer cannot run: {exc}. Answer again with JSON."),
                ]
        raise AssertionError("unreachable")
