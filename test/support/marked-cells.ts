// A test's own notebook of code cells, each found in the page by the marker comment it starts with (`# gears`):
// written into the folder the Jupyter server serves, run cell by cell, and waited on when a cell writes a file.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { waitFor } from './wait.js';

// A cell's marker and the code after it.
export type MarkedCell = [marker: string, source: string];

// The .ipynb text of `cells`, in order.
export function markedNotebook(cells: MarkedCell[]): string {
  const code = cells.map(([marker, source]) => ({
    cell_type: 'code',
    metadata: {},
    execution_count: null,
    outputs: [],
    source: `${marker}\n${source}`,
  }));
  const kernelspec = { name: 'python3', display_name: 'Python 3', language: 'python' };
  return JSON.stringify({ cells: code, metadata: { kernelspec }, nbformat: 4, nbformat_minor: 5 });
}

// When `path` was last written, in ms; 0 while it does not exist.
export function mtime(path: string): number {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

// The cells of the notebook open in `page`, whose files are in `workdir`.
export class MarkedCells {
  readonly #page: Page;
  readonly #workdir: string;

  constructor(page: Page, workdir: string) {
    this.#page = page;
    this.#workdir = workdir;
  }

  cell(marker: string): Locator {
    return this.#page.locator('.jp-CodeCell', { hasText: marker });
  }

  // Run the cell as a user does: click into it, Shift+Enter.
  async run(marker: string): Promise<void> {
    await this.cell(marker).locator('.jp-InputArea-editor').click();
    await this.#page.keyboard.press('Shift+Enter');
  }

  // Run the cell that writes `file` in the notebook's folder, and read it once it is (re)written.
  async produce(marker: string, file: string): Promise<string> {
    const path = join(this.#workdir, file);
    const before = mtime(path);
    await this.run(marker);
    await waitFor(() => mtime(path) > before, 60_000, `the "${marker}" cell to write ${file}`);
    return readFileSync(path, 'utf-8');
  }
}
