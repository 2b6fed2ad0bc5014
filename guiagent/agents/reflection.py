"""The reflection agent: compares the screen before and after an action -> succeeded, wrong
page or no effect, with a suggested recovery. In ``auto`` mode cheap local checks answer the
clear cases without a model call (nothing changed -> no effect; the expected text appeared ->
succeeded); the model sees both screenshots only when the outcome is unclear."""

from __future__ import annotations

from typing import Literal

from guiagent.agents.command_mode.verify import screen_changed
from guiagent.agents.llm_types import Reflection
from guiagent.agents.prompts import render
from guiagent.models.base import ChatModel, Message, image_part
from guiagent.observation import Observation, Screen
from guiagent.perception.ground import Grounder

_NO_VISIBLE_EFFECT = frozenset({"wait", "key", "hotkey", "scroll"})  # may change nothing


def _texts(screen: Screen | None) -> set[str]:
    return {t.strip() for t in (screen.texts() if screen else []) if t.strip()}


def _listed(texts: set[str], limit: int = 15) -> str:
    return ", ".join(repr(t[:40]) for t in sorted(texts)[:limit]) or "(nothing)"


class Reflector:
    def __init__(
        self,
        model: ChatModel,
        *,
        mode: Literal["auto", "always"] = "auto",
        grounder: Grounder | None = None,
        max_side: int = 768,
    ) -> None:
        self.model = model
        self.mode = mode
        self.grounder = grounder or Grounder()
        self.max_side = max_side
        self.calls = 0

    def reflect(
        self,
        *,
        subgoal: str,
        action: str,
        action_types: set[str],
        expect: str,
        before: Observation,
        after: Observation,
        before_screen: Screen | None,
        after_screen: Screen,
    ) -> Reflection:
        if self.mode == "auto":
            if not screen_changed(before, after) and not action_types <= _NO_VISIBLE_EFFECT:
                return Reflection(
                    outcome="no_effect", reason="the screen did not change", recovery="retry"
                )
            if expect and self._shows(after_screen, expect):
                return Reflection(outcome="succeeded", reason=f"{expect!r} is now visible")
        old, new = _texts(before_screen), _texts(after_screen)
        prompt = render(
            "reflection_step",
            subgoal=subgoal or "(none)",
            action=action,
            expect=expect or "(not stated)",
            appeared=_listed(new - old),
            gone=_listed(old - new),
        )
        self.calls += 1
        return self.model.complete(
            [
                Message.system(render("reflection")),
                Message.user(
                    prompt,
                    image_part(before.image, self.max_side),
                    image_part(after.image, self.max_side),
                ),
            ],
            Reflection,
        )

    def _shows(self, screen: Screen, text: str) -> bool:
        if self.grounder.find_text(screen, text):
            return True
        low = text.lower()
        return any(low in (el.value or "").lower() for el in screen.elements)
