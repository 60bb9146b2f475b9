// A view's colour legend: the lut of one object as a vertical bar at the right edge, its clim at the ends and
// middle, and a title, drawn over the view's picture in an orthographic pass of its own.
import sharp from 'sharp';
import * as THREE from 'three';
import type { ColorScale, DrawContext } from './objects/scene-object.js';

// Sizes in CSS pixels (times the draw context's pixel scale).
const BAR_WIDTH = 16;
const MARGIN = 12;
const GAP = 6;
const FRAME = 1;
const OUTLINE = 1;
// The bar's share of the view's height.
const BAR_SHARE = 0.5;
// Pango fonts; at 72 dpi a point is a pixel, so the sizes are CSS pixels.
const LABEL_FONT = 'sans 11';
const TITLE_FONT = 'sans bold 12';
const FRAME_COLOR = 0x808080;

// Text rasterised for one pixel scale: linear-light RGBA floats, bottom row first (a DataTexture's order).
interface Raster {
  data: Float32Array<ArrayBuffer>;
  width: number;
  height: number;
}

// The rasters of one set of texts, and what they were made for.
interface Texts {
  key: string;
  pixelScale: number;
  title: Raster | null;
  labels: Raster[];
}

type Quad = THREE.Mesh<THREE.PlaneGeometry, THREE.MeshBasicMaterial>;

// A quad showing a raster, and the raster's size in pixels at the pixel scale it was made for.
interface TextQuad {
  quad: Quad;
  width: number;
  height: number;
}

// sRGB byte to linear light.
const LINEAR = Float32Array.from({ length: 256 }, (_, byte) => {
  const c = byte / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});

export class ScalarBar {
  readonly #title: string;
  #scale: ColorScale;
  readonly #scene = new THREE.Scene();
  readonly #camera = new THREE.OrthographicCamera(0, 1, 1, 0, -1, 1);
  // One unit square with its origin at the bottom-left corner, scaled and placed for every quad.
  readonly #square = new THREE.PlaneGeometry(1, 1).translate(0.5, 0.5, 0);
  // The lut as linear-light floats: headless-gl has no EXT_sRGB, and three's fallback for an sRGB texture
  // decodes it to 8-bit linear on the CPU, which crushes the dark entries.
  readonly #lutFloats = new Float32Array(256 * 4);
  readonly #lut = new THREE.DataTexture(this.#lutFloats, 1, 256, THREE.RGBAFormat, THREE.FloatType);
  readonly #bar: Quad;
  readonly #frame: Quad;
  #titleQuad: TextQuad | null = null;
  #labels: TextQuad[] = [];
  // The key and pixel scale of the texts in the scene, the newest rasterisation asked for, and rasters made but
  // not yet shown.
  #shown = '';
  #textScale = 1;
  #request: { key: string; done: Promise<void> } | null = null;
  #ready: Texts | null = null;

  constructor(scale: ColorScale, title: string) {
    this.#scale = scale;
    this.#title = title;
    this.#lut.magFilter = THREE.LinearFilter;
    this.#lut.minFilter = THREE.LinearFilter;
    // Map the bar's ends to the centres of the first and last entries, so they show lut[0] and lut[255].
    this.#lut.repeat.set(1, 255 / 256);
    this.#lut.offset.set(0, 0.5 / 256);
    this.#frame = this.#quad(new THREE.MeshBasicMaterial({ color: FRAME_COLOR }));
    this.#bar = this.#quad(new THREE.MeshBasicMaterial({ map: this.#lut }));
    this.#frame.renderOrder = 0;
    this.#bar.renderOrder = 1;
    this.update(scale);
  }

  // The object's lut or clim changed; the labels follow at the next prepare().
  update(scale: ColorScale): void {
    this.#scale = scale;
    const floats = this.#lutFloats;
    for (let i = 0; i < 256; i++) {
      for (let c = 0; c < 3; c++) floats[i * 4 + c] = LINEAR[scale.lut[i * 3 + c]!]!;
      floats[i * 4 + 3] = 1;
    }
    this.#lut.needsUpdate = true;
  }

  // Rasterise the title and labels for `pixelScale` device pixels per CSS pixel unless that is done (sharp runs
  // off the GL thread; nothing here touches GL, so it may run outside the GL queue). The next draw() shows them,
  // scaled to its own pixel scale when that differs (sharp at equal scales, softer otherwise).
  prepare(pixelScale: number): Promise<void> {
    const labels = labelTexts(this.#scale.clim);
    const key = JSON.stringify([pixelScale, labels]);
    if (this.#request?.key !== key) this.#request = { key, done: this.#rasterise(key, labels, pixelScale) };
    return this.#request.done;
  }

  // Draw the bar over what `three` last drew (its default framebuffer, at context's size), without clearing it.
  draw(three: THREE.WebGLRenderer, context: DrawContext): void {
    this.#showTexts();
    this.#place(context);
    const autoClear = three.autoClear;
    three.autoClear = false;
    try {
      three.render(this.#scene, this.#camera);
    } finally {
      three.autoClear = autoClear;
    }
  }

  // Free the textures, materials and geometry (on the GL queue).
  dispose(): void {
    this.#dropTexts();
    this.#lut.dispose();
    this.#bar.material.dispose();
    this.#frame.material.dispose();
    this.#square.dispose();
  }

  async #rasterise(key: string, labels: string[], pixelScale: number): Promise<void> {
    try {
      const [title, ...rasters] = await Promise.all([
        this.#title === '' ? null : rasterise(this.#title, TITLE_FONT, pixelScale),
        ...labels.map((text) => rasterise(text, LABEL_FONT, pixelScale)),
      ]);
      // A later prepare() asked for other texts meanwhile: its rasters win.
      if (this.#request?.key === key) {
        this.#ready = { key, pixelScale, title: title ?? null, labels: rasters as Raster[] };
      }
    } catch (error) {
      // Let the next prepare() try again.
      if (this.#request?.key === key) this.#request = null;
      throw error;
    }
  }

  // Swap in the newest rasters, freeing the textures they replace.
  #showTexts(): void {
    const ready = this.#ready;
    if (ready === null || ready.key === this.#shown) return;
    this.#dropTexts();
    this.#titleQuad = ready.title === null ? null : this.#textQuad(ready.title);
    this.#labels = ready.labels.map((raster) => this.#textQuad(raster));
    this.#shown = ready.key;
    this.#textScale = ready.pixelScale;
    this.#ready = null;
  }

  #dropTexts(): void {
    for (const { quad } of [...this.#labels, ...(this.#titleQuad === null ? [] : [this.#titleQuad])]) {
      this.#scene.remove(quad);
      quad.material.map?.dispose();
      quad.material.dispose();
    }
    this.#labels = [];
    this.#titleQuad = null;
  }

  #quad(material: THREE.MeshBasicMaterial): Quad {
    material.depthTest = false;
    material.depthWrite = false;
    material.toneMapped = false;
    const quad = new THREE.Mesh(this.#square, material);
    this.#scene.add(quad);
    return quad;
  }

  // A quad showing `raster`. Drawn at the scale it was made for, it lies on whole pixels, texel for pixel, and
  // linear filtering then reads each texel exactly.
  #textQuad(raster: Raster): TextQuad {
    const texture = new THREE.DataTexture(raster.data, raster.width, raster.height, THREE.RGBAFormat, THREE.FloatType);
    texture.magFilter = THREE.LinearFilter;
    texture.minFilter = THREE.LinearFilter;
    texture.needsUpdate = true;
    const quad = this.#quad(new THREE.MeshBasicMaterial({ map: texture, transparent: true }));
    quad.renderOrder = 2;
    return { quad, width: raster.width, height: raster.height };
  }

  // Lay the quads out in device pixels for this draw: the bar at the right edge, centred vertically, its labels
  // to the left (min at the bottom), the title above, right-aligned with the bar.
  #place({ width, height, pixelScale }: DrawContext): void {
    this.#camera.right = width;
    this.#camera.top = height;
    this.#camera.updateProjectionMatrix();
    const px = (css: number) => Math.max(1, Math.round(css * pixelScale));
    const barWidth = px(BAR_WIDTH);
    const barHeight = Math.max(1, Math.round(height * BAR_SHARE));
    const frame = px(FRAME);
    const left = width - px(MARGIN) - barWidth;
    const bottom = Math.round((height - barHeight) / 2);
    this.#bar.position.set(left, bottom, 0);
    this.#bar.scale.set(barWidth, barHeight, 1);
    this.#frame.position.set(left - frame, bottom - frame, 0);
    this.#frame.scale.set(barWidth + 2 * frame, barHeight + 2 * frame, 1);
    const textScale = pixelScale / this.#textScale;
    const size = ({ quad, width, height }: TextQuad) => {
      quad.scale.set(width * textScale, height * textScale, 1);
      return quad;
    };
    let labelTop = bottom + barHeight;
    this.#labels.forEach((label, i) => {
      const quad = size(label);
      const y = Math.round(bottom + (barHeight * i) / 2 - quad.scale.y / 2);
      quad.position.set(left - frame - px(GAP) - quad.scale.x, y, 0);
      labelTop = Math.max(labelTop, y + quad.scale.y);
    });
    if (this.#titleQuad !== null) {
      const quad = size(this.#titleQuad);
      quad.position.set(left + barWidth - quad.scale.x, labelTop + px(GAP), 0);
    }
  }
}

// The labels of clim's min, middle and max.
function labelTexts([lo, hi]: [number, number]): string[] {
  return [lo, (lo + hi) / 2, hi].map(formatValue);
}

// A value to 4 significant digits without trailing zeros: 0.5, 1234, 1.235e+5, 1e-7.
export function formatValue(value: number): string {
  const [mantissa, exponent] = value.toPrecision(4).split('e') as [string, string | undefined];
  const trimmed = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
  const text = exponent === undefined ? trimmed : `${trimmed}e${exponent}`;
  return text === '-0' ? '0' : text;
}

// White text with a dark outline (readable on any background), rasterised by Pango at `pixelScale`.
async function rasterise(text: string, font: string, pixelScale: number): Promise<Raster> {
  const markup = `<span foreground="white">${escapeMarkup(text)}</span>`;
  const { data, info } = await sharp({ text: { text: markup, font, dpi: Math.round(72 * pixelScale), rgba: true } })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return outlined(data, info.width, info.height, Math.max(1, Math.round(OUTLINE * pixelScale)));
}

function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// Put a black outline `radius` pixels wide around the text's coverage (its alpha) and turn the result into a
// raster: the text over the outline, padded by the radius, rows flipped to bottom-up.
function outlined(rgba: Uint8Array, width: number, height: number, radius: number): Raster {
  const outWidth = width + 2 * radius;
  const outHeight = height + 2 * radius;
  const coverage = (x: number, y: number) =>
    x < 0 || y < 0 || x >= width || y >= height ? 0 : rgba[(y * width + x) * 4 + 3]! / 255;
  const data = new Float32Array(outWidth * outHeight * 4);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const text = coverage(x - radius, y - radius);
      let outline = 0;
      for (let dy = -radius; dy <= radius; dy++) {
        for (let dx = -radius; dx <= radius; dx++) {
          if (dx * dx + dy * dy <= radius * radius + 1)
            outline = Math.max(outline, coverage(x - radius + dx, y - radius + dy));
        }
      }
      const alpha = text + outline * (1 - text);
      const grey = alpha === 0 ? 0 : LINEAR[Math.round((255 * text) / alpha)]!;
      const i = ((outHeight - 1 - y) * outWidth + x) * 4;
      data[i] = grey;
      data[i + 1] = grey;
      data[i + 2] = grey;
      data[i + 3] = alpha;
    }
  }
  return { data, width: outWidth, height: outHeight };
}
