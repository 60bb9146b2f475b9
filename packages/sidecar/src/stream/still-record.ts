// The picture a saved notebook keeps of a view (its output's PNG fallback): the last still the view sent, with the
// version of the view's content it shows. Anything that changes the picture bumps the version, so the kernel
// asks for a new picture only after a change, and gets the still already encoded for the widget when there is one.
export interface Still {
  version: number;
  mime: 'image/png' | 'image/jpeg';
  payload: Uint8Array;
}

export class StillRecord {
  #version = 1;
  #kept: Still | null = null;

  get version(): number {
    return this.#version;
  }

  changed(): void {
    this.#version += 1;
  }

  // A still was made of the content at `still.version`; one made before the latest change is already stale.
  keep(still: Still): void {
    if (still.version === this.#version) this.#kept = still;
  }

  // The kept still, when it shows the content as it is now.
  current(): Still | null {
    return this.#kept?.version === this.#version ? this.#kept : null;
  }
}
