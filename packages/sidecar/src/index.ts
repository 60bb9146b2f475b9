// @glstream/sidecar as a library: the pieces the CLI wires together.
export { obtainDisplay, type Display } from './display/index.js';
export { Renderer, type Pixels } from './render/renderer.js';
export { describeGl, type GlInfo } from './gl-info.js';
export { SceneView } from './render/view.js';
export { encode } from './stream/encode.js';
export { diagnose, formatReport, type Report } from './doctor.js';
export { snapshotDemo } from './snapshot.js';
