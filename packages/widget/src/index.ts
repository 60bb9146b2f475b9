// @glstream/widget: the Viewer widget's model and view, and its identity.
export { MODULE_NAME, MODULE_VERSION } from './version.js';
export { ViewerModel, ViewerView } from './widget.js';
