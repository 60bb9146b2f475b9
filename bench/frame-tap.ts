// What the page sees of glstream.show() frames: every frame that arrives on a view's direct websocket (its bytes
// and the sidecar's timings), and where the pointer marker is in each frame painted.

// One frame as it arrived: page clock, payload bytes, its type (FrameMeta.mime), size, and the sidecar's timings (ms).
export interface TappedFrame {
  at: number;
  bytes: number;
  mime: string;
  width: number;
  height: number;
  still: boolean;
  timings: { render_ms: number; readback_ms: number; encode_ms: number };
}

// One paint: page clock, the marker's centre in frame pixels (null when the frame shows no marker), and the
// canvas' backing and CSS widths.
export interface MarkerSample {
  at: number;
  x: number | null;
  width: number;
  cssWidth: number;
}

// A pointer move made by the page's driver: its event time and x in CSS px from the canvas' left.
export interface Move {
  t: number;
  x: number;
}

// Init script, as source text (the bundler's helpers would not exist in the page). A WebSocket that also hands
// each FRAME message (kind 5 in the 16-byte header: magic, kind, flags, reserved, meta and payload lengths) of a
// glstream view's socket to window.glsTap, and adds up the bytes a kernel's socket receives in glsKernelBytes
// (frames of widgets that use the comm); and window.glsDraws, images drawn on canvases of the page other than
// glstream's (ipycanvas draws each frame it is sent).
export const PAGE_TAP = `(() => {
  const Native = window.WebSocket;
  window.glsTap = [];
  window.glsKernelBytes = 0;
  window.glsDraws = 0;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      if (String(url).includes('/api/kernels/')) {
        this.addEventListener('message', (event) => {
          const data = event.data;
          window.glsKernelBytes += typeof data === 'string' ? data.length : (data.byteLength ?? data.size ?? 0);
        });
      }
      if (!String(url).includes('/view/')) return;
      this.addEventListener('message', (event) => {
        if (!(event.data instanceof ArrayBuffer) || event.data.byteLength < 16) return;
        const header = new DataView(event.data, 0, 16);
        if (header.getUint8(4) !== 5) return;
        const meta = JSON.parse(new TextDecoder().decode(new Uint8Array(event.data, 16, header.getUint32(8, true))));
        window.glsTap.push({ at: performance.now(), bytes: header.getUint32(12, true), mime: meta.mime,
          width: meta.width, height: meta.height, still: meta.still, timings: meta.timings });
      });
    }
  };
  const drawImage = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    if (this.canvas.isConnected && !this.canvas.classList.contains('glstream-canvas')) window.glsDraws += 1;
    return drawImage.apply(this, args);
  };
})()`;

// In-page, as source text: on each paint of `canvas`, find the red bar of bench/programs/pointer-marker.py in its
// middle row and push it to window.glsMarker.
export const MARKER_PROBE = `(canvas) => {
  window.glsMarker = [];
  const context = canvas.getContext('2d');
  new MutationObserver(() => {
    const at = performance.now();
    const row = context.getImageData(0, canvas.height >> 1, canvas.width, 1).data;
    let sum = 0;
    let count = 0;
    for (let i = 0; i < canvas.width; i += 1) {
      if (row[4 * i] > 150 && row[4 * i + 1] < 90 && row[4 * i + 2] < 90) {
        sum += i;
        count += 1;
      }
    }
    const cssWidth = canvas.getBoundingClientRect().width;
    window.glsMarker.push({ at, x: count === 0 ? null : sum / count, width: canvas.width, cssWidth });
  }).observe(canvas, { attributes: true, attributeFilter: ['data-frames'] });
}`;

// A bar drawn at window x spans x-3..x+2: its centre is half a pixel left of x, and the window x is the canvas x
// rounded down. Three pixels either way is generous; moves are 2 px apart, and the nearest one is taken.
const TOLERANCE_PX = 3;
// Only moves this recent count: the sweep passes the same x again 8 s later, never within this.
const LOOKBACK_MS = 2000;

// Input-to-photon latency of each paint that shows a newer move than the paint before: the paint's time minus
// the time of the move that put the pointer where the marker is.
export function markerLatencies(samples: MarkerSample[], moves: Move[]): number[] {
  const latencies: number[] = [];
  let shown: Move | undefined;
  for (const sample of samples) {
    if (sample.x === null) continue;
    const x = ((sample.x + 0.5) * sample.cssWidth) / sample.width;
    let best: Move | undefined;
    for (const move of moves) {
      if (move.t > sample.at || move.t < sample.at - LOOKBACK_MS) continue;
      if (Math.abs(move.x - x) <= TOLERANCE_PX && (best === undefined || Math.abs(move.x - x) < Math.abs(best.x - x)))
        best = move;
    }
    if (best === undefined || (shown !== undefined && best.t <= shown.t)) continue;
    shown = best;
    latencies.push(sample.at - best.t);
  }
  return latencies;
}

// The value below which `fraction` of the values lie (nearest rank); null when there are none.
export function percentile(values: number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}
