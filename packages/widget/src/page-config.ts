// The Jupyter server's websocket URL, as the page announces it. JupyterLab and Notebook 7 pages carry their settings
// as JSON in <script id="jupyter-config-data"> (what @jupyterlab/coreutils' PageConfig reads); hosts that are not
// a Jupyter server's page (VS Code, Colab) have none, and then no websocket through the server is tried.

// The settings this widget uses; both are optional in the script.
export interface PageConfig {
  // The server's base URL, e.g. "/user/ada/" (JupyterHub) or "/".
  baseUrl?: string;
  // The server's websocket URL when it differs from the base URL's.
  wsUrl?: string;
}

// The id of the script element the page's settings are in.
export const CONFIG_ID = 'jupyter-config-data';

// Parse the config script's text: its string fields baseUrl and wsUrl; null when it is not a JSON object.
export function parsePageConfig(text: string): PageConfig | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const { baseUrl, wsUrl } = value as Record<string, unknown>;
  const config: PageConfig = {};
  if (typeof baseUrl === 'string' && baseUrl !== '') config.baseUrl = baseUrl;
  if (typeof wsUrl === 'string' && wsUrl !== '') config.wsUrl = wsUrl;
  return config;
}

// Read the page's config script; null when the page has none (or it is not JSON).
export function readPageConfig(page: Pick<Document, 'getElementById'> = document): PageConfig | null {
  const script = page.getElementById(CONFIG_ID);
  return script === null ? null : parsePageConfig(script.textContent ?? '');
}

// The server's websocket base URL for a page at `pageUrl`: wsUrl as given, else baseUrl with http(s) turned into
// ws(s), either resolved against the page; '' when the page has no config (or names no http(s) server).
export function serverWsUrl(config: PageConfig | null, pageUrl: string): string {
  if (config === null) return '';
  try {
    if (config.wsUrl !== undefined) {
      const url = new URL(config.wsUrl, pageUrl);
      return url.protocol === 'ws:' || url.protocol === 'wss:' ? url.href : '';
    }
    const url = new URL(config.baseUrl ?? '/', pageUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return '';
    return `ws${url.href.slice('http'.length)}`;
  } catch {
    return '';
  }
}
