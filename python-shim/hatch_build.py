"""Build hook: put the limits both runtimes share into the package, from the repository when there is one.

The one source is packages/protocol/src/limits.json. A build from the repository copies it into glstream/ (where
git ignores it); an sdist carries that copy, so a wheel built from the sdist ships the same file.
"""

import pathlib
import shutil

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class SharedLimitsHook(BuildHookInterface):
    """Copies packages/protocol/src/limits.json to glstream/limits.json before the package is built."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        root = pathlib.Path(self.root)
        source = root.parent / "packages" / "protocol" / "src" / "limits.json"
        target = root / "glstream" / "limits.json"
        if source.is_file():
            shutil.copyfile(source, target)
        elif not target.is_file():
            raise FileNotFoundError(f"neither {source} (a repository) nor {target} (an sdist) holds the shared limits")
