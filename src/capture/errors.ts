// Typed capture errors with stable codes; the CLI maps them to exit statuses and messages.

export type CaptureErrorCode = 'not_a_capture' | 'unreadable' | 'truncated' | 'corrupt';

export class CaptureError extends Error {
  constructor(
    readonly code: CaptureErrorCode,
    message: string,
    readonly packetsRead = 0,
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}
