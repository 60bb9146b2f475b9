// The widget module's identity, as the Python Viewer names it in _model_module and _view_module.

// The npm package name the widget manager looks the module up by.
export const MODULE_NAME = '@glstream/widget';

// The npm package version (package.json); the Python side asks for the semver range ^0.1.0.
export const MODULE_VERSION = '0.1.0';
