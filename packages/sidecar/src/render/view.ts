// One viewer's scene: the nodes of the objects it shows, lights, background and orbit camera.
import * as THREE from 'three';
import { InputError } from '../errors.js';
import type { ColorScale, DrawContext, Hit, ObjectKind, ObjectNode, SceneObject } from './objects/scene-object.js';
import { eye, fitOrbit, type Orbit } from './orbit.js';
import { pickRay } from './pick/ray.js';
import { ScalarBar } from './scalar-bar.js';

// A colour legend of the object `id`, drawn over the scene.
interface Legend {
  id: string;
  bar: ScalarBar;
  scale: ColorScale;
}

interface Shown {
  name: string;
  object: SceneObject;
  node: ObjectNode;
}

// What a pick found: the object's id and name in this view, its kind, and where it was hit.
export interface ScenePick extends Hit {
  object: string;
  name: string;
  kind: ObjectKind;
}

// A scene and its camera; knows nothing of GL contexts or frames.
export class SceneView {
  readonly scene = new THREE.Scene();
  readonly camera = new THREE.PerspectiveCamera(45, 1, 0.01, 1000);
  // By object id.
  readonly #shown = new Map<string, Shown>();
  #orbit: Orbit = fitOrbit([0, 0, 0], 1);
  // Whether the camera frames all content after each change (until the user or the code places it).
  #auto = true;
  #legend: Legend | null = null;

  constructor(background: string) {
    this.scene.background = new THREE.Color(background);
    this.scene.add(new THREE.HemisphereLight(0xffffff, 0x444455, 1.2));
    const headlight = new THREE.DirectionalLight(0xffffff, 2.2);
    headlight.position.set(0.4, 0.6, 1);
    this.camera.add(headlight);
    this.scene.add(this.camera);
    this.#apply();
  }

  get orbit(): Orbit {
    return this.#orbit;
  }

  // Place the camera; from now on adding content does not move it.
  set orbit(orbit: Orbit) {
    this.#orbit = orbit;
    this.#auto = false;
    this.#apply();
  }

  get autoFraming(): boolean {
    return this.#auto;
  }

  // Show `object` (id `id`) as `name`; names are unique in a view.
  show(id: string, name: string, object: SceneObject): void {
    if (this.#shown.has(id)) throw new InputError(`this view already shows object ${id}`);
    for (const shown of this.#shown.values()) {
      if (shown.name === name) throw new InputError(`this view already shows an object named ${name}`);
    }
    const node = object.node();
    this.#shown.set(id, { name, object, node });
    this.scene.add(node.root);
    this.refit();
  }

  // Stop showing object `id` (and its scalar bar); false when it was not shown here. The caller frees the
  // bar it returns on the GL queue.
  hide(id: string): { bar: ScalarBar | null } | false {
    const shown = this.#shown.get(id);
    if (shown === undefined) return false;
    const bar = this.#legend?.id === id ? this.removeScalarBar() : null;
    shown.node.detach();
    this.#shown.delete(id);
    this.refit();
    return { bar };
  }

  // Show the colour legend of object `id` with `title`; returns the bar it replaces (to free on the GL queue).
  setScalarBar(id: string, title: string): ScalarBar | null {
    const shown = this.#shown.get(id);
    if (shown === undefined) throw new InputError(`this view does not show object ${id}`, { code: 'not_found' });
    const scale = shown.object.colorScale();
    if (scale === null) {
      throw new InputError(`${shown.name} is drawn in one colour; a scalar bar needs an object coloured by scalars`);
    }
    const old = this.removeScalarBar();
    this.#legend = { id, bar: new ScalarBar(scale, title), scale };
    return old;
  }

  // Take the scalar bar away; returns it (to free on the GL queue), or null when there was none.
  removeScalarBar(): ScalarBar | null {
    const bar = this.#legend?.bar ?? null;
    this.#legend = null;
    return bar;
  }

  // Make the scalar bar's text for `pixelScale` device pixels per CSS pixel, following its object's colours.
  async prepareOverlay(pixelScale: number): Promise<void> {
    const legend = this.#legend;
    if (legend === null) return;
    const scale = this.#shown.get(legend.id)?.object.colorScale() ?? null;
    if (scale === null) return;
    if (scale.lut !== legend.scale.lut || scale.clim !== legend.scale.clim) {
      legend.scale = scale;
      legend.bar.update(scale);
    }
    await legend.bar.prepare(pixelScale);
  }

  // Draw what lies over the scene (the scalar bar) into the frame just drawn.
  drawOverlay(three: THREE.WebGLRenderer, context: DrawContext): void {
    const legend = this.#legend;
    if (legend === null || this.#shown.get(legend.id)?.object.colorScale() == null) return;
    legend.bar.draw(three, context);
  }

  // The ids of the objects shown.
  objects(): string[] {
    return [...this.#shown.keys()];
  }

  has(id: string): boolean {
    return this.#shown.has(id);
  }

  // Whether any object has a stand-in.
  get hasStandIns(): boolean {
    for (const { node } of this.#shown.values()) if (node.hasStandIn) return true;
    return false;
  }

  // Draw the stand-ins of big objects (during a drag) or every object in full; set what depends on the view.
  prepare(context: DrawContext, standIns: boolean): void {
    for (const { node } of this.#shown.values()) {
      node.useStandIn(standIns);
      node.prepare(context, this.camera);
    }
  }

  // Frame all content again when the camera still follows the content.
  refit(): void {
    if (this.#auto) this.#frame();
  }

  // Frame all content from the default three-quarter view, and follow the content again.
  resetCamera(): void {
    this.#auto = true;
    this.#frame();
  }

  // The nearest object under (x, y) CSS pixels of a width x height view.
  pick(x: number, y: number, width: number, height: number): ScenePick | null {
    this.aim(width / height);
    this.camera.updateMatrixWorld();
    const ray = pickRay(x, y, width, height, this.camera);
    let best: ScenePick | null = null;
    for (const [id, { name, object }] of this.#shown) {
      const hit = object.pick({ x, y, width, height, ray, camera: this.camera });
      if (hit !== null && (best === null || hit.distance < best.distance)) {
        best = { ...hit, object: id, name, kind: object.kind };
      }
    }
    return best;
  }

  // Point the camera for an image of the given aspect ratio.
  aim(aspect: number): void {
    this.camera.aspect = aspect;
    this.camera.updateProjectionMatrix();
  }

  // Take every node out and free the scalar bar (on the GL queue); returns the ids of the objects it showed.
  dispose(): string[] {
    const ids = this.objects();
    this.removeScalarBar()?.dispose();
    for (const { node } of this.#shown.values()) node.detach();
    this.#shown.clear();
    return ids;
  }

  #frame(): void {
    const box = new THREE.Box3();
    for (const { object } of this.#shown.values()) box.union(object.bounds());
    const up = this.#orbit.up;
    const fov = this.#orbit.fov;
    if (box.isEmpty()) {
      this.#orbit = fitOrbit([0, 0, 0], 1, fov, up);
    } else {
      const sphere = box.getBoundingSphere(new THREE.Sphere());
      this.#orbit = fitOrbit([sphere.center.x, sphere.center.y, sphere.center.z], sphere.radius, fov, up);
    }
    this.#apply();
  }

  #apply(): void {
    const [x, y, z] = eye(this.#orbit);
    this.camera.position.set(x, y, z);
    this.camera.up.set(...this.#orbit.up);
    this.camera.lookAt(...this.#orbit.target);
    this.camera.fov = this.#orbit.fov;
    this.camera.near = this.#orbit.radius / 1000;
    this.camera.far = this.#orbit.radius * 100;
    this.camera.updateProjectionMatrix();
  }
}
