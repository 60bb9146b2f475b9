// Triangle meshes in a view's scene, sent as two raw buffers: float32 vertices and uint32 faces.
import { InputError } from '../../errors.js';
import { buildMesh } from '../../render/mesh.js';
import { arraySpec, text } from '../params.js';
import type { Handler } from './index.js';

export const meshHandlers: Record<string, Handler> = {
  async add_mesh(session, params, buffers) {
    const scene = session.scene(params);
    const name = text(params, 'mesh');
    const [vertexBytes, faceBytes] = buffers;
    if (vertexBytes === undefined || faceBytes === undefined) {
      throw new InputError('add_mesh needs two buffers: vertices and faces');
    }
    const vertices = arraySpec(params, 'vertices');
    const faces = arraySpec(params, 'faces');
    scene.addMesh(name, buildMesh(vertices, vertexBytes, faces, faceBytes, text(params, 'color')));
    return { result: { mesh: name, triangles: faceBytes.byteLength / 12 } };
  },

  async remove_mesh(session, params) {
    session.scene(params).removeMesh(text(params, 'mesh'), text(params, 'view'));
    return { result: {} };
  },
};
