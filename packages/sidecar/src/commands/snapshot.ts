// `glstream snapshot --demo`: render the demo scene to a PNG, no Jupyter involved.
import { writeFile } from 'node:fs/promises';
import { addDemo } from '../render/demo-scene.js';
import { obtainDisplay } from '../display/index.js';
import { Renderer } from '../render/renderer.js';
import { SceneView } from '../render/view.js';
import { encode } from '../stream/encode.js';

// Render the demo at width x height into `out`; the display is torn down afterwards.
export async function snapshotDemo(width: number, height: number, out: string): Promise<void> {
  const { display } = await obtainDisplay();
  try {
    const renderer = new Renderer(width, height);
    try {
      const view = new SceneView('#1e1e1e');
      addDemo(view);
      await writeFile(out, await encode(renderer.render(view, width, height), 'image/png'));
      view.dispose();
    } finally {
      renderer.dispose();
    }
  } finally {
    await display.stop();
  }
}
