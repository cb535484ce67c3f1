// Labs, their devices and the programs running on them. A lab is a small virtual network
// with a join code; a device is one browser profile in it, with its own lab address and
// port space; a process is a console's shell or a program it runs, with a PID.
// Labs and devices are written through to the LabStore when made, and read back from it at
// start-up; processes and sockets are not kept (after a restart they are gone, as after a reboot).
// A lab's last activity is the last time one of its devices was seen (lab-activity.ts says
// what that makes it on the teacher's page; lab-retention.ts removes labs that have ended).

import { randomInt } from 'node:crypto';
import { deviceAddress, formatIPv4 } from '../../shared/lab-address.ts';
import type { LabSocket } from '../net/lab-socket.ts';
import { DEFAULT_CLASS_ID, type LabStore, type StoredLab } from '../store/lab-store.ts';
import type { AsyncLabStore } from '../store/async-lab-store.ts';
import type { LabEvent } from '../store/lab-events.ts';

/** Join codes avoid letters and digits that read alike (0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const LAB_CODE_LENGTH = 6;
/** A device's processes get PIDs counting up from here, like a freshly booted machine's. */
const FIRST_PID = 1000;
export const MAX_DEVICES_PER_LAB = 250;

/**
 * What a lab writes as its devices come and go: SQLite's LabStore (synchronous, alone on its
 * machine) or the shared store of several instances (every write a promise).
 */
export type LabWrites = Pick<LabStore, 'noteDeviceSeen'> & { insertDevice(labCode: string, id: number, key: string, lastSeen: number): void | Promise<void> };

/**
 * Several instances on one PostgreSQL database (--database): labs are made and found in the
 * shared store, the instance serving a lab claims it, and the others hear what happened.
 */
export interface SharedLabs {
  store: AsyncLabStore;
  /** This instance's --instance-name, recorded as the owner of the labs it serves. */
  instance: string;
  /** Tells every instance (pg-events.ts); never throws (a lost event costs a refetch, not a wrong state). */
  publish(event: LabEvent): void;
}

/** Who to tell when something happens to a process (its console's WebSocket session). */
export interface ProcessOwner {
  killed(pid: number): void;
}

export class Process {
  readonly fds = new Map<number, LabSocket>();
  constructor(
    readonly pid: number,
    readonly device: Device,
    readonly console: number,
    readonly name: string,
    readonly owner: ProcessOwner,
  ) {}

  /** POSIX gives the lowest free descriptor; 0-2 are stdin, stdout and stderr. */
  allocateFd(): number {
    let fd = 3;
    while (this.fds.has(fd)) fd++;
    return fd;
  }
}

export class Device {
  readonly processes = new Map<number, Process>();
  readonly sockets = new Set<LabSocket>();
  private nextPid = FIRST_PID;
  private nextConsole = 1;
  /** Consoles (WebSockets) open now. */
  consoles = 0;
  /** The User-Agent of its browser, as last seen (not kept across restarts). */
  browser = '';

  constructor(
    readonly lab: Lab,
    readonly id: number,
    readonly key: string,
    private lastSeenAt: number,
  ) {}

  /** When a console of it last opened or closed (or was open at the last sweep), ms since the epoch. */
  get lastSeen(): number {
    return this.lastSeenAt;
  }

  /**
   * The bridge sets this as a console opens and closes, the sweep while one is open. It is
   * noted for the store, so that after a restart a lab's last activity is still known:
   * otherwise every lab would look just used (and never end) or unused since it was made (and
   * end too soon). It never moves back: a clock stepped back (or a test's clock moved on, with
   * the bridge on real time) must not make a lab look older than it is and end it early.
   */
  set lastSeen(at: number) {
    if (at <= this.lastSeenAt) return;
    this.lastSeenAt = at;
    this.lab.deviceSeen(this);
  }

  get ip(): number {
    return deviceAddress(this.lab.number, this.id);
  }

  get address(): string {
    return formatIPv4(this.ip);
  }

  newConsoleNumber(): number {
    return this.nextConsole++;
  }

  spawn(name: string, console: number, owner: ProcessOwner): Process {
    const process = new Process(this.nextPid++, this, console, name, owner);
    this.processes.set(process.pid, process);
    return process;
  }
}

export class Lab {
  readonly devices = new Map<string, Device>();
  readonly devicesById = new Map<number, Device>();
  /** Devices being stored (storeDevice), by key: their ids are taken. */
  private readonly storing = new Map<string, { id: number; done: Promise<void> }>();

  constructor(
    readonly code: string,
    readonly number: number,
    readonly createdAt = Date.now(),
    private readonly store: LabWrites | null = null,
    private readonly now: () => number = Date.now,
    /** The class it was made in (server/classes/class-registry.ts): whose teacher sees it. */
    readonly classId = DEFAULT_CLASS_ID,
  ) {}

  /** Consoles open now on all its devices. */
  get consolesOpen(): number {
    let n = 0;
    for (const d of this.devices.values()) n += d.consoles;
    return n;
  }

  /** When it was last used: its devices' last sighting, or when it was made if none is later. */
  get lastActive(): number {
    let at = this.createdAt;
    for (const d of this.devices.values()) at = Math.max(at, d.lastSeen);
    return at;
  }

  /** A device's lastSeen changed: to be written with the store's next flush. */
  deviceSeen(device: Device): void {
    this.store?.noteDeviceSeen(this.code, device.id, device.lastSeen);
  }

  /** The device of this browser profile, created (and stored) on its first visit. */
  deviceFor(key: string): Device | null {
    const known = this.devices.get(key);
    if (known) return known;
    if (this.devices.size >= MAX_DEVICES_PER_LAB) return null;
    const id = this.nextDeviceId();
    const seen = this.now();
    // Stored first: a device the database could not keep is not handed out. (The shared
    // store's devices are stored by storeDevice before this is asked.)
    const stored = this.store?.insertDevice(this.code, id, key, seen);
    if (stored instanceof Promise) stored.catch(() => {});
    return this.addDevice(id, key, seen);
  }

  /**
   * With the shared store, whose writes are promises: stores the device of this browser
   * profile before deviceFor hands it out (the bridge awaits this before the join handshake).
   * Two consoles of one new device at once store it once.
   */
  async storeDevice(key: string): Promise<void> {
    if (this.devices.has(key) || this.devices.size + this.storing.size >= MAX_DEVICES_PER_LAB) return;
    const pending = this.storing.get(key);
    if (pending) return pending.done;
    const id = this.nextDeviceId();
    const seen = this.now();
    const done = (async () => {
      try {
        await this.store?.insertDevice(this.code, id, key, seen);
        if (!this.devices.has(key)) this.addDevice(id, key, seen);
      } finally {
        this.storing.delete(key);
      }
    })();
    this.storing.set(key, { id, done });
    return done;
  }

  /** A device read back from the store at start-up. */
  restoreDevice(id: number, key: string, lastSeen: number): Device {
    return this.addDevice(id, key, lastSeen);
  }

  /** After every device's id and every id being stored (1, 2, 3, ...: devices are never removed one by one). */
  private nextDeviceId(): number {
    let last = 0;
    for (const id of this.devicesById.keys()) last = Math.max(last, id);
    for (const s of this.storing.values()) last = Math.max(last, s.id);
    return last + 1;
  }

  private addDevice(id: number, key: string, lastSeen: number): Device {
    const device = new Device(this, id, key, lastSeen);
    this.devices.set(key, device);
    this.devicesById.set(device.id, device);
    return device;
  }

  *allSockets(): Iterable<LabSocket> {
    for (const device of this.devices.values()) yield* device.sockets;
  }
}

export class LabRegistry {
  private readonly labs = new Map<string, Lab>();
  private labCount = 0;
  /** Labs being read from the shared store (find), by code: two lookups at once read it once. */
  private readonly finding = new Map<string, Promise<Lab | undefined>>();

  /**
   * With a store, starts with every lab and device it holds and writes new ones to it.
   * `now` is the clock of new labs and devices (tests move it instead of waiting hours).
   * `owns`: with --workers N, the lab codes this worker holds (shared/lab-routing.ts): it
   * loads only those and makes only those; other workers hold the rest of the store's labs.
   * `shared`: several instances on one database (then `store` is null): nothing is loaded at
   * start; a lab is read from the shared store when first asked for (find), and made there (make).
   */
  constructor(
    private readonly store: LabStore | null = null,
    private readonly now: () => number = Date.now,
    private readonly owns: (code: string) => boolean = () => true,
    private readonly shared: SharedLabs | null = null,
  ) {
    if (!store) return;
    for (const stored of store.loadLabs()) {
      if (!owns(stored.code)) continue;
      const lab = this.fromStored(stored, store);
      this.labs.set(lab.code, lab);
      this.labCount = Math.max(this.labCount, lab.number);
    }
  }

  /** Whether labs live in a database shared with other instances (--database). */
  get isShared(): boolean {
    return this.shared !== null;
  }

  private fromStored(stored: StoredLab, writes: LabWrites | null): Lab {
    const lab = new Lab(stored.code, stored.number, stored.createdAt, writes, this.now, stored.classId);
    for (const d of stored.devices) lab.restoreDevice(d.id, d.key, d.lastSeen);
    return lab;
  }

  private newCode(): string {
    let code: string;
    do {
      code = Array.from({ length: LAB_CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
    } while (this.labs.has(code) || !this.owns(code));
    return code;
  }

  /** A new lab in a class (the default class unless told): codes are unique across every class. */
  create(classId = DEFAULT_CLASS_ID): Lab {
    if (this.shared) throw new Error('with a shared database a lab is made with make()');
    const code = this.newCode();
    const createdAt = this.now();
    // Stored first: a lab the database could not keep is not handed out. The store numbers it,
    // after every lab it holds (lab workers share it) and after this registry's last.
    const number = this.store ? this.store.insertNextLab(code, createdAt, this.labCount, classId) : this.labCount + 1;
    const lab = new Lab(code, number, createdAt, this.store, this.now, classId);
    this.labCount = lab.number;
    this.labs.set(code, lab);
    return lab;
  }

  /**
   * A new lab, as create() but also with the shared store: the database numbers it and refuses
   * a code another instance took (then another is drawn); this instance claims it.
   */
  async make(classId = DEFAULT_CLASS_ID): Promise<Lab> {
    const shared = this.shared;
    if (!shared) return this.create(classId);
    for (;;) {
      const code = this.newCode();
      const made = await shared.store.createLab(code, this.now(), classId);
      if (!made) continue;
      const lab = new Lab(code, made.number, made.createdAt, shared.store, this.now, classId);
      this.labs.set(code, lab);
      await shared.store.claimLab(code, shared.instance);
      shared.publish({ type: 'lab-created', lab: code, instance: shared.instance });
      return lab;
    }
  }

  /**
   * The lab of a code from outside (a URL, a hello): what get() holds, or else, with the shared
   * store, the lab read from the database (made on another instance, or served by one that
   * died), claimed by this instance. The instance that served it before hears `lab-claimed`
   * and lets its consoles go (they reconnect and reach this one).
   */
  async find(code: string): Promise<Lab | undefined> {
    const known = this.get(code);
    if (known || !this.shared) return known;
    const upper = code.toUpperCase();
    let finding = this.finding.get(upper);
    if (!finding) {
      finding = this.readShared(upper, this.shared).finally(() => this.finding.delete(upper));
      this.finding.set(upper, finding);
    }
    return finding;
  }

  private async readShared(code: string, shared: SharedLabs): Promise<Lab | undefined> {
    const stored = await shared.store.findLab(code);
    if (!stored || !this.owns(stored.code)) return undefined;
    const lab = this.labs.get(stored.code) ?? this.fromStored(stored, shared.store);
    this.labs.set(lab.code, lab);
    const before = await shared.store.claimLab(lab.code, shared.instance);
    // claimLab answers null when this instance was the owner already (it restarted): nothing moved.
    if (before !== null) shared.publish({ type: 'lab-claimed', lab: lab.code, instance: shared.instance });
    return lab;
  }

  /** Forgets a lab, its devices, their Check results and its code (its consoles are closed by the bridge). */
  remove(code: string): boolean {
    const lab = this.get(code);
    if (!lab) return false;
    if (this.shared) throw new Error('with a shared database a lab is removed with removeLab()');
    this.store?.deleteLab(lab.code);
    this.labs.delete(lab.code);
    return true;
  }

  /** remove(), also with the shared store (deleted there, and every instance told). */
  async removeLab(code: string): Promise<boolean> {
    const shared = this.shared;
    if (!shared) return this.remove(code);
    const lab = this.get(code);
    if (!lab) return false;
    await shared.store.deleteLab(lab.code);
    this.labs.delete(lab.code);
    shared.publish({ type: 'lab-removed', lab: lab.code, instance: shared.instance });
    return true;
  }

  /**
   * Drops a lab from memory only: the store is left as it is (another instance serves it now,
   * or removed it). Its consoles are closed by the caller.
   */
  forget(code: string): Lab | undefined {
    const lab = this.get(code);
    if (lab) this.labs.delete(lab.code);
    return lab;
  }

  /**
   * Forgets a lab that has ended (no console open: lab-retention.ts) and frees its code; its
   * devices' Check results are kept for the teacher.
   */
  removeEnded(code: string, endedAt: number): boolean {
    const lab = this.get(code);
    if (!lab) return false;
    this.store?.removeEndedLab(lab.code, endedAt);
    this.labs.delete(lab.code);
    return true;
  }

  get(code: string): Lab | undefined {
    return this.labs.get(code.toUpperCase());
  }

  all(): Iterable<Lab> {
    return this.labs.values();
  }
}
