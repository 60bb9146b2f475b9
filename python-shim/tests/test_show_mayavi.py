"""A Mayavi figure shown with glstream.show(), in a process whose display is glstream's (Mayavi from PyPI)."""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
from _helpers import process_exists, wait_until
from _png import decode_png

SCRIPT = textwrap.dedent("""
    import json, os, sys
    import glstream
    glstream.headless()
    os.environ["ETS_TOOLKIT"] = "null"  # no GUI toolkit: Mayavi's scene renders off-screen
    from mayavi import mlab
    mlab.options.offscreen = True
    figure = mlab.figure(size=(320, 240), bgcolor=(0.1, 0.1, 0.15))
    mlab.test_plot3d()
    view = glstream.show(figure)
    open(sys.argv[1], "wb").write(view.snapshot())
    mlab.savefig(sys.argv[2])
    sidecar = view.sidecar
    report = {"size": [view.width, view.height], "window": type(view.target).__name__}
    print(json.dumps({**report, "pids": [sidecar.pid, sidecar.xserver_pid]}))
    view.close()
""")


def test_a_mayavi_figure_is_shown_live_and_its_frames_are_mayavis_picture(real_sidecar, tmp_path):
    ours, theirs = tmp_path / "view.png", tmp_path / "mayavi.png"
    env = {name: value for name, value in os.environ.items() if name != "DISPLAY"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ours), str(theirs)], env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    pids = report.pop("pids")
    assert report == {"size": [320, 240], "window": "vtkXOpenGLRenderWindow"}
    # the process exited cleanly (its X connections closed before the display went), and nothing outlives it
    wait_until(lambda: not any(process_exists(pid) for pid in pids), 15, "the sidecar and its Xvfb to end")
    frame = decode_png(ours.read_bytes())[..., :3].astype(int)
    assert frame.shape == (240, 320, 3)
    assert frame.std() > 10, "the frame of the Mayavi figure is blank"
    own = decode_png(theirs.read_bytes())[..., :3].astype(int)
    assert own.shape == frame.shape
    assert np.abs(frame - own).mean() < 2, "the frame differs from Mayavi's own picture"
