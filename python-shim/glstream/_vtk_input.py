"""The browser's pointer, wheel and key events (packages/protocol/src/events.ts) as a VTK interactor's events."""

from __future__ import annotations

from typing import Any

# PointerEvent.button: 0 main (left), 1 auxiliary (middle), 2 secondary (right).
_BUTTONS = {0: "Left", 1: "Middle", 2: "Right"}
# The widget reports wheel turns in CSS pixels; browsers scroll 100 per notch, and VTK zooms one step per event.
WHEEL_NOTCH = 100.0

# KeyboardEvent.key names -> (X keysym, key code): the names VTK's X and Qt interactors give these keys.
_NAMED_KEYS = {
    "ArrowLeft": ("Left", "\0"),
    "ArrowRight": ("Right", "\0"),
    "ArrowUp": ("Up", "\0"),
    "ArrowDown": ("Down", "\0"),
    "Enter": ("Return", "\r"),
    "Escape": ("Escape", "\x1b"),
    "Backspace": ("BackSpace", "\b"),
    "Tab": ("Tab", "\t"),
    "Delete": ("Delete", "\x7f"),
    "Insert": ("Insert", "\0"),
    "Home": ("Home", "\0"),
    "End": ("End", "\0"),
    "PageUp": ("Prior", "\0"),
    "PageDown": ("Next", "\0"),
    "Shift": ("Shift_L", "\0"),
    "Control": ("Control_L", "\0"),
    "Alt": ("Alt_L", "\0"),
    "Meta": ("Super_L", "\0"),
    "CapsLock": ("Caps_Lock", "\0"),
    "NumLock": ("Num_Lock", "\0"),
    "ScrollLock": ("Scroll_Lock", "\0"),
    "Pause": ("Pause", "\0"),
    "PrintScreen": ("Print", "\0"),
    "Clear": ("Clear", "\0"),
    "Help": ("Help", "\0"),
}
# Keys that stand for no key of their own (an accent being composed, an input method at work).
_NOT_KEYS = {"Dead", "Unidentified", "Process", "Compose"}
# Printable ASCII punctuation -> X keysym, as VTK's Qt interactor names them (letters and digits are themselves).
_PUNCTUATION = {
    " ": "space",
    "!": "exclam",
    '"': "quotedbl",
    "#": "numbersign",
    "$": "dollar",
    "%": "percent",
    "&": "ampersand",
    "'": "quoteright",
    "(": "parenleft",
    ")": "parenright",
    "*": "asterisk",
    "+": "plus",
    ",": "comma",
    "-": "minus",
    ".": "period",
    "/": "slash",
    ":": "colon",
    ";": "semicolon",
    "<": "less",
    "=": "equal",
    ">": "greater",
    "?": "question",
    "@": "at",
    "[": "bracketleft",
    "\\": "backslash",
    "]": "bracketright",
    "^": "asciicircum",
    "_": "underscore",
    "`": "quoteleft",
    "{": "braceleft",
    "|": "bar",
    "}": "braceright",
    "~": "asciitilde",
}


def keysym(key: str) -> tuple[str, str] | None:
    """(X keysym, key code character) for a KeyboardEvent.key, or None for keys VTK has no name for."""
    if key in _NAMED_KEYS:
        return _NAMED_KEYS[key]
    if len(key) == 1:
        if key.isascii():
            return _PUNCTUATION.get(key, key), key
        return key, "\0"  # a non-ASCII character: VTK's key code is one byte
    if not key or key in _NOT_KEYS:
        return None
    return key, "\0"  # F1..F24 and the like are named alike in both worlds


class InputInjector:
    """Turns one view's input events into events of a window's interactor; keeps the wheel remainder."""

    def __init__(self) -> None:
        self._wheel = 0.0
        self._position = (0, 0)

    def inject(self, interactor: Any, event: dict, canvas: dict, size: tuple[int, int]) -> bool:
        """Invoke the interactor events for `event`, made on a canvas of `canvas` CSS pixels, on a window of `size`
        pixels; return whether any was invoked (the picture may have changed)."""
        kind = event.get("type")
        if kind == "key":
            return self._key(interactor, event)
        self._position = _to_window(event, canvas, size)
        if kind == "pointer":
            return self._pointer(interactor, event)
        if kind == "wheel":
            return self._wheel_turn(interactor, event)
        return False

    def _pointer(self, interactor: Any, event: dict) -> bool:
        phase = event.get("phase")
        if phase == "move":
            name = "MouseMoveEvent"
        elif event.get("button") in _BUTTONS and phase in ("down", "up"):
            name = _BUTTONS[event["button"]] + ("ButtonPressEvent" if phase == "down" else "ButtonReleaseEvent")
        else:
            return False
        self._set(interactor, event)
        interactor.InvokeEvent(name)
        return True

    def _wheel_turn(self, interactor: Any, event: dict) -> bool:
        dx, dy = float(event.get("dx", 0)), float(event.get("dy", 0))
        delta, names = (dy, ("MouseWheelForwardEvent", "MouseWheelBackwardEvent"))
        if abs(dx) > abs(dy):
            delta, names = (dx, ("MouseWheelLeftEvent", "MouseWheelRightEvent"))
        if self._wheel * delta < 0:  # turned the other way: the remainder no longer counts
            self._wheel = 0.0
        self._wheel += delta
        steps = int(abs(self._wheel) // WHEEL_NOTCH)
        if steps == 0:
            return False
        self._wheel -= steps * WHEEL_NOTCH * (1 if self._wheel > 0 else -1)
        self._set(interactor, event)
        # dy < 0 is a turn away from the user: VTK's "forward", which zooms in
        name = names[0] if delta < 0 else names[1]
        for _ in range(steps):
            interactor.InvokeEvent(name)
        return True

    def _key(self, interactor: Any, event: dict) -> bool:
        named = keysym(str(event.get("key", "")))
        if named is None:
            return False
        sym, code = named
        self._set(interactor, event, code, sym)
        # As VTK's X interactor does for one key stroke; styles act on CharEvent ('r' resets the camera...)
        for name in ("KeyPressEvent", "CharEvent", "KeyReleaseEvent"):
            interactor.InvokeEvent(name)
        return True

    def _set(self, interactor: Any, event: dict, code: str = "\0", sym: str | None = None) -> None:
        x, y = self._position
        interactor.SetEventInformation(x, y, int(bool(event.get("ctrl"))), int(bool(event.get("shift"))), code, 0, sym)
        interactor.SetAltKey(int(bool(event.get("alt"))))


def _to_window(event: dict, canvas: dict, size: tuple[int, int]) -> tuple[int, int]:
    """CSS pixels from the canvas' top-left -> window pixels from the bottom-left, as VTK counts them."""
    width, height = size
    scale_x = width / canvas["width"] if canvas.get("width") else 1.0
    scale_y = height / canvas["height"] if canvas.get("height") else 1.0
    x = round(float(event.get("x", 0)) * scale_x)
    y = round(float(event.get("y", 0)) * scale_y)
    return x, height - 1 - y
