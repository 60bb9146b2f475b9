// The status line (shown while connecting) and the error box (shown when the sidecar failed).

// The two message elements of a view.
export interface StatusElements {
  status: HTMLElement;
  error: HTMLElement;
}

// Create the status line and the error box, both hidden until they have something to say.
export function createStatus(): StatusElements {
  const status = document.createElement('div');
  status.className = 'glstream-status';
  status.setAttribute('role', 'status');
  status.hidden = true;
  const error = document.createElement('div');
  error.className = 'glstream-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;
  return { status, error };
}

// Show each message while it is non-empty.
export function showStatus(elements: StatusElements, status: string, error: string): void {
  elements.status.textContent = status;
  elements.status.hidden = status === '';
  elements.error.textContent = error;
  elements.error.hidden = error === '';
}
