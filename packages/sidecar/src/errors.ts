// Errors the sidecar reports to the kernel. Each carries a code from the protocol's list, which the kernel maps to
// one of its exception classes; the class name of a JavaScript error never crosses the wire.
import type { ErrorCode } from '@glstream/protocol';

// What may come with an error: what caused it, and the fix for the user.
export interface ErrorOptions {
  cause?: unknown;
  hint?: string;
}

// A failure the sidecar expected, with its code and, when there is one, a remedy the user can apply.
export class GlstreamError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GlstreamError';
    this.code = code;
    this.hint = options.hint;
  }
}

// No usable display or GL context could be obtained.
export class DisplayError extends GlstreamError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('display_unavailable', message, options);
    this.name = 'DisplayError';
  }
}

// The window a view showed was closed, or its program ended: the view makes no more frames.
export class SourceGoneError extends GlstreamError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('source_gone', message, options);
    this.name = 'SourceGoneError';
  }
}

// The codes of bad input: a wrong value, a wrong type, an index past the end, a name that refers to nothing.
export type InputCode = 'invalid_argument' | 'invalid_type' | 'out_of_range' | 'not_found';

// Bad input from the kernel or a widget; `invalid_argument` unless said otherwise.
export class InputError extends GlstreamError {
  constructor(message: string, options: ErrorOptions & { code?: InputCode } = {}) {
    super(options.code ?? 'invalid_argument', message, options);
    this.name = 'InputError';
  }
}

// The fields of an error reply.
export interface ErrorReply {
  code: ErrorCode;
  message: string;
  hint?: string;
}

// Describe `error` for the kernel, with its chain of causes. Anything but a GlstreamError is a bug of the sidecar:
// code `internal`, so the kernel does not blame the user's arguments for it.
export function errorReply(error: unknown): ErrorReply {
  if (!(error instanceof Error)) return { code: 'internal', message: `the sidecar failed: ${String(error)}` };
  const causes: string[] = [];
  for (let cause = error.cause; cause instanceof Error; cause = cause.cause) causes.push(cause.message);
  const text = causes.length === 0 ? error.message : `${error.message} (caused by: ${causes.join('; ')})`;
  if (!(error instanceof GlstreamError))
    return { code: 'internal', message: `the sidecar failed: ${error.name}: ${text}` };
  return error.hint === undefined
    ? { code: error.code, message: text }
    : { code: error.code, message: text, hint: error.hint };
}
