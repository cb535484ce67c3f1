// Labs, their devices and the programs running on them. A lab is a small virtual network
// with a join code; a device is one browser profile in it, with its own lab address and
// port space; a process is a console's shell or a program it runs, with a PID.
// Labs and devices are written through to the LabStore when made, and read back from it at
// start-up; processes and sockets are not kept (after a restart they are gone, as after a reboot).

import { randomInt } from 'node:crypto';
import { deviceAddress, formatIPv4 } from '../../shared/lab-address.ts';
import type { LabSocket } from '../net/lab-socket.ts';
import type { LabStore } from '../store/lab-store.ts';

/** Join codes avoid letters and digits that read alike (0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const LAB_CODE_LENGTH = 6;
/** A device's processes get PIDs counting up from here, like a freshly booted machine's. */
const FIRST_PID = 1000;
export const MAX_DEVICES_PER_LAB = 250;

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
  lastSeen = Date.now();
  /** Consoles (WebSockets) open now. */
  consoles = 0;
  /** The User-Agent of its browser, as last seen (not kept across restarts). */
  browser = '';

  constructor(
    readonly lab: Lab,
    readonly id: number,
    readonly key: string,
  ) {}

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

  constructor(
    readonly code: string,
    readonly number: number,
    readonly createdAt = Date.now(),
    private readonly store: LabStore | null = null,
  ) {}

  /** The device of this browser profile, created (and stored) on its first visit. */
  deviceFor(key: string): Device | null {
    const known = this.devices.get(key);
    if (known) return known;
    if (this.devices.size >= MAX_DEVICES_PER_LAB) return null;
    const id = this.devices.size + 1;
    // Stored first: a device the database could not keep is not handed out.
    this.store?.insertDevice(this.code, id, key);
    return this.addDevice(id, key);
  }

  /** A device read back from the store at start-up. */
  restoreDevice(id: number, key: string): Device {
    return this.addDevice(id, key);
  }

  private addDevice(id: number, key: string): Device {
    const device = new Device(this, id, key);
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

  /** With a store, starts with every lab and device it holds and writes new ones to it. */
  constructor(private readonly store: LabStore | null = null) {
    if (!store) return;
    for (const stored of store.loadLabs()) {
      const lab = new Lab(stored.code, stored.number, stored.createdAt, store);
      for (const d of stored.devices) lab.restoreDevice(d.id, d.key);
      this.labs.set(lab.code, lab);
      this.labCount = Math.max(this.labCount, lab.number);
    }
  }

  create(): Lab {
    let code: string;
    do {
      code = Array.from({ length: LAB_CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
    } while (this.labs.has(code));
    const lab = new Lab(code, this.labCount + 1, Date.now(), this.store);
    // Stored first: a lab the database could not keep is not handed out.
    this.store?.insertLab(lab.code, lab.number, lab.createdAt);
    this.labCount = lab.number;
    this.labs.set(code, lab);
    return lab;
  }

  /** Forgets a lab, its devices and its code (its consoles are closed by the bridge). */
  remove(code: string): boolean {
    const lab = this.get(code);
    if (!lab) return false;
    this.store?.deleteLab(lab.code);
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
