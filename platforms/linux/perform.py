"""One action in, XTest input out: the part of the Linux driver that knows what each action
type means on a desktop. Targets become X root coordinates through the driver's single
``to_device`` path (handed in as ``to_point``); every X call runs inside the driver's guard,
which serialises access and translates X errors."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager

from guiagent.actions import (
    Action,
    Click,
    DoubleClick,
    Drag,
    Hotkey,
    Hover,
    Key,
    LongPress,
    OpenApp,
    OpenUrl,
    Point,
    RightClick,
    Scroll,
    Target,
    TypeText,
    Wait,
    describe,
)
from guiagent.errors import ActionUnsupported
from guiagent.observation import ActionResult, WindowInfo

from .input import BUTTONS, XInput
from .keys import keysym_for_name

Outcome = tuple[str, Point | None]


class ActionPerformer:
    """Carries out the desktop actions; anything else is :class:`ActionUnsupported`."""

    SUPPORTED = frozenset(
        {
            "click",
            "double_click",
            "right_click",
            "long_press",
            "hover",
            "drag",
            "scroll",
            "type_text",
            "key",
            "hotkey",
            "open_app",
            "open_url",
            "wait",
        }
    )

    def __init__(
        self,
        xinput: XInput,
        guard: Callable[[str], AbstractContextManager[None]],
        to_point: Callable[[Target], Point],
        open_app: Callable[[str], WindowInfo],
        open_url: Callable[[str], WindowInfo | None],
    ) -> None:
        self._input = xinput
        self._x = guard
        self._target_point = to_point
        self.open_app = open_app
        self.open_url = open_url

    def execute(self, action: Action) -> ActionResult:
        start = time.perf_counter()
        handler = self._handlers().get(action.type)
        if handler is None:
            raise ActionUnsupported(
                f"the Linux driver cannot {action.type.replace('_', ' ')}",
                hint="supported: " + ", ".join(sorted(self.SUPPORTED)),
            )
        detail, point = handler(action)
        return ActionResult(
            ok=True,
            detail=detail,
            device_point=point,
            elapsed_ms=(time.perf_counter() - start) * 1000,
        )

    def _handlers(self) -> dict[str, Callable[[Action], Outcome]]:
        return {
            "click": self._pointer,
            "double_click": self._pointer,
            "right_click": self._pointer,
            "long_press": self._pointer,
            "hover": self._hover,
            "drag": self._drag,
            "scroll": self._scroll,
            "type_text": self._type,
            "key": self._key,
            "hotkey": self._hotkey,
            "open_app": self._open_app,
            "open_url": self._open_url,
            "wait": self._wait,
        }

    def _pointer(self, action: Action) -> Outcome:
        assert isinstance(action, Click | DoubleClick | RightClick | LongPress)
        p = self._target_point(action.target)
        with self._x(action.type):
            if isinstance(action, LongPress):
                self._input.long_press(p.x, p.y, action.seconds)
            else:
                button = BUTTONS["right"] if isinstance(action, RightClick) else BUTTONS["left"]
                count = 2 if isinstance(action, DoubleClick) else 1
                self._input.click(p.x, p.y, button=button, count=count)
        return describe(action), p

    def _hover(self, action: Action) -> Outcome:
        assert isinstance(action, Hover)
        p = self._target_point(action.target)
        with self._x("hover"):
            self._input.move(p.x, p.y)
        return describe(action), p

    def _drag(self, action: Action) -> Outcome:
        assert isinstance(action, Drag)
        a, b = self._target_point(action.start), self._target_point(action.end)
        with self._x("drag"):
            self._input.drag((a.x, a.y), (b.x, b.y))
        return describe(action), b

    def _scroll(self, action: Action) -> Outcome:
        assert isinstance(action, Scroll)
        p = self._target_point(action.target) if action.target is not None else None
        with self._x("scroll"):
            if p is not None:
                self._input.move(p.x, p.y)
            self._input.scroll(action.direction, action.amount)
        return describe(action), p

    def _type(self, action: Action) -> Outcome:
        assert isinstance(action, TypeText)
        p = self._target_point(action.target) if action.target is not None else None
        with self._x("type_text"):
            if p is not None:
                self._input.click(p.x, p.y)
                time.sleep(0.05)  # let the click move the focus before the first key
            if action.clear:
                self._input.chord([keysym_for_name("ctrl"), keysym_for_name("a")])
                if not action.text:
                    self._input.press_keysym(keysym_for_name("backspace"))
            self._input.type_text(action.text)
        shown = f"{len(action.text)} characters" if action.secret else repr(action.text)
        return f"typed {shown}" + (f" at ({p.x},{p.y})" if p else ""), p

    def _key(self, action: Action) -> Outcome:
        assert isinstance(action, Key)
        name = action.key.strip()
        if "+" in name and len(name) > 1:  # "ctrl+s" written as a key: press it as a chord
            parts = [k for k in name.split("+") if k] + (["+"] if name.endswith("++") else [])
            keysyms = [keysym_for_name(k) for k in parts]
            with self._x("key"):
                for _ in range(action.presses):
                    self._input.chord(keysyms)
        else:
            keysym = keysym_for_name(action.key)
            with self._x("key"):
                for _ in range(action.presses):
                    self._input.press_keysym(keysym)
        return describe(action), None

    def _hotkey(self, action: Action) -> Outcome:
        assert isinstance(action, Hotkey)
        keysyms = [keysym_for_name(k) for k in action.keys]
        with self._x("hotkey"):
            self._input.chord(keysyms)
        return describe(action), None

    def _wait(self, action: Action) -> Outcome:
        assert isinstance(action, Wait)
        time.sleep(action.seconds)
        return describe(action), None

    def _open_app(self, action: Action) -> Outcome:
        assert isinstance(action, OpenApp)
        window = self.open_app(action.name)
        return f"opened {window.app or action.name!r}: window {window.title!r}", None

    def _open_url(self, action: Action) -> Outcome:
        assert isinstance(action, OpenUrl)
        window = self.open_url(action.url)
        where = f"window {window.title!r}" if window else "no new window appeared"
        return f"opened {action.url}: {where}", None
