// The small events instances tell each other through PostgreSQL's NOTIFY (pg-events.ts), so a
// teacher's page on any instance follows every lab live. Each names its lab's code and the
// instance that serves it; the details (devices, programs, sockets) stay with that instance
// and are fetched from it. The payload is JSON under NOTIFY's limit (8000 bytes, less one):
// an event that would not fit is refused here, before it is sent, not cut by the database.
// Pure code: no node:*, no pg.

/** PostgreSQL refuses a NOTIFY payload of this many bytes or more. */
export const NOTIFY_PAYLOAD_LIMIT_BYTES = 8000;

export type LabEvent =
  /** Made, or first served after its instance went away (programs ended, as on a reboot). */
  | { type: 'lab-created'; lab: string; instance: string }
  /** Closed by the teacher, or ended (--lab-retention). */
  | { type: 'lab-removed'; lab: string; instance: string }
  /** Now served by `instance` (an instance that came back, or took over from one that died). */
  | { type: 'lab-claimed'; lab: string; instance: string }
  /** A device's first console opened (`joined`) or its last closed (`left`). */
  | { type: 'device-joined'; lab: string; instance: string; device: number }
  | { type: 'device-left'; lab: string; instance: string; device: number }
  | { type: 'check-saved'; lab: string; instance: string; device: number; question: number }
  /** The reveal switch; `lab` is null: it is a setting of the whole (of a class once classes exist: `scope`). */
  | { type: 'reveal-switched'; lab: null; instance: string; on: boolean; scope?: string };

export type LabEventType = LabEvent['type'];

const TYPES: readonly LabEventType[] = ['lab-created', 'lab-removed', 'lab-claimed', 'device-joined', 'device-left', 'check-saved', 'reveal-switched'];

const UTF8 = new TextEncoder();

/** An event too big for NOTIFY: a bug in what was put in it (a code, a name), never cut short. */
export class EventTooLargeError extends Error {}

/** The JSON payload of an event; throws EventTooLargeError when it would not fit a NOTIFY. */
export function encodeLabEvent(event: LabEvent): string {
  const text = JSON.stringify(event);
  const bytes = UTF8.encode(text).length;
  if (bytes >= NOTIFY_PAYLOAD_LIMIT_BYTES) {
    throw new EventTooLargeError(`a ${event.type} event is ${bytes} bytes; NOTIFY takes under ${NOTIFY_PAYLOAD_LIMIT_BYTES}`);
  }
  return text;
}

/** The event in a payload, or null for one this version does not know (a newer instance's, or garbage). */
export function decodeLabEvent(payload: string): LabEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const e = value as Record<string, unknown>;
  if (!TYPES.includes(e.type as LabEventType) || typeof e.instance !== 'string') return null;
  if (e.type === 'reveal-switched') return typeof e.on === 'boolean' ? (value as LabEvent) : null;
  if (typeof e.lab !== 'string') return null;
  if ((e.type === 'device-joined' || e.type === 'device-left' || e.type === 'check-saved') && !Number.isInteger(e.device)) return null;
  if (e.type === 'check-saved' && !Number.isInteger(e.question)) return null;
  return value as LabEvent;
}
