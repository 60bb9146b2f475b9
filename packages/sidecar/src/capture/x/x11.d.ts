// The part of the `x11` package (CommonJS, no types of its own) the X capture uses. Callbacks with a reply get
// (error, value); a callback that returns true marks an X error as handled, so the client does not emit it again.
declare module 'x11' {
  type Reply<T> = (error: Error | null | undefined, value: T) => unknown;
  type Done = (error: Error | null | undefined) => unknown;

  interface Screen {
    root: number;
  }

  interface Display {
    client: Client;
    screen: Screen[];
    min_keycode: number;
    max_keycode: number;
    // 0: LSBFirst, the order GetImage delivers pixels in.
    image_byte_order: number;
  }

  interface Geometry {
    depth: number;
    xPos: number;
    width: number;
    height: number;
    borderWidth: number;
  }

  interface WindowAttributes {
    klass: number;
    // 0 Unmapped, 1 Unviewable, 2 Viewable.
    mapState: number;
  }

  interface Property {
    type: number;
    format: number;
    data: Buffer;
  }

  // The fields of the events the capture reads; `name` tells which they are.
  interface XEvent {
    name: string;
    wid?: number;
    width?: number;
    height?: number;
    borderWidth?: number;
    damage?: number;
    // MappingNotify: what changed (1: the keyboard).
    request?: number;
  }

  interface XError extends Error {
    // The X error code of a protocol error; a socket error has none.
    error?: number;
  }

  interface WindowValues {
    eventMask?: number;
  }

  interface ConfigureValues {
    x?: number;
    y?: number;
    width?: number;
    height?: number;
    stackMode?: number;
  }

  interface Client {
    on(name: 'event', listener: (event: XEvent) => void): this;
    on(name: 'error', listener: (error: XError) => void): this;
    on(name: 'end' | 'close', listener: () => void): this;
    removeListener(name: string, listener: (...args: never[]) => void): this;
    AllocID(): number;
    terminate(): void;
    require<K extends keyof Extensions>(name: K, done: Reply<Extensions[K]>): void;
    GetGeometry(drawable: number, done: Reply<Geometry>): void;
    GetWindowAttributes(window: number, done: Reply<WindowAttributes>): void;
    ChangeWindowAttributes(window: number, values: WindowValues): void;
    ConfigureWindow(window: number, values: ConfigureValues): void;
    TranslateCoordinates(
      source: number,
      target: number,
      x: number,
      y: number,
      done: Reply<{ destX: number; destY: number }>,
    ): void;
    QueryTree(window: number, done: Reply<{ root: number; parent: number; children: number[] }>): void;
    InternAtom(onlyIfExists: boolean, name: string, done: Reply<number>): void;
    GetProperty(
      remove: number,
      window: number,
      property: number,
      type: number,
      offset: number,
      length: number,
      done: Reply<Property>,
    ): void;
    GetKeyboardMapping(first: number, count: number, done: Reply<number[][]>): void;
    ChangeKeyboardMapping(first: number, keysymsPerKeycode: number, keysyms: number[]): void;
    SetInputFocus(window: number, revertTo: number): void;
    FreePixmap(pixmap: number): void;
    GetImage(
      format: number,
      drawable: number,
      x: number,
      y: number,
      width: number,
      height: number,
      planeMask: number,
      done: Reply<{ depth: number; data: Buffer }>,
    ): void;
  }

  interface Composite {
    Redirect: { Automatic: number };
    RedirectWindow(window: number, update: number): void;
    UnredirectWindow(window: number): void;
    NameWindowPixmap(window: number, pixmap: number): void;
  }

  interface Damage {
    ReportLevel: { NonEmpty: number };
    Create(damage: number, drawable: number, level: number): void;
    Destroy(damage: number): void;
    Subtract(damage: number, repair: number, parts: number): void;
  }

  interface XTest {
    FakeInput(type: number, detail: number, time: number, window: number, x: number, y: number): void;
  }

  interface Shm {
    // Whether a segment can be attached at all (the server may list the extension and refuse).
    usable(done: Reply<boolean>): void;
    // Attach the file `fd` (the package passes a duplicate of it) as segment `segment`.
    AttachFd(segment: number, fd: number, readOnly: boolean, done: Done): void;
    Detach(segment: number): void;
    GetImage(
      drawable: number,
      x: number,
      y: number,
      width: number,
      height: number,
      planeMask: number,
      format: number,
      segment: number,
      offset: number,
      done: Reply<{ depth: number; size: number }>,
    ): void;
  }

  interface Res {
    major: number;
    minor: number;
    ClientIdMask: { LocalClientPID: number };
    QueryClientIds(
      specs: { client: number; mask: number }[],
      done: Reply<{ client: number; mask: number; value: number[] }[]>,
    ): void;
  }

  // The extension modules by the name X.require() takes.
  interface Extensions {
    composite: Composite;
    damage: Damage;
    xtest: XTest;
    shm: Shm;
    res: Res;
  }

  function createClient(options: { display?: string }, done: Reply<Display>): Client;
}
