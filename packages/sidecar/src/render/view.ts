// One viewer's scene: its meshes, lights, background and orbit camera.
import * as THREE from 'three';
import { disposeMesh, standInMesh } from './mesh.js';
import { eye, fitOrbit, type Orbit } from './orbit.js';

// A scene and its camera; knows nothing of GL contexts or frames.
export class SceneView {
  readonly scene = new THREE.Scene();
  readonly camera = new THREE.PerspectiveCamera(45, 1, 0.01, 1000);
  readonly meshes = new Map<string, THREE.Mesh>();
  // Stand-ins for big meshes, drawn instead of them while the user drags.
  readonly #standIns = new Map<string, THREE.Mesh>();
  #orbit: Orbit = fitOrbit([0, 0, 0], 1);
  #fitted = false;

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

  set orbit(orbit: Orbit) {
    this.#orbit = orbit;
    this.#apply();
  }

  // Add a mesh; the first one frames the camera on the scene.
  add(name: string, mesh: THREE.Mesh): void {
    this.remove(name);
    this.meshes.set(name, mesh);
    this.scene.add(mesh);
    const standIn = standInMesh(mesh);
    if (standIn !== null) {
      standIn.visible = false;
      this.#standIns.set(name, standIn);
      this.scene.add(standIn);
    }
    if (!this.#fitted) this.resetCamera();
  }

  // Whether any mesh has a stand-in.
  get hasStandIns(): boolean {
    return this.#standIns.size > 0;
  }

  // Draw the stand-ins of big meshes (during a drag) or every mesh in full.
  useStandIns(on: boolean): void {
    for (const [name, standIn] of this.#standIns) {
      standIn.visible = on;
      this.meshes.get(name)!.visible = !on;
    }
  }

  // Remove a mesh and free its GPU resources; false when there was none by that name.
  remove(name: string): boolean {
    const mesh = this.meshes.get(name);
    if (mesh === undefined) return false;
    this.scene.remove(mesh);
    disposeMesh(mesh);
    this.meshes.delete(name);
    const standIn = this.#standIns.get(name);
    if (standIn !== undefined) {
      this.scene.remove(standIn);
      standIn.geometry.dispose();
      this.#standIns.delete(name);
    }
    return true;
  }

  // Frame every mesh from the default three-quarter view.
  resetCamera(): void {
    const box = new THREE.Box3();
    for (const mesh of this.meshes.values()) box.expandByObject(mesh);
    if (box.isEmpty()) {
      this.orbit = fitOrbit([0, 0, 0], 1);
      return;
    }
    const sphere = box.getBoundingSphere(new THREE.Sphere());
    this.orbit = fitOrbit([sphere.center.x, sphere.center.y, sphere.center.z], sphere.radius);
    this.#fitted = true;
  }

  // Point the camera for an image of the given aspect ratio.
  aim(aspect: number): void {
    this.camera.aspect = aspect;
    this.camera.updateProjectionMatrix();
  }

  // Free every mesh (three's renderer deletes each one's GPU buffers as it is disposed).
  dispose(): void {
    for (const name of [...this.meshes.keys()]) this.remove(name);
  }

  #apply(): void {
    const [x, y, z] = eye(this.#orbit);
    this.camera.position.set(x, y, z);
    this.camera.up.set(0, 1, 0);
    this.camera.lookAt(...this.#orbit.target);
    this.camera.fov = this.#orbit.fov;
    this.camera.near = this.#orbit.radius / 1000;
    this.camera.far = this.#orbit.radius * 100;
    this.camera.updateProjectionMatrix();
  }
}
