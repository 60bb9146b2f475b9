// @glstream/sidecar as a library, for the benchmarks that time its stages on their own: the display, the
// renderer, a scene built the way the kernel's meshes are, the orbit camera, the encoder.
export { obtainDisplay, type DisplaySetup } from './display/index.js';
export { arraysOf } from './render/objects/arrays.js';
export { Surface } from './render/objects/surface.js';
export { rotate } from './render/orbit.js';
export { Renderer, type Pixels } from './render/renderer.js';
export { describeGl, type GlInfo } from './render/gl-stack.js';
export { SceneView } from './render/view.js';
export { encode } from './stream/encode.js';
