// Errors the sidecar reports to the kernel: a name the shim maps to a Python exception, and a fix.

// A failure with a remedy the user can apply.
export class GlstreamError extends Error {
  readonly hint: string | undefined;

  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GlstreamError';
    this.hint = options.hint;
  }
}

// No usable display or GL context could be obtained.
export class DisplayError extends GlstreamError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, options);
    this.name = 'DisplayError';
  }
}

// Bad arguments from the kernel; mapped to Python's ValueError.
export class InputError extends GlstreamError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, options);
    this.name = 'ValueError';
  }
}
