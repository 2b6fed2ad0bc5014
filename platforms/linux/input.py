"""Mouse and keyboard through XTest (python-xlib), in X root-window coordinates.

Characters the keymap lacks (``ü``, ``東``) are typed by mapping spare keycodes to their
keysyms, as xdotool does. All keysyms a text needs are mapped in ONE ChangeKeyboardMapping
request before typing: every mapping change makes the window manager re-grab its key bindings,
and while it is busy its synchronous pointer grab holds back our clicks (keys would overtake
them). Mappings stay in place between actions (no client can be caught reading a keycode that
was just restored) and are put back to NoSymbol by :meth:`XInput.restore_keymap`, which the
driver calls on close.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from Xlib import XK, X
from Xlib.display import Display
from Xlib.ext import xtest

from guiagent.errors import DriverError

from .keys import keysym_for_char

BUTTONS = {"left": 1, "middle": 2, "right": 3}
WHEEL = {"up": 4, "down": 5, "left": 6, "right": 7}

#: time for clients to look up a borrowed keycode before it is remapped or restored
_REMAP_SETTLE_S = 0.15
_MAX_SLOTS = 32


class XInput:
    """Synthesised input on one X connection; the caller serialises access."""

    def __init__(
        self,
        display: Display,
        *,
        type_delay: float = 0.008,
        after_buttons: Callable[[], object] | None = None,
    ) -> None:
        self._d = display
        self.type_delay = type_delay
        #: called once all buttons are up again (the driver waits for the WM there)
        self.after_buttons = after_buttons
        self._min_code = int(display.display.info.min_keycode)
        self._max_code = int(display.display.info.max_keycode)
        self._keymap: list[tuple[int, ...]] = []
        self._per_code = 0
        self._slots: list[int] = []  # spare keycodes usable for remapping
        self._slot_syms: dict[int, int] = {}  # slot keycode -> keysym currently mapped
        self._slot_used: dict[int, float] = {}  # slot keycode -> last key press time
        self._held_keys: list[int] = []
        self._held_buttons: list[int] = []
        self.refresh_keymap()

    # -- keymap -------------------------------------------------------------------------------

    def refresh_keymap(self) -> None:
        """Read the server's keymap and find the spare keycodes (those mapped to nothing)."""
        count = self._max_code - self._min_code + 1
        mapping = self._d.get_keyboard_mapping(self._min_code, count)
        self._keymap = [tuple(int(s) for s in row) for row in mapping]
        self._per_code = max(2, len(self._keymap[0]) if self._keymap else 2)
        spare = [
            self._min_code + i
            for i, row in enumerate(self._keymap)
            if all(sym == X.NoSymbol for sym in row) and self._min_code + i > 8
        ]
        self._slots = spare[-_MAX_SLOTS:]
        self._slot_syms = {}
        self._slot_used = {}

    def _in_layout(self, keysym: int) -> tuple[int, bool] | None:
        """A keycode of the layout itself (not a borrowed one) producing ``keysym`` in group 1,
        and whether Shift is needed."""
        best: tuple[int, bool] | None = None
        for i, row in enumerate(self._keymap):
            code = self._min_code + i
            if code in self._slot_syms:
                continue
            if row[:1] == (keysym,):
                return code, False
            if best is None and len(row) > 1 and row[1] == keysym:
                best = (code, True)
        return best

    def _find(self, keysym: int) -> tuple[int, bool] | None:
        for code, sym in self._slot_syms.items():
            if sym == keysym:
                return code, False
        return self._in_layout(keysym)

    def _ensure_mapped(self, keysyms: Iterable[int]) -> None:
        """Give every keysym the layout lacks a spare keycode, in one mapping request."""
        wanted = list(dict.fromkeys(k for k in keysyms if self._in_layout(k) is None))
        if len(wanted) > len(self._slots):
            raise DriverError(
                f"{len(wanted)} characters are missing from the keyboard layout but only "
                f"{len(self._slots)} spare keycodes exist",
                hint="type the text in shorter pieces, or free keycodes in the layout",
            )
        held = set(self._slot_syms.values())
        missing = [k for k in wanted if k not in held]
        if not missing:
            return
        keep = {c for c, s in self._slot_syms.items() if s in set(wanted)}
        free = [c for c in self._slots if c not in self._slot_syms]
        free += sorted(
            (c for c in self._slot_syms if c not in keep),
            key=lambda c: self._slot_used.get(c, 0.0),
        )
        chosen = dict(zip(free, missing, strict=False))
        self._settle([self._slot_used.get(c, 0.0) for c in chosen])
        self._write_rows(chosen)
        self._slot_syms.update(chosen)

    def _settle(self, last_used: list[float]) -> None:
        since = time.monotonic() - max(last_used, default=0.0)
        if since < _REMAP_SETTLE_S:
            time.sleep(_REMAP_SETTLE_S - since)

    def _write_rows(self, changes: dict[int, int]) -> None:
        """Map ``keycode -> keysym`` (NoSymbol restores) with a single request spanning the
        codes; the codes in between are written back as the server has them now."""
        first, last = min(changes), max(changes)
        current = self._d.get_keyboard_mapping(first, last - first + 1)
        rows: list[tuple[int, ...]] = []
        for offset, row in enumerate(current):
            code = first + offset
            if code in changes:
                sym = changes[code]
                rows.append((sym, sym) + (X.NoSymbol,) * (self._per_code - 2))
            else:
                rows.append(tuple(int(v) for v in row))
        self._d.change_keyboard_mapping(first, rows)
        self._d.sync()

    def restore_keymap(self) -> None:
        """Put every borrowed keycode back to NoSymbol, after clients had time to read it."""
        if not self._slot_syms:
            return
        self._settle(list(self._slot_used.values()))
        self._write_rows({code: X.NoSymbol for code in self._slot_syms})
        self._slot_syms.clear()
        self._slot_used.clear()

    # -- pointer ------------------------------------------------------------------------------

    def move(self, x: int, y: int) -> None:
        xtest.fake_input(self._d, X.MotionNotify, x=int(x), y=int(y))
        self._d.sync()

    def button(self, button: int, down: bool) -> None:
        xtest.fake_input(self._d, X.ButtonPress if down else X.ButtonRelease, button)
        if down:
            self._held_buttons.append(button)
        elif button in self._held_buttons:
            self._held_buttons.remove(button)
        self._d.sync()
        if not down and not self._held_buttons and self.after_buttons is not None:
            self.after_buttons()

    def click(self, x: int, y: int, *, button: int = 1, count: int = 1) -> None:
        self.move(x, y)
        for i in range(count):
            if i:
                time.sleep(0.05)  # well inside any double-click interval
            self.button(button, True)
            self.button(button, False)

    def long_press(self, x: int, y: int, seconds: float) -> None:
        self.move(x, y)
        self.button(1, True)
        try:
            time.sleep(seconds)
        finally:
            self.button(1, False)

    def drag(self, start: tuple[int, int], end: tuple[int, int], *, steps: int = 12) -> None:
        """Press, move in steps (toolkits start a drag only after intermediate motion), release."""
        self.move(*start)
        self.button(1, True)
        try:
            for i in range(1, steps + 1):
                x = start[0] + (end[0] - start[0]) * i // steps
                y = start[1] + (end[1] - start[1]) * i // steps
                time.sleep(0.01)
                self.move(x, y)
            time.sleep(0.02)
        finally:
            self.button(1, False)

    def scroll(self, direction: str, amount: int) -> None:
        button = WHEEL[direction]
        for _ in range(amount):
            self.button(button, True)
            self.button(button, False)
            time.sleep(0.01)

    # -- keyboard -----------------------------------------------------------------------------

    def _key(self, code: int, down: bool) -> None:
        xtest.fake_input(self._d, X.KeyPress if down else X.KeyRelease, code)
        if down:
            self._held_keys.append(code)
        elif code in self._held_keys:
            self._held_keys.remove(code)

    def _resolve(self, keysym: int) -> tuple[int, bool]:
        found = self._find(keysym)
        if found is None:
            self._ensure_mapped([keysym])
            found = self._find(keysym)
        if found is None:  # pragma: no cover - _ensure_mapped raised already
            raise DriverError(f"cannot map keysym 0x{keysym:x}")
        return found

    def _mark_used(self, code: int) -> None:
        if code in self._slot_syms:
            self._slot_used[code] = time.monotonic()

    def press_keysym(self, keysym: int) -> None:
        """Tap one keysym, with Shift when the keymap has it on the shifted level."""
        code, shift = self._resolve(keysym)
        shift_code = self._resolve(XK.XK_Shift_L)[0] if shift else None
        if shift_code is not None:
            self._key(shift_code, True)
        self._key(code, True)
        self._key(code, False)
        if shift_code is not None:
            self._key(shift_code, False)
        self._mark_used(code)
        self._d.sync()

    def chord(self, keysyms: Iterable[int]) -> None:
        """Hold the keys in order, release them in reverse (a hotkey such as ctrl+shift+t).

        Keys are pressed by keycode, so ``ctrl+plus`` sends the key that carries ``+``;
        Shift is added only for a key that needs it when the chord holds no Shift itself.
        """
        syms = list(keysyms)
        self._ensure_mapped(syms)
        codes: list[int] = []
        has_shift = bool({XK.XK_Shift_L, XK.XK_Shift_R} & set(syms))
        try:
            for sym in syms:
                code, shift = self._resolve(sym)
                if shift and not has_shift:
                    shift_code = self._resolve(XK.XK_Shift_L)[0]
                    self._key(shift_code, True)
                    codes.append(shift_code)
                self._key(code, True)
                codes.append(code)
                self._mark_used(code)
                self._d.sync()
                time.sleep(0.01)
        finally:
            for code in reversed(codes):
                self._key(code, False)
            self._d.sync()

    def type_text(self, text: str) -> None:
        """Type ``text`` character by character, any script; the characters the layout lacks
        are mapped up front, a piece of text at a time when there are more than slots."""
        syms = [keysym_for_char(c) for c in text]
        start = 0
        while start < len(syms):
            end, borrowed = start, set[int]()
            while end < len(syms):
                sym = syms[end]
                if sym not in borrowed and self._in_layout(sym) is None:
                    if len(borrowed) == len(self._slots) and borrowed:
                        break
                    borrowed.add(sym)
                end += 1
            self._ensure_mapped(syms[start:end])
            for sym in syms[start:end]:
                self.press_keysym(sym)
                if self.type_delay:
                    time.sleep(self.type_delay)
            start = end

    def release_all(self) -> None:
        """Let go of every key and button still held (after an error mid-chord)."""
        for code in reversed(self._held_keys):
            xtest.fake_input(self._d, X.KeyRelease, code)
        for button in reversed(self._held_buttons):
            xtest.fake_input(self._d, X.ButtonRelease, button)
        self._held_keys.clear()
        self._held_buttons.clear()
        self._d.sync()
