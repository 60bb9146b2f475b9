// @glstream/sidecar as a library: the pieces the CLI wires together.
export {
  obtainDisplay,
  setupDisplay,
  loadedGlLibraries,
  DisplayChainError,
  type Display,
  type DisplaySetup,
  type Step,
} from './display/index.js';
export { Renderer, type Pixels } from './render/renderer.js';
export { describeGl, type GlInfo } from './gl-info.js';
export { SceneView } from './render/view.js';
export { encode } from './stream/encode.js';
export { diagnose, type Report } from './doctor.js';
export { formatReport } from './doctor-format.js';
export { snapshotDemo } from './snapshot.js';
