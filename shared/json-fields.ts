// Field checks for JSON messages from the other side of a connection: each throws a
// ProtocolError that says which field is wrong and how.

export class ProtocolError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function int(m: Json, key: string, min: number, max: number): number {
  const v = m[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ProtocolError('bad-field', `field '${key}' must be an integer from ${min} to ${max}`);
  }
  return v;
}

export function str(m: Json, key: string, maxLength: number): string {
  const v = m[key];
  if (typeof v !== 'string' || v.length > maxLength) {
    throw new ProtocolError('bad-field', `field '${key}' must be a string of at most ${maxLength} characters`);
  }
  return v;
}

export function timeout(m: Json, key: string): number | null {
  if (m[key] === null || m[key] === undefined) return null;
  return int(m, key, 0, 2 ** 31 - 1);
}

export const U32_MAX = 2 ** 32 - 1;
/** Python ints can be huge; the bridge takes ports as any safe integer and range-checks them like CPython. */
export const SAFE = Number.MAX_SAFE_INTEGER;

