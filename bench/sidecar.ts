// The built sidecar (`dist/cli.js serve --stdio`) as the kernel runs it, for the benchmarks that need the whole
// process: started, then shown a scene.
import { SidecarClient } from '../test/support/sidecar-client.js';
import type { SceneArrays } from './meshes.js';

// Spawn, greet and start a built sidecar; the big scenes make its requests slow, so it is given a minute each.
export async function startSidecar(): Promise<SidecarClient> {
  const sidecar = new SidecarClient({ entry: 'built', timeoutMs: 60_000 });
  await sidecar.start();
  return sidecar;
}

// Create `view` at width x height showing `arrays`.
export async function show(
  sidecar: SidecarClient,
  view: string,
  arrays: SceneArrays,
  width: number,
  height: number,
): Promise<void> {
  sidecar.resultOf(await sidecar.call('create_view', { view, width, height, background: '#1e1e1e' }));
  sidecar.resultOf(await sidecar.addMesh(view, 'm', '#44aa88', arrays));
}
