// Turn any thrown value into the {name, message, hint} an error reply carries.
import { GlstreamError } from './errors.js';

// The fields of an error reply; the message includes the chain of causes.
export interface ErrorReply {
  name: string;
  message: string;
  hint?: string;
}

// Describe `error` for the kernel.
export function describeError(error: unknown): ErrorReply {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const causes: string[] = [];
  for (let cause = error.cause; cause instanceof Error; cause = cause.cause) causes.push(cause.message);
  const message = causes.length === 0 ? error.message : `${error.message} (caused by: ${causes.join('; ')})`;
  const reply: ErrorReply = { name: error.name, message };
  if (error instanceof GlstreamError && error.hint !== undefined) reply.hint = error.hint;
  return reply;
}
