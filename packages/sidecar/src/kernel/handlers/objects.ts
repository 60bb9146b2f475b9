// Scene objects (meshes, points, lines, volume slices): made once from the kernel's arrays, shown by any number
// of views, changed in place, freed when no view shows them.
import { InputError } from '../../errors.js';
import { arrayInput } from '../../render/objects/arrays.js';
import { createObject } from '../../render/objects/index.js';
import { finite, record, text } from '../params.js';
import type { Handler } from './index.js';

export const objectHandlers: Record<string, Handler> = {
  async add_object(session, params, buffers) {
    const scene = session.scene(params);
    const id = text(params, 'object');
    const name = text(params, 'name');
    const kind = text(params, 'kind');
    const object = createObject(kind, record(params, 'style'), arrayInput(params['arrays'], buffers));
    session.objects.add(id, object);
    try {
      scene.show(id, name);
    } catch (error) {
      session.objects.discard(id);
      await session.queue.run(async () => object.dispose());
      throw error;
    }
    return { result: { object: id, kind } };
  },

  async show_object(session, params) {
    session.scene(params).show(text(params, 'object'), text(params, 'name'));
    return { result: {} };
  },

  async remove_object(session, params) {
    session.scene(params).hide(text(params, 'object'));
    return { result: {} };
  },

  async update_object(session, params, buffers) {
    const id = text(params, 'object');
    session.objects.get(id).update(record(params, 'style'), arrayInput(params['arrays'], buffers));
    for (const view of session.objects.views(id)) session.scene({ view }).objectChanged();
    return { result: {} };
  },

  async add_scalar_bar(session, params) {
    const title = params['title'] ?? '';
    if (typeof title !== 'string') {
      throw new InputError(`"title" must be a string, got ${JSON.stringify(title)}`, { code: 'invalid_type' });
    }
    session.scene(params).setScalarBar(text(params, 'object'), title);
    return { result: {} };
  },

  async remove_scalar_bar(session, params) {
    session.scene(params).removeScalarBar();
    return { result: {} };
  },

  async pick(session, params) {
    const hit = session.scene(params).pick(finite(params, 'x'), finite(params, 'y'));
    if (hit === null) return { result: { pick: null } };
    const { object, name, kind, index, vertex, position, value } = hit;
    return { result: { pick: { object, name, kind, index, vertex, position, value } } };
  },
};
