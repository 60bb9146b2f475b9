// The sidecar's scene objects, shared by the views that show them, after FSLeyes' `resources` module: an object
// is made once from the kernel's data, each view that shows it holds a reference, and it is freed (its GPU
// buffers and textures deleted) when the last view lets it go.
import { InputError } from '../../errors.js';
import type { SceneObject } from './scene-object.js';

interface Entry {
  object: SceneObject;
  views: Set<string>;
}

export class ObjectStore {
  readonly #entries = new Map<string, Entry>();

  // A new object `id`, held by no view yet.
  add(id: string, object: SceneObject): void {
    if (this.#entries.has(id)) throw new InputError(`object ${id} already exists`);
    this.#entries.set(id, { object, views: new Set() });
  }

  // Forget `id`, which no view shows (a view refused it); the caller frees it.
  discard(id: string): void {
    if (this.#entries.get(id)?.views.size === 0) this.#entries.delete(id);
  }

  get(id: string): SceneObject {
    const entry = this.#entries.get(id);
    if (entry === undefined) {
      throw new InputError(`no object ${id}: it was removed from every view, or the sidecar was restarted`, {
        code: 'not_found',
      });
    }
    return entry.object;
  }

  // The views that show `id`.
  views(id: string): ReadonlySet<string> {
    return this.#entries.get(id)?.views ?? new Set();
  }

  acquire(id: string, view: string): SceneObject {
    const object = this.get(id);
    this.#entries.get(id)!.views.add(view);
    return object;
  }

  // `view` no longer shows `id`; the object when that was the last view (the caller frees it), else null.
  release(id: string, view: string): SceneObject | null {
    const entry = this.#entries.get(id);
    if (entry === undefined || !entry.views.delete(view) || entry.views.size > 0) return null;
    this.#entries.delete(id);
    return entry.object;
  }

  // How many objects are held, for tests of the reference counts.
  get size(): number {
    return this.#entries.size;
  }
}
