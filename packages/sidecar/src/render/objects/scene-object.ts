// What every kind of scene content is: data the kernel sent (a surface, points, lines, slices of a volume) held
// once in the sidecar and shown by any number of views. A view shows an object through a node of its own that
// shares the object's GPU buffers and textures, so the data is uploaded once however many views show it.
import type * as THREE from 'three';
import type { ArrayInput } from './arrays.js';

export type ObjectKind = 'mesh' | 'points' | 'lines' | 'slices';

// How one view is about to be drawn: its size in device pixels and device pixels per CSS pixel (sizes and widths
// given in CSS pixels are multiplied by it).
export interface DrawContext {
  width: number;
  height: number;
  pixelScale: number;
}

// A pick at (x, y) CSS pixels from the view's top-left corner, in a view of width x height CSS pixels; `ray`
// is the world-space ray through that pixel and `camera` the view's camera (matrices up to date).
export interface PickQuery {
  x: number;
  y: number;
  width: number;
  height: number;
  ray: THREE.Ray;
  camera: THREE.PerspectiveCamera;
}

// What a pick hit: the element's index (a face, point or segment, or [z, y, x] of a voxel), the nearest
// vertex (null for slices), the world position, the scalar or volume value there (null without scalars) and
// the distance along the ray, which decides between objects.
export interface Hit {
  index: number | [number, number, number];
  vertex: number | null;
  position: [number, number, number];
  value: number | null;
  distance: number;
}

// The colours an object's scalars are drawn with, for a scalar bar: 256 RGB entries and the range they span.
export interface ColorScale {
  lut: Uint8Array;
  clim: [number, number];
}

// One view's node for an object: added to that view's scene.
export interface ObjectNode {
  readonly root: THREE.Object3D;
  // Whether the node has a coarse stand-in to draw during drags.
  readonly hasStandIn: boolean;
  // Draw the coarse stand-in instead of the full object (during a drag), when the object has one.
  useStandIn(on: boolean): void;
  // Set what depends on the view (point sizes and line widths in device pixels, the sides of a closed mesh seen
  // from `camera`) before it is drawn.
  prepare(context: DrawContext, camera: THREE.PerspectiveCamera): void;
  // Take the node out of its view; the object's shared buffers stay until the object is disposed.
  detach(): void;
}

export interface SceneObject {
  readonly kind: ObjectKind;
  // A node for one more view.
  node(): ObjectNode;
  // The world-space box around the whole object, for framing the camera.
  bounds(): THREE.Box3;
  // Change style and data in place (only what `style` and `arrays` hold); views showing it are redrawn by the
  // caller. Throws an InputError naming a bad param; nothing changes then.
  update(style: Record<string, unknown>, arrays: ArrayInput): void;
  // The nearest element under the query's pixel, against the full data (never the stand-in).
  pick(query: PickQuery): Hit | null;
  // The colours of its scalars, or null when it is drawn in one colour.
  colorScale(): ColorScale | null;
  // Free the shared GPU buffers and textures (on the GL queue; no node of it is in a scene any more).
  dispose(): void;
}
