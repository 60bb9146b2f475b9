// The coarse stand-in of big meshes: how much it keeps and that it stays a valid mesh in the same place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cluster, decimate, STAND_IN_MIN_TRIANGLES, STAND_IN_TARGET_TRIANGLES } from '../src/render/stand-in.js';
import { sphere } from '../../../test/support/meshes.js';

test('small meshes get no stand-in', () => {
  const small = sphere(100, 200);
  assert.ok(small.indices.length / 3 <= STAND_IN_MIN_TRIANGLES);
  assert.equal(decimate(small), null);
});

test('a big mesh shrinks to about the target, stays on the surface, and has no degenerate or dangling triangle', () => {
  const big = sphere(400, 800);
  const triangles = big.indices.length / 3;
  const coarse = decimate(big)!;
  const kept = coarse.indices.length / 3;
  assert.ok(
    kept >= STAND_IN_TARGET_TRIANGLES * 0.6 && kept <= STAND_IN_TARGET_TRIANGLES * 1.5,
    `${triangles} triangles became ${kept}`,
  );
  const vertices = coarse.positions.length / 3;
  for (let i = 0; i < coarse.indices.length; i += 3) {
    const [a, b, c] = [coarse.indices[i]!, coarse.indices[i + 1]!, coarse.indices[i + 2]!];
    assert.ok(a < vertices && b < vertices && c < vertices, `triangle ${i / 3} points past the ${vertices} vertices`);
    assert.ok(a !== b && b !== c && a !== c, `triangle ${i / 3} is degenerate`);
  }
  for (let v = 0; v < vertices; v += 1) {
    const radius = Math.hypot(coarse.positions[v * 3]!, coarse.positions[v * 3 + 1]!, coarse.positions[v * 3 + 2]!);
    assert.ok(radius > 0.98 && radius <= 1.0001, `vertex ${v} is ${radius} from the centre of a unit sphere`);
  }
});

test('clustering merges the vertices of one cell at their mean', () => {
  const square = {
    positions: Float32Array.from([0, 0, 0, 0.1, 0, 0, 4, 0, 0, 4, 4, 0]),
    indices: Uint32Array.from([0, 1, 2, 1, 2, 3, 0, 2, 3]),
  };
  const coarse = cluster(square, 2);
  assert.deepEqual([...coarse.positions], [0.05, 0, 0, 4, 0, 0, 4, 4, 0].map(Math.fround));
  assert.deepEqual([...coarse.indices], [0, 1, 2, 0, 1, 2], 'the triangle whose first two corners merged is gone');
});
