// Open a notebook in JupyterLab (or Notebook 7) and run its cells from the Run menu, as a user would.
import type { Locator, Page } from 'playwright-core';
import type { JupyterApp } from './jupyter-server.js';

// The kernel's state in JupyterLab's status bar, once it reads `state`.
export function kernelStatus(page: Page, state: 'Idle' | 'Busy'): Locator {
  return page.getByText(new RegExp(`Python 3 \\(ipykernel\\) \\| ${state}`));
}

// Go to the notebook at `url` and wait until it is shown and its kernel is idle: JupyterLab says so in its status
// bar, Notebook 7 (which has none) in the notebook toolbar's execution indicator.
export async function openNotebook(page: Page, url: string, app: JupyterApp = 'lab'): Promise<void> {
  await page.goto(url);
  await page.locator('.jp-Notebook').waitFor({ timeout: 60_000 });
  const idle =
    app === 'lab' ? kernelStatus(page, 'Idle') : page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]');
  await idle.waitFor({ timeout: 60_000 });
}

// Choose the Run menu's item whose whole label matches `item`.
export async function runMenu(page: Page, item: RegExp): Promise<void> {
  await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: item }).click();
}

// Open the notebook at `url` and run all its cells.
export async function runNotebook(page: Page, url: string, app: JupyterApp = 'lab'): Promise<void> {
  await openNotebook(page, url, app);
  await page.locator('.jp-Notebook .jp-Cell').first().click();
  await runMenu(page, /^Run All Cells$/);
}

// A code cell of a notebook file (nbformat 4) holding `source`.
export const codeCell = (source: string) => ({
  cell_type: 'code',
  execution_count: null,
  metadata: {},
  outputs: [],
  source,
});

// Python lines for a cell: `vertices` and `faces` of a unit cube wound outwards (with numpy imported as np).
export const CUBE_PY = [
  'vertices = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0],',
  '                     [0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]], dtype=np.float32)',
  'faces = np.array([[0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7], [0, 1, 5], [0, 5, 4],',
  '                  [2, 3, 7], [2, 7, 6], [1, 2, 6], [1, 6, 5], [0, 4, 7], [0, 7, 3]])',
];
