// The JupyterLab plugin: registers the widget module with the Jupyter widget manager.
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IJupyterWidgetRegistry } from '@jupyter-widgets/base';
import { MODULE_NAME, MODULE_VERSION } from './version.js';
import { ViewerModel, ViewerView } from './widget.js';

// Makes ViewerModel and ViewerView available to Viewer widgets created in kernels.
const plugin: JupyterFrontEndPlugin<void> = {
  id: '@glstream/widget:plugin',
  description: 'Registers the glstream Viewer widget.',
  requires: [IJupyterWidgetRegistry],
  autoStart: true,
  activate: (_app: JupyterFrontEnd, registry: IJupyterWidgetRegistry): void => {
    registry.registerWidget({ name: MODULE_NAME, version: MODULE_VERSION, exports: { ViewerModel, ViewerView } });
  },
};

export default plugin;
