"""The embedded command mode: runs typed steps (from a sentence or a scripted task) with no LLM.

Each step is a small generator that yields actions and reads the screen the runner observed
after each one, so "do, check the effect, retry once differently, else fail with what was seen"
reads as straight-line code. The runner owns observing, gating and executing.
"""

from __future__ import annotations

import re
import time
from collections.abc import Generator, Sequence

from guiagent.actions import (
    Action,
    Click,
    Done,
    DoubleClick,
    Drag,
    Hotkey,
    Hover,
    Key,
    OpenApp,
    OpenUrl,
    RightClick,
    Scroll,
    Target,
    TypeText,
    Wait,
)
from guiagent.agents.base import AgentContext
from guiagent.agents.command_mode.parser import parse_command
from guiagent.agents.command_mode.steps import (
    ActionStep,
    AssertStep,
    CheckStep,
    ClickStep,
    DragStep,
    HoverStep,
    MenuStep,
    OpenStep,
    PressStep,
    ScrollStep,
    SelectStep,
    Step,
    TypeStep,
    WaitForStep,
)
from guiagent.agents.command_mode.verify import (
    changed_pixels,
    element_state,
    frame_changed,
    grow,
    screen_changed,
)
from guiagent.errors import StepFailed, TargetNotFound
from guiagent.observation import Candidate, Element, Observation, Screen
from guiagent.perception.ground import Grounder
from guiagent.perception.query import parse_query
from guiagent.perception.roles import role_matches
from guiagent.perception.textmatch import norm, ocr_alike, tokens

StepRun = Generator[Action, None, None]

#: Share of (sampled) pixels a click must change before the next step waits for the screen to
#: stop moving: a section sliding open, not a digit in a calculator's display.
_SETTLE_SHARE = 0.002
#: A match this good ends a search through tabs at once; weaker ones wait for a better tab.
_SURE_MATCH = 0.8

_CLICKS: dict[str, type[Click] | type[DoubleClick] | type[RightClick]] = {
    "click": Click,
    "double_click": DoubleClick,
    "right_click": RightClick,
}


class CommandModeAgent:
    """Carries out steps one action at a time; ``decide`` is called once per runner step."""

    def __init__(
        self,
        grounder: Grounder | None = None,
        *,
        min_score: float = 0.6,
        appear_timeout: float = 3.0,
        steps: Sequence[Step] | None = None,
    ) -> None:
        self.grounder = grounder or Grounder()
        self.min_score = min_score
        self.appear_timeout = appear_timeout
        self.notes: list[str] = []
        self._preset = list(steps) if steps is not None else None
        self._steps: list[Step] = []
        self._index = 0
        self._run: StepRun | None = None
        self._ctx: AgentContext | None = None
        self._task = ""

    # -- Agent protocol -------------------------------------------------------------------
    def start(self, task: str) -> None:
        self._task = task
        self._steps = list(self._preset) if self._preset is not None else parse_command(task)
        self._index = 0
        self._run = None
        self.notes = []

    def decide(self, ctx: AgentContext) -> Action:
        self._ctx = ctx
        while self._index < len(self._steps):
            if self._run is None:
                self._run = self._handler(self._steps[self._index])
            try:
                return next(self._run)
            except StopIteration:
                self._run = None
                self._index += 1
        summary = f"{len(self._steps)} step(s) done"
        return Done(message="; ".join([summary, *self.notes]))

    @property
    def current_step(self) -> Step | None:
        return self._steps[self._index] if self._index < len(self._steps) else None

    # -- helpers ----------------------------------------------------------------------------
    @property
    def ctx(self) -> AgentContext:
        assert self._ctx is not None, "decide() sets the context before a step runs"
        return self._ctx

    def _handler(self, step: Step) -> StepRun:
        handlers = {
            "click": self._click,
            "hover": self._hover,
            "menu": self._menu,
            "type": self._type,
            "press": self._press,
            "select": self._select,
            "check": self._check,
            "scroll": self._scroll,
            "drag": self._drag,
            "open": self._open,
            "wait_for": self._wait_for,
            "action": self._action,
            "assert": self._assert,
        }
        return handlers[step.kind](step)  # type: ignore[operator]

    def _note(self, text: str) -> None:
        self.notes.append(text)

    def _ground(self, query: str, wait: bool = True) -> Generator[Action, None, Candidate]:
        """Find ``query``; while it is not there yet (a window still drawing) wait briefly."""
        deadline = time.monotonic() + (self.appear_timeout if wait else 0.0)
        while True:
            try:
                return self.grounder.best(self._targets(query), query, self.min_score)
            except TargetNotFound:
                if time.monotonic() >= deadline:
                    raise
            yield Wait(seconds=0.4)

    def _targets(self, query: str) -> Screen:
        """The screen without the command's own text: an app or page that echoes the
        instruction (a task prompt, a chat box) must not be clicked for the words in it."""
        return without_echo(self.ctx.screen, self._task, query)

    def _target(self, cand: Candidate) -> Target:
        el = cand.element
        on_screen = el.id >= 0 and self.ctx.screen.by_id(el.id) is not None
        if on_screen:
            return Target(element=el.id)
        p = cand.point
        return Target.at(p.x, p.y)

    # -- step handlers ---------------------------------------------------------------------
    def _click(self, step: ClickStep) -> StepRun:
        if step.search:
            cand = yield from self._search(step.target, step.search)
        else:
            cand = yield from self._ground(step.target)
        before = self.ctx.observation
        yield _CLICKS[step.button](target=self._target(cand))
        changed, total = changed_pixels(before, self.ctx.observation)
        if not frame_changed(changed):
            # A click need not change pixels (a focused button, an operator key); retrying it
            # could do it twice, so note it rather than repeat it.
            self._note(f"no visible change after {step.button.replace('_', '-')} {step.target!r}")
            return
        if changed >= _SETTLE_SHARE * total:  # a layout change may still be animating
            yield from self._settle()

    def _hover(self, step: HoverStep) -> StepRun:
        cand = yield from self._ground(step.target)
        before = self.ctx.observation
        yield Hover(target=self._target(cand))
        if not screen_changed(before, self.ctx.observation):
            yield from self._settle()  # a hover menu or tooltip may open after a delay
        if not screen_changed(before, self.ctx.observation):
            self._note(f"nothing changed on pointing at {step.target!r}")

    def _menu(self, step: MenuStep) -> StepRun:
        """Open each level of a menu path, then click the last item.

        A submenu opens by pointing at its parent in most toolkits, and clicking a parent can
        act on it instead (a web menu picks the item, closing it); a menu bar opens only on a
        click. So each level is pointed at first and clicked only when the next level did not
        show up.
        """
        *levels, last = step.path
        for level, following in zip(levels, step.path[1:], strict=True):
            cand = yield from self._ground(level)
            where = self._target(cand)
            before = self.ctx.observation
            yield Hover(target=where)
            opened = yield from self._appears(following, since=before)
            if not opened:
                yield Click(target=where)
        yield from self._click(ClickStep(target=last, source=step.source))

    def _appears(
        self, query: str, since: Observation, timeout: float = 1.2
    ) -> Generator[Action, None, bool]:
        """Whether ``query`` shows within ``timeout`` seconds after the screen changed from
        ``since`` (something already visible before does not count as opened)."""
        deadline = time.monotonic() + timeout
        while True:
            if screen_changed(since, self.ctx.observation) and self._strongest(query):
                return True
            if time.monotonic() >= deadline:
                return False
            yield Wait(seconds=0.3)

    def _settle(self, polls: int = 3) -> StepRun:
        """After a change, wait while the screen still moves (a section sliding open), so the
        next step does not aim at where a control was a moment ago."""
        for _ in range(polls):
            before = self.ctx.observation
            yield Wait(seconds=0.2)
            if not screen_changed(before, self.ctx.observation):
                return

    def _search(self, query: str, among: str) -> Generator[Action, None, Candidate]:
        """Find ``query``, clicking through each of ``among`` (tabs, pages) until it shows.

        A look-alike on an earlier tab (a misread word) must not end the search, so only a
        sure match stops it; otherwise the tab that held the best weak match is gone back to.
        """
        sure = max(self.min_score, _SURE_MATCH)
        here = self._strongest(query)
        if here is not None and here.score >= sure:
            return here
        kind = among[:-1] if among.endswith("s") and len(among) > 3 else among
        places = self._places(kind)
        weak: list[tuple[float, Target | None]] = []
        if here is not None and not places:
            weak.append((here.score, None))
        last: Target | None = None
        for place in sorted(places, key=lambda c: (c.element.box.top, c.element.box.left)):
            centre = place.element.box.center
            last = Target.at(centre.x, centre.y)
            yield Click(target=last)
            found = self._strongest(query)
            if found is not None and found.score >= sure:
                return found
            if found is not None:
                weak.append((found.score, last))
        if not weak:
            reason = f"not in any of {len(places)} {among}"
            try:
                self.grounder.best(self._targets(query), query, self.min_score)
            except TargetNotFound as missing:
                raise TargetNotFound(query, missing.candidates, reason) from missing
            raise TargetNotFound(query, [], reason)
        _score, where = max(weak, key=lambda w: w[0])
        if where is not None and where != last:  # back to the tab that held it
            yield Click(target=where)
        return (yield from self._ground(query, wait=False))

    def _places(self, kind: str) -> list[Candidate]:
        """The things to switch between ("tab"): elements known to be that kind, else texts
        that name it ("Tab #2"); never every text on the screen."""
        found = self.grounder.locate(self._targets(kind), kind)
        found = [c for c in found if c.score >= self.min_score]
        known = [c for c in found if role_matches(c.element.role, kind)]
        if known:
            return known
        return [c for c in found if kind.casefold() in tokens(c.element.name)]

    def _strongest(self, query: str) -> Candidate | None:
        """The best candidate for ``query`` on the current screen scoring ``min_score``."""
        found = self.grounder.locate(self._targets(query), query)
        return found[0] if found and found[0].score >= self.min_score else None

    def _type(self, step: TypeStep) -> StepRun:
        target: Target | None = None
        box = None
        if step.target:
            cand = yield from self._ground_field(step.target)
            target, box = self._target(cand), grow(cand.element.box, 40)
        before = self.ctx.observation
        yield TypeText(text=step.text, target=target, secret=step.secret)
        if self._typed_shows(step, before, box):
            return
        changed = screen_changed(before, self.ctx.observation, box)
        if changed and step.secret:
            return  # masked text cannot be read back; the field changing is the evidence
        if changed and target is None:
            self._note("typed text changed the screen but was not read back")
            return
        # Retry once differently: focus explicitly, then replace whatever landed there.
        if target is None:
            focus = self._editable_element(self.ctx.screen)
            if focus is None:
                raise StepFailed(
                    f"typing {self._shown(step)} changed nothing and no editable field is visible;"
                    f" screen shows: {self._seen()}"
                )
            target = Target(element=focus.id)
        before = self.ctx.observation
        yield Click(target=target)
        yield TypeText(text=step.text, secret=step.secret, clear=True)
        if not self._typed_shows(step, before, box) and not screen_changed(
            before, self.ctx.observation, box
        ):
            raise StepFailed(
                f"typed {self._shown(step)} twice (then after focusing) but it does not show;"
                f" screen shows: {self._seen()}"
            )

    def _ground_field(self, target: str) -> Generator[Action, None, Candidate]:
        """Where to type for "into Name": the field that Name labels, when one is there, not
        the label itself; a target that names a kind of control is taken as said."""
        if parse_query(target).role is None:
            found = self._strongest(f"{target} field")
            if found is not None:
                return found
        return (yield from self._ground(target))

    def _typed_shows(self, step: TypeStep, before: object, box: object) -> bool:
        if step.secret:
            return False
        probe = step.text.strip().splitlines()[0][:40] if step.text.strip() else ""
        if not probe:
            return True
        screen = self.ctx.screen
        for el in screen.elements:
            if el.value and probe in el.value:
                return True
        return bool(self.grounder.find_text(screen, probe))

    def _press(self, step: PressStep) -> StepRun:
        if len(step.keys) == 1:
            yield Key(key=step.keys[0], presses=step.presses)
        else:
            for _ in range(step.presses):
                yield Hotkey(keys=list(step.keys))

    def _select(self, step: SelectStep) -> StepRun:
        if step.target:
            box = yield from self._ground(step.target)
            yield Click(target=self._target(box))
        option = yield from self._ground(step.option)
        yield Click(target=self._target(option))

    def _check(self, step: CheckStep) -> StepRun:
        cand = yield from self._ground(step.target)
        el = cand.element
        state = _checked(el)
        if state is step.checked:
            self._note(f"{step.target!r} was already {'checked' if step.checked else 'unchecked'}")
            return
        before = self.ctx.observation
        yield Click(target=self._target(cand))
        if self._check_took(el, before, step.checked):
            return
        # Retry once on the box itself: a label may not toggle its checkbox.
        glyph = Target.at(el.box.left + min(10, el.box.width // 2), el.box.center.y)
        before = self.ctx.observation
        yield Click(target=glyph)
        if not self._check_took(el, before, step.checked):
            raise StepFailed(f"clicked {step.target!r} twice but its state did not change")

    def _check_took(self, el: Element, before: object, desired: bool) -> bool:
        now = element_state(self.ctx.screen, el) if el.source == "a11y" else None
        if now is not None and _checked(now) is not None:
            return _checked(now) is desired
        return screen_changed(before, self.ctx.observation, grow(el.box, 30))  # type: ignore[arg-type]

    def _scroll(self, step: ScrollStep) -> StepRun:
        target = None
        if step.target:
            cand = yield from self._ground(step.target)
            target = self._target(cand)
        yield Scroll(direction=step.direction, amount=step.amount, target=target)

    def _drag(self, step: DragStep) -> StepRun:
        start = yield from self._ground(step.start)
        start_target = self._target(start)
        end = yield from self._ground(step.end)
        yield Drag(start=start_target, end=self._target(end))

    def _open(self, step: OpenStep) -> StepRun:
        yield OpenUrl(url=step.what) if step.is_url else OpenApp(name=step.what)

    def _wait_for(self, step: WaitForStep) -> StepRun:
        deadline = time.monotonic() + step.timeout
        while True:
            found = self.grounder.locate(self.ctx.screen, step.target)
            present = bool(found) and found[0].score >= self.min_score
            if present != step.gone:
                return
            if time.monotonic() >= deadline:
                if step.gone:
                    raise StepFailed(f"{step.target!r} still shows after {step.timeout:g}s")
                raise TargetNotFound(step.target, found[:3], f"not there after {step.timeout:g}s")
            yield Wait(seconds=0.5)

    def _action(self, step: ActionStep) -> StepRun:
        yield step.action

    def _assert(self, step: AssertStep) -> StepRun:
        screen = self.ctx.screen
        if step.visible is not None and not self._visible(screen, step.visible):
            raise StepFailed(f"expected {step.visible!r} on screen; it shows: {self._seen()}")
        if step.not_visible is not None and self._visible(screen, step.not_visible):
            raise StepFailed(f"expected {step.not_visible!r} not to show, but it does")
        if step.window_title is not None:
            window = self.ctx.observation.active_window
            title = window.title if window else ""
            if step.window_title.lower() not in title.lower():
                raise StepFailed(f"expected window {step.window_title!r}; active is {title!r}")
        return
        yield  # a generator with nothing to do

    def _visible(self, screen: Screen, text: str) -> bool:
        if self.grounder.find_text(screen, text):
            return True
        return any(el.value and text in el.value for el in screen.elements)

    # -- descriptions for failures -------------------------------------------------------
    def _seen(self, limit: int = 12) -> str:
        texts = [t for t in self.ctx.screen.texts() if t.strip()][:limit]
        return ", ".join(repr(t) for t in texts) or "no readable text"

    @staticmethod
    def _shown(step: TypeStep) -> str:
        return "•••" if step.secret else repr(step.text)

    @staticmethod
    def _editable_element(screen: Screen) -> Element | None:
        editable = [el for el in screen.elements if "editable" in el.states]
        focused = [el for el in editable if "focused" in el.states]
        choices = focused or editable
        return choices[0] if choices else None


_PROSE = frozenset({"text", "label", "static", "static_text", "paragraph", "heading"})


_WORDS = re.compile(r"\w+")


def without_echo(screen: Screen, task: str, query: str) -> Screen:
    """``screen`` less the text that shows the command itself: lines of prose that say most
    of ``task`` (unless the query asks for exactly that text), and the lines wrapped with them."""
    said, wanted = norm(task), norm(parse_query(query).text or query)
    if not said:
        return screen
    prose = [
        el
        for el in screen.elements
        if (el.source == "ocr" or el.role in _PROSE)
        and norm(el.name)
        and ocr_alike(el.name) in ocr_alike(task)
    ]
    echo = [
        el
        for el in prose
        if len(_WORDS.findall(el.name)) >= 3  # "Select A>B>C" is three words too
        and len(norm(el.name)) >= 0.3 * len(said)
        and norm(el.name) != wanted
    ]
    grown = True
    while grown:  # a wrapped instruction: its other lines sit right above or below
        more = [el for el in prose if el not in echo and any(_wrapped(el, e) for e in echo)]
        echo += more
        grown = bool(more)
    if not echo:
        return screen
    gone = {id(el) for el in echo}
    return screen.model_copy(
        update={"elements": [el for el in screen.elements if id(el) not in gone]}
    )


def _wrapped(a: Element, b: Element) -> bool:
    """Two lines of one paragraph: stacked with at most half a line between, overlapping."""
    gap = max(a.box.top, b.box.top) - min(a.box.bottom, b.box.bottom)
    overlap = min(a.box.right, b.box.right) - max(a.box.left, b.box.left)
    return gap <= 0.5 * min(a.box.height, b.box.height) and overlap > 0


def _checked(el: Element) -> bool | None:
    """The checked state when the element reports one (a11y checkbox/radio/toggle)."""
    if el.source != "a11y" or el.role not in {"checkbox", "radio", "toggle_button", "menu_item"}:
        return None
    return "checked" in el.states
