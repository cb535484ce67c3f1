// Tells, for a connection arriving at the real listener behind a lab listener, whether it
// came from a lab program (and from which lab address) or from a native program on the host.
//
// Both ends of a lab connection live in this process, but which of the two sees its event
// first is up to the event loop. So the connecting side registers its real local port once
// connected, and the accepting side waits until that port is registered or until no lab
// connect is still in flight, which proves the connection native. No timers, no guessing.
//
// A connect through the teacher's --allow list to an address on this machine registers too,
// as 'refused' when it turned out to reach one of this server's own listeners: that
// connection is refused on both ends, never accepted by a lab program.

export interface LabOrigin {
  /** The peer address the accepting program sees: the connecting device's lab address, real ephemeral port. */
  peerHost: string;
  peerPort: number;
  /** The lab address the client aimed at (the accepted socket's local address). */
  targetIp: number;
}

/** What a connection arriving at a lab listener is: from a lab program, refused, or native (null). */
export type Arrival = LabOrigin | 'refused' | null;

type Waiter = (arrival: Arrival) => void;

export class OriginRegistry {
  private readonly origins = new Map<number, LabOrigin | 'refused'>();
  private readonly waiters = new Map<number, Waiter[]>();
  private connectsInFlight = 0;

  /** A lab connect is starting; call settle() exactly once when it connects or fails. */
  begin(): { settle: (localPort: number | null, origin?: LabOrigin | 'refused') => void } {
    this.connectsInFlight++;
    let settled = false;
    return {
      settle: (localPort, origin) => {
        if (settled) return;
        settled = true;
        this.connectsInFlight--;
        if (localPort !== null && origin) this.origins.set(localPort, origin);
        this.wake();
      },
    };
  }

  /** Forget a registered origin nobody claimed (the client closed before any accept). */
  forget(localPort: number): void {
    this.origins.delete(localPort);
  }

  /** Resolves with what the connection from remotePort is (see Arrival). */
  identify(remotePort: number): Promise<Arrival> {
    const known = this.take(remotePort);
    if (known || this.connectsInFlight === 0) return Promise.resolve(known);
    return new Promise((resolve) => {
      const list = this.waiters.get(remotePort) ?? [];
      list.push(resolve);
      this.waiters.set(remotePort, list);
    });
  }

  private take(port: number): Arrival {
    const origin = this.origins.get(port) ?? null;
    if (origin) this.origins.delete(port);
    return origin;
  }

  private wake(): void {
    for (const [port, list] of [...this.waiters]) {
      if (this.origins.has(port) || this.connectsInFlight === 0) {
        this.waiters.delete(port);
        const origin = this.take(port);
        for (const resolve of list) resolve(origin);
      }
    }
  }
}
