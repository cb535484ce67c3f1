import type { PyErrorInfo } from './bridge-protocol.ts';

/**
 * A Python exception raised by a built-in program or by the socket layer. It prints as the
 * last line of CPython's traceback: `ConnectionRefusedError: [Errno 111] Connection refused`.
 */
export class PyException extends Error {
  constructor(
    readonly pyType: string,
    readonly pyMessage: string,
    readonly errno?: number,
  ) {
    super(formatPyError(pyType, pyMessage, errno));
    this.name = pyType;
  }

  static from(info: PyErrorInfo): PyException {
    return new PyException(info.type, info.msg, info.errno);
  }

  toInfo(): PyErrorInfo {
    return this.errno === undefined
      ? { type: this.pyType, msg: this.pyMessage }
      : { type: this.pyType, errno: this.errno, msg: this.pyMessage };
  }

  /** The traceback's last line, as CPython prints it. */
  override toString(): string {
    return this.message;
  }
}

export function formatPyError(type: string, msg: string, errno?: number): string {
  if (errno !== undefined) return `${type}: [Errno ${errno}] ${msg}`;
  return msg === '' ? type : `${type}: ${msg}`;
}

/** Ctrl-C: raised in a program at whatever it was waiting on. Prints as `KeyboardInterrupt`. */
export function keyboardInterrupt(): PyException {
  return new PyException('KeyboardInterrupt', '');
}
