"""A window that reports the input it receives, for the X capture tests.

Usage: report-input.py [WxH[+X+Y]] (default 400x300+0+0). Its window is filled with one colour, so frames of it
are not blank, and it prints one JSON line per event on stdout: ready (when first exposed, with the window id),
motion, press, release, key and configure. It exits when its window is destroyed, or when its stdin is a pipe
that closes.
"""

import json
import os
import re
import select
import stat
import sys

from Xlib import XK, X, display

FILL = 0xFF8000  # orange: a colour glxgears never draws
EVENTS = X.ExposureMask | X.PointerMotionMask | X.ButtonPressMask | X.ButtonReleaseMask | X.KeyPressMask
KEYSYM_NAMES = {value: name[3:] for name, value in reversed(vars(XK).items()) if name.startswith("XK_")}


def say(**fields):
    print(json.dumps(fields), flush=True)


def geometry(argv):
    match = re.fullmatch(r"(\d+)x(\d+)(?:\+(\d+)\+(\d+))?", argv[1] if len(argv) > 1 else "400x300")
    if match is None:
        sys.exit(f"usage: {argv[0]} [WxH[+X+Y]]")
    return [int(part or 0) for part in match.groups()]


def report(d, event):
    if event.type == X.MotionNotify:
        say(type="motion", x=event.event_x, y=event.event_y)
    elif event.type in (X.ButtonPress, X.ButtonRelease):
        kind = "press" if event.type == X.ButtonPress else "release"
        say(type=kind, button=event.detail, x=event.event_x, y=event.event_y)
    elif event.type == X.KeyPress:
        # Like XLookupKeysym: the shifted column when Shift is held.
        keysym = d.keycode_to_keysym(event.detail, 1 if event.state & X.ShiftMask else 0)
        say(type="key", keysym=keysym, name=KEYSYM_NAMES.get(keysym), state=event.state)
    elif event.type == X.ConfigureNotify:
        say(type="configure", width=event.width, height=event.height)
    elif event.type == X.MappingNotify:
        # The capture lends a spare keycode to characters the keyboard lacks: read the new mapping.
        d.refresh_keyboard_mapping(event)
    elif event.type == X.DestroyNotify:
        sys.exit(0)


def main():
    width, height, x, y = geometry(sys.argv)
    d = display.Display()
    screen = d.screen()
    window = screen.root.create_window(
        x, y, width, height, 0, screen.root_depth, background_pixel=FILL, event_mask=EVENTS | X.StructureNotifyMask
    )
    window.set_wm_name("report-input")
    window.map()
    d.flush()
    # a test that started it with a pipe (or Node's socket pair) on stdin ends it by closing that; under glstream.run()
    # stdin is /dev/null, at its end from the start
    mode = os.fstat(sys.stdin.fileno()).st_mode
    watched = [d.fileno(), sys.stdin] if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) else [d.fileno()]
    ready = False
    while True:
        while d.pending_events():
            event = d.next_event()
            if event.type == X.Expose and not ready:
                ready = True
                say(type="ready", id=window.id)
            report(d, event)
        readable, _, _ = select.select(watched, [], [])
        if sys.stdin in readable and not os.read(sys.stdin.fileno(), 4096):
            return


main()
