"""An X program that redraws on input, for the input-to-photon benchmark of glstream.show().

Usage: pointer-marker.py [WxH] (default 1280x720). Its window is black with a red vertical bar at the pointer's x,
moved on each pointer motion (all motions already queued make one redraw), so a frame shows which motion it
reflects. It draws with core X requests: no GL, so the time a frame takes is the capture's, not the program's.
"""

import os
import re
import sys

from Xlib import X, Xatom, display

BAR = 6
BLACK, RED = 0x000000, 0xFF0000
EVENTS = X.ExposureMask | X.PointerMotionMask | X.ButtonPressMask | X.ButtonReleaseMask | X.StructureNotifyMask


def size(argv):
    match = re.fullmatch(r"(\d+)x(\d+)", argv[1] if len(argv) > 1 else "1280x720")
    if match is None:
        sys.exit(f"usage: {argv[0]} [WxH]")
    return int(match[1]), int(match[2])


def main():
    width, height = size(sys.argv)
    d = display.Display()
    screen = d.screen()
    window = screen.root.create_window(
        0, 0, width, height, 0, screen.root_depth, background_pixel=BLACK, event_mask=EVENTS
    )
    window.set_wm_name("pointer-marker")
    window.change_property(d.intern_atom("_NET_WM_PID"), Xatom.CARDINAL, 32, [os.getpid()])
    background = window.create_gc(foreground=BLACK)
    bar = window.create_gc(foreground=RED)
    window.map()
    d.flush()
    x = drawn = None
    while True:
        event = d.next_event()
        redraw = False
        while True:
            if event.type == X.MotionNotify:
                x, redraw = event.event_x, True
            elif event.type == X.ConfigureNotify:
                width, height = event.width, event.height
            elif event.type == X.Expose:
                drawn, redraw = None, True
            elif event.type == X.DestroyNotify:
                return
            if not d.pending_events():
                break
            event = d.next_event()
        if redraw:
            # Only the old bar is cleared: a smaller damage to capture than the whole window.
            if drawn is not None:
                window.fill_rectangle(background, drawn - BAR // 2, 0, BAR, height)
            if x is not None:
                window.fill_rectangle(bar, x - BAR // 2, 0, BAR, height)
            drawn = x
            d.flush()


main()
