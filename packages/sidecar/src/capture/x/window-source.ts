// Frames of an existing program's X window, and input sent back to it. Composite keeps the window's whole
// picture off-screen even where it is covered or off the screen, Damage says when it changed (an idle window
// costs nothing), MIT-SHM reads it, XTEST fakes the input.
import type { KeyInput, PointerInput, WheelInput } from '@glstream/protocol';
import type { XEvent } from 'x11';
import { GlstreamError, InputError, SourceGoneError } from '../../errors.js';
import { clampSide } from '../../stream/live-view.js';
import type { Canvas, FrameRequest, FrameSource, Grab, InputEffect, SourceEvents } from '../../stream/source.js';
import { useX, type XConnection } from './connection.js';
import { fake, MOTION, type Place } from './input.js';
import { type Keyboard, keyboardOf } from './keyboard.js';
import { PixelReader } from './pixel-reader.js';
import { RgbaBuffers } from './rgba-buffers.js';
import { bgrxToRgba } from './swizzle.js';
import { windowName } from './window-name.js';

// What the view may ask for when it opens the capture: the window's size in CSS pixels.
export interface XWindowOptions {
  width?: number;
  height?: number;
}

// A burst of canvas resizes (the user drags the cell's edge) becomes one ConfigureWindow, this long after the
// last: a GL program reallocates its buffers on each.
const RESIZE_DEBOUNCE_MS = 100;
const VIEWABLE = 2;
const INPUT_ONLY = 2;
const STACK_ABOVE = 0;
const REVERT_TO_POINTER_ROOT = 1;

// The window's named off-screen pixmap and the size of the window in it (inside its border).
interface Named {
  id: number;
  width: number;
  height: number;
  border: number;
}

// Open a capture of window `id`: fails with code not_found when there is no such window, or it is not shown.
export function openXWindow(id: number, events: SourceEvents, options: XWindowOptions = {}): Promise<XWindowSource> {
  return XWindowSource.open(id, events, options);
}

// One window of the display as a frame source (kind 'x').
export class XWindowSource implements FrameSource {
  readonly kind = 'x';
  readonly window: number;
  readonly #x: XConnection;
  readonly #done: () => void;
  readonly #events: SourceEvents;
  readonly #reader: PixelReader;
  readonly #damage: number;
  readonly #stopListening: (() => void)[];
  #keyboard: Keyboard | null = null;
  #place: Place = { x: 0, y: 0, width: 0, height: 0 };
  #border = 0;
  #named: Named | null = null;
  #stale = true;
  #started = false;
  #gone: GlstreamError | null = null;
  #disposed = false;
  #changeQueued = false;
  #resizeTimer: NodeJS.Timeout | undefined;
  #lastGrab: Promise<unknown> = Promise.resolve();
  readonly #rgba = new RgbaBuffers();

  private constructor(x: XConnection, done: () => void, window: number, events: SourceEvents) {
    this.#x = x;
    this.#done = done;
    this.window = window;
    this.#events = events;
    this.#reader = new PixelReader(x);
    this.#stopListening = [
      x.onEvent((event) => this.#onEvent(event)),
      x.onEnd((error) =>
        this.#lose(
          new SourceGoneError(`${windowName(window)} can no longer be captured: ${error.message}`, { cause: error }),
        ),
      ),
    ];
    // Select its events (and redirect it) before looking at it, so a close after the look is heard.
    x.holdWindow(window);
    this.#damage = x.client.AllocID();
    x.ext.damage.Create(this.#damage, window, x.ext.damage.ReportLevel.NonEmpty);
  }

  static async open(id: number, events: SourceEvents, options: XWindowOptions): Promise<XWindowSource> {
    if (!Number.isInteger(id) || id <= 0 || id > 0xffffffff)
      throw new InputError(`a window id is a positive 32-bit integer, not ${id}`);
    const { x, done } = await useX();
    const source = new XWindowSource(x, done, id, events);
    try {
      await source.#start(options);
    } catch (error) {
      await source.dispose();
      throw error;
    }
    return source;
  }

  // The window's size inside its border, in pixels.
  get size(): { width: number; height: number } {
    return { width: this.#place.width, height: this.#place.height };
  }

  grab(_request: FrameRequest, signal?: AbortSignal): Promise<Grab> {
    // One grab at a time: they share the segment.
    const grab = this.#lastGrab.then(() => {
      if (signal?.aborted) throw signal.reason;
      return this.#grab();
    });
    this.#lastGrab = grab.catch(() => undefined);
    return grab;
  }

  input(event: PointerInput | WheelInput | KeyInput, canvas: Canvas): InputEffect {
    if (!this.#started || this.#gone !== null || this.#disposed) return 'none';
    const keyboard = this.#keyboard!;
    const { focus, fakes } = fake(event, canvas, this.#place, (keysym) => keyboard.stroke(keysym));
    const { client, ext, root } = this.#x;
    if (focus) {
      // XTEST input goes to whatever is on top where the pointer is, and keys to the focus.
      if (event.type === 'pointer') client.ConfigureWindow(this.window, { stackMode: STACK_ABOVE });
      client.SetInputFocus(this.window, REVERT_TO_POINTER_ROOT);
    }
    for (const { type, detail, x, y } of fakes) ext.xtest.FakeInput(type, detail, 0, type === MOTION ? root : 0, x, y);
    // The window shows the effect when it redraws, which Damage reports.
    return fakes.length === 0 ? 'none' : 'later';
  }

  resize(width: number, height: number, _dpr: number): void {
    if (this.#gone !== null || this.#disposed) return;
    clearTimeout(this.#resizeTimer);
    this.#resizeTimer = setTimeout(() => this.#configure(width, height), RESIZE_DEBOUNCE_MS);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    clearTimeout(this.#resizeTimer);
    for (const stop of this.#stopListening) stop();
    try {
      this.#reader.free();
      if (this.#x.ended === null) {
        this.#x.ext.damage.Destroy(this.#damage);
        if (this.#named !== null) this.#x.client.FreePixmap(this.#named.id);
        this.#x.releaseWindow(this.window);
      }
    } catch (error) {
      console.error(`glstream: could not release ${windowName(this.window)}:`, error);
    } finally {
      this.#named = null;
      this.#done();
    }
  }

  async #start(options: XWindowOptions): Promise<void> {
    const { client, root } = this.#x;
    // An X error here means the window does not exist (any more).
    const missing = (cause: unknown) => {
      throw cause instanceof GlstreamError
        ? cause
        : new InputError(`there is no ${windowName(this.window)}`, { code: 'not_found', cause });
    };
    const [attributes, geometry] = await Promise.all([
      this.#x.ask(client, 'GetWindowAttributes', this.window),
      this.#x.ask(client, 'GetGeometry', this.window),
    ]).catch(missing);
    if (attributes.klass === INPUT_ONLY)
      throw new InputError(`${windowName(this.window)} has no pixels (it is InputOnly)`, { code: 'not_found' });
    if (attributes.mapState !== VIEWABLE)
      throw new InputError(`${windowName(this.window)} is not shown (not mapped, or inside an unmapped window)`, {
        code: 'not_found',
      });
    if (this.#x.imageByteOrder !== 0)
      throw new GlstreamError('display_unavailable', `the X display ${this.#x.name} sends pixels MSB first`, {
        hint: 'glstream captures windows of X servers on little-endian machines (x86, ARM)',
      });
    this.#keyboard = await keyboardOf(this.#x);
    const origin = await this.#x.ask(client, 'TranslateCoordinates', this.window, root, 0, 0).catch(missing);
    this.#place = { x: origin.destX, y: origin.destY, width: geometry.width, height: geometry.height };
    this.#border = geometry.borderWidth;
    if (this.#gone !== null) throw this.#gone;
    this.#started = true;
    if (options.width !== undefined && options.height !== undefined) this.#configure(options.width, options.height);
  }

  async #grab(): Promise<Grab> {
    if (this.#gone !== null) throw this.#gone;
    if (this.#disposed) throw new SourceGoneError(`the capture of ${windowName(this.window)} was closed`);
    const start = performance.now();
    let named: Named;
    let bgrx: Uint8Array;
    try {
      named = await this.#pixmap();
      bgrx = await this.#reader.read(named.id, named.border, named.border, named.width, named.height);
    } catch (error) {
      throw await this.#failure(error);
    }
    const grabbed = performance.now();
    const count = named.width * named.height;
    const { buffer, release } = this.#rgba.take(count * 4);
    bgrxToRgba(bgrx, new Uint32Array(buffer, 0, count), count);
    return {
      pixels: { data: new Uint8Array(buffer, 0, count * 4), width: named.width, height: named.height },
      rows: 'top-down',
      render_ms: grabbed - start,
      readback_ms: performance.now() - grabbed,
      standIn: false,
      release,
    };
  }

  // The pixmap that holds the window's picture, named again after a resize gave the window a new one.
  async #pixmap(): Promise<Named> {
    if (this.#named !== null && !this.#stale) return this.#named;
    const { client, ext } = this.#x;
    if (this.#named !== null) client.FreePixmap(this.#named.id);
    this.#named = null;
    this.#stale = false;
    const id = client.AllocID();
    ext.composite.NameWindowPixmap(this.window, id);
    // Its real size: a resize the server made before naming it may not have been heard yet.
    const geometry = await this.#x.ask(client, 'GetGeometry', id);
    if (geometry.depth !== 24 && geometry.depth !== 32) {
      client.FreePixmap(id);
      throw new InputError(`${windowName(this.window)} has ${geometry.depth}-bit pixels; glstream reads 24 and 32`);
    }
    const border = this.#border;
    this.#named = { id, width: geometry.width - 2 * border, height: geometry.height - 2 * border, border };
    return this.#named;
  }

  // The error a failed grab rejects with: the window's end if that was the cause.
  async #failure(error: unknown): Promise<Error> {
    if (error instanceof GlstreamError) return this.#gone ?? error;
    if (this.#gone === null) {
      const attributes = await this.#x.ask(this.#x.client, 'GetWindowAttributes', this.window).catch(() => null);
      if (attributes === null || attributes.mapState !== VIEWABLE) this.#lose(this.#closed('was closed'));
    }
    return this.#gone ?? new GlstreamError('internal', `could not grab ${windowName(this.window)}`, { cause: error });
  }

  #configure(width: number, height: number): void {
    if (this.#gone !== null || this.#disposed || !Number.isFinite(width) || !Number.isFinite(height)) return;
    // no larger than the live view's largest frame
    const size = { width: clampSide(width), height: clampSide(height) };
    if (size.width === this.#place.width && size.height === this.#place.height) return;
    this.#x.client.ConfigureWindow(this.window, size);
  }

  #onEvent(event: XEvent): void {
    if (event.name === 'DamageNotify') {
      if (event.damage !== this.#damage) return;
      // Subtracting the damage re-arms the report of the next change.
      this.#x.ext.damage.Subtract(this.#damage, 0, 0);
      this.#changeSoon();
    } else if (event.wid !== this.window) {
      return;
    } else if (event.name === 'DestroyNotify') {
      this.#lose(this.#closed('was closed'));
    } else if (event.name === 'UnmapNotify') {
      this.#unmapped();
    } else if (event.name === 'ConfigureNotify') {
      this.#configured(event);
    }
  }

  // A ConfigureNotify: a new size gives the window a new pixmap; a move changes where its input goes.
  #configured(event: XEvent): void {
    const width = event.width ?? this.#place.width;
    const height = event.height ?? this.#place.height;
    const border = event.borderWidth ?? this.#border;
    if (width !== this.#place.width || height !== this.#place.height || border !== this.#border) this.#stale = true;
    this.#place = { ...this.#place, width, height };
    this.#border = border;
    const { client, root } = this.#x;
    this.#x.ask(client, 'TranslateCoordinates', this.window, root, 0, 0).then(
      (origin) => {
        this.#place = { ...this.#place, x: origin.destX, y: origin.destY };
      },
      // The window closed meanwhile: its DestroyNotify says so.
      () => {},
    );
  }

  // An UnmapNotify: the window was hidden, or is being destroyed (a DestroyNotify follows), or is being reparented
  // by a window manager (a MapNotify follows). Asking after it tells them apart.
  #unmapped(): void {
    // Unmapping frees the window's pixmap; shown again, it has a new one.
    this.#stale = true;
    this.#x.ask(this.#x.client, 'GetWindowAttributes', this.window).then(
      (attributes) => {
        if (attributes.mapState !== VIEWABLE) this.#lose(this.#closed('was hidden (unmapped)'));
      },
      () => this.#lose(this.#closed('was closed')),
    );
  }

  // Tell the view once per turn of the event loop, however many damage reports came in it.
  #changeSoon(): void {
    if (this.#changeQueued || !this.#started) return;
    this.#changeQueued = true;
    setImmediate(() => {
      this.#changeQueued = false;
      if (this.#gone === null && !this.#disposed) this.#events.changed();
    });
  }

  #closed(what: string): SourceGoneError {
    return new SourceGoneError(`${windowName(this.window)} ${what}: its program closed it or ended`, {
      hint: 'start the program again and show its window with glstream.show()',
    });
  }

  #lose(error: GlstreamError): void {
    if (this.#gone !== null) return;
    this.#gone = error;
    clearTimeout(this.#resizeTimer);
    if (this.#started && !this.#disposed) this.#events.gone(error);
  }
}
