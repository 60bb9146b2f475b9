// @glstream/widget: the Viewer's front end as an anywidget module (the Viewer's `_esm`, bundled by
// scripts/build-widget.sh): anywidget's own front end loads it in JupyterLab, Notebook 7, VS Code and Colab.
// initialize() runs once per model, before any view: it keeps the kernel's offers of a direct connection.
import { initialize } from './offers.js';
import { render } from './widget.js';

export default { initialize, render };
