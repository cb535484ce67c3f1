// The lab's virtual network over real TCP: bind, listen, accept and connect with the rules of
// shared/lab-address.ts, carried out with a real net.Server behind every lab listener and a
// real net.Socket behind every connection. Nothing connects anywhere but lab listeners and the
// teacher's --allow list, and that list never leads to one of this server's own real listeners
// (another lab's, or the server's port: see OwnListeners). The lab's limits on sockets, listeners and connections are enforced
// here, where those things are made, so a console's calls and a Python program's channel meet
// the same ones.

import net from 'node:net';
import type { NetstatRow, PyErrorInfo, SockAddr } from '../../shared/bridge-protocol.ts';
import {
  ANY_IPV4,
  checkBind,
  checkPort,
  classifyConnectTarget,
  formatIPv4,
  listenerAccepts,
  LOOPBACK_IPV4,
  pickEphemeralPort,
  resolveHost,
  unreachableError,
  type ConnectTarget,
  type PortClaim,
} from '../../shared/lab-address.ts';
import { errnoError, TIMED_OUT } from '../../shared/socket-errors.ts';
import type { ServerConfig } from '../config.ts';
import type { Device, Lab, Process } from '../lab/lab-registry.ts';
import type { Limits } from '../limits.ts';
import { limitRefusal, type LimitRefusal } from '../limits/limit-refusals.ts';
import { monotonicClock, RateWindow, type Clock } from '../limits/rate-window.ts';
import { LabSocket, pyErrorFromNode, type QueuedConnection, type SocketSink } from './lab-socket.ts';
import { OriginRegistry } from './origin-registry.ts';
import { isHostAddress, OwnListeners } from './own-listeners.ts';

/**
 * The result of a call: a value, or the Python exception the program raises; `limit`, when
 * a lab limit (not the program's own mistake) refused it, is the sentence for its page.
 */
export type Outcome<T> = { ok: T } | { err: PyErrorInfo; limit?: string };

const LOOPBACK_HOST = '127.0.0.1';
const REFUSED_ERRNO = 111;

/** Where a connect goes (LabNetwork.route). */
interface ConnectRoute {
  /** The lab listener it reaches, or null for an address on the --allow list. */
  listener: LabSocket | null;
  realHost: string;
  realPort: number;
  target: ConnectTarget;
  targetText: string;
  port: number;
  /** The connecting socket's lab address. */
  sourceIp: number;
}
/** How many OS-assigned ports a listener tries before giving up on avoiding the --allow list's. */
const REAL_PORT_ATTEMPTS = 8;

function stripMappedPrefix(address: string | undefined): string {
  return (address ?? '0.0.0.0').replace(/^::ffff:/, '');
}

export class LabNetwork {
  private readonly origins = new OriginRegistry();
  /** Every real address this process listens on; app.ts adds the HTTP server's. */
  readonly ownListeners = new OwnListeners();
  /** Connections each device started in the last second (connections-per-second). */
  private readonly connectRates = new WeakMap<Device, RateWindow>();

  constructor(
    private readonly config: Pick<ServerConfig, 'allow' | 'expose' | 'realPorts' | 'limits'>,
    private readonly now: Clock = monotonicClock,
  ) {}

  get limits(): Limits {
    return this.config.limits;
  }

  /** socket(): a new socket of the process, unless a socket limit says no. */
  openSocket(process: Process, sink: SocketSink): Outcome<LabSocket> {
    const refusal = this.socketLimitRefusal(process);
    if (refusal) return refusal;
    return { ok: this.newSocket(process, sink) };
  }

  private newSocket(process: Process, sink: SocketSink): LabSocket {
    return new LabSocket(process, sink, this.config.limits.bufferedBytesPerSocket);
  }

  /** Whether one more socket of this process would pass a limit, in the order Linux checks:
   * the process's own descriptors (EMFILE) before the system's file table (ENFILE). */
  private socketLimitRefusal(process: Process): LimitRefusal | null {
    const limits = this.config.limits;
    const device = process.device;
    // A console's processes all have the console's session as their owner.
    let inConsole = 0;
    for (const s of device.sockets) if (s.process.owner === process.owner) inConsole++;
    if (inConsole >= limits.socketsPerConsole) return limitRefusal('socketsPerConsole', limits);
    if (device.sockets.size >= limits.socketsPerDevice) return limitRefusal('socketsPerDevice', limits);
    let inLab = 0;
    for (const d of device.lab.devices.values()) inLab += d.sockets.size;
    if (inLab >= limits.socketsPerLab) return limitRefusal('socketsPerLab', limits);
    return null;
  }

  private claims(device: Device, except?: LabSocket): PortClaim[] {
    const claims: PortClaim[] = [];
    for (const s of device.sockets) {
      if (s === except || !s.local) continue;
      claims.push({ ...s.local, reuseAddr: s.reuseAddr, listening: s.state === 'listening' });
    }
    return claims;
  }

  bind(sock: LabSocket, host: string, port: number): PyErrorInfo | null {
    const rangeError = checkPort(port, 'bind');
    if (rangeError) return rangeError;
    const resolved = resolveHost(host);
    if ('error' in resolved) return resolved.error;
    if (sock.state === 'closed') return errnoError('EBADF');
    if (sock.state !== 'fresh') return errnoError('EINVAL');
    const device = sock.process.device;
    const existing = this.claims(device, sock);
    const err = checkBind(device.ip, { ip: resolved.ip, port, reuseAddr: sock.reuseAddr }, existing);
    if (err) return err;
    const chosen = port === 0 ? pickEphemeralPort(resolved.ip, existing, Math.random) : port;
    if (chosen === null) return errnoError('EADDRINUSE');
    sock.bound({ ip: resolved.ip, port: chosen });
    return null;
  }

  async listen(sock: LabSocket): Promise<Outcome<{ realPort: number }>> {
    if (sock.state === 'closed') return { err: errnoError('EBADF') };
    if (sock.state === 'listening') return { ok: { realPort: sock.realPort } };
    if (sock.state !== 'fresh' && sock.state !== 'bound') return { err: errnoError('EINVAL') };
    let listeners = 0;
    for (const s of sock.process.device.sockets) if (s.state === 'listening') listeners++;
    if (listeners >= this.config.limits.listenersPerDevice) return limitRefusal('listenersPerDevice', this.config.limits);
    if (sock.state === 'fresh') {
      // Linux binds an unbound socket to an ephemeral port on 0.0.0.0 when it starts listening.
      const err = this.bind(sock, '', 0);
      if (err) return { err };
    }
    if (sock.state !== 'bound') return { err: errnoError('EINVAL') };
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
    sock.startListening(server);
    server.on('connection', (real) => this.enqueue(sock, real));
    server.on('error', () => {}); // errors after listening only concern connections, handled there
    try {
      sock.listeningAt(await this.listenReal(server, sock.local!.port));
    } catch (e) {
      sock.listenFailed();
      return { err: pyErrorFromNode(e as NodeJS.ErrnoException) };
    }
    if (sock.realServer !== server) server.close(); // closed while the real listener was starting
    return { ok: { realPort: sock.realPort } };
  }

  /** Whether the teacher's --allow list names this port (on any host). */
  private allowsPort(port: number): boolean {
    return this.config.allow.some((a) => a.port === port);
  }

  /**
   * The lab port itself on the host when free (so native programs use the lesson's numbers),
   * else any; never a port the --allow list names, which belongs to the real program the
   * teacher allowed (were a lab listener there, another lab would reach it through the entry).
   */
  private async listenReal(server: net.Server, labPort: number): Promise<number> {
    const host = this.config.expose ? '0.0.0.0' : LOOPBACK_HOST;
    const attempt = (port: number) =>
      new Promise<number>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        server.once('error', onError);
        server.listen({ port, host, exclusive: true }, () => {
          server.off('error', onError);
          // Recorded before this process can see any connection to it.
          this.ownListeners.add(server);
          resolve((server.address() as net.AddressInfo).port);
        });
      });
    if (this.config.realPorts === 'same' && !this.allowsPort(labPort)) {
      try {
        return await attempt(labPort);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EADDRINUSE' && code !== 'EACCES') throw err;
      }
    }
    for (let tries = 1; ; tries++) {
      const port = await attempt(0);
      if (!this.allowsPort(port) || tries === REAL_PORT_ATTEMPTS) return port;
      // The OS picked a port the --allow list names: give it back and ask again.
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private enqueue(listener: LabSocket, real: net.Socket): void {
    real.on('error', () => {}); // a reset before accept() is seen when the program reads
    const remotePort = real.remotePort ?? 0;
    const queued: QueuedConnection = {
      real,
      origin: this.origins.identify(remotePort).then((arrival) => {
        if (arrival === 'refused') {
          // A lab program's --allow connect that reached this listener: refused on its side,
          // never accepted here.
          const at = listener.acceptQueue.indexOf(queued);
          if (at >= 0) listener.acceptQueue.splice(at, 1);
          real.resetAndDestroy();
          return null;
        }
        if (arrival) return { peer: [arrival.peerHost, arrival.peerPort] as SockAddr, localIp: arrival.targetIp };
        // A native program on the host (or, with --expose, on another laptop).
        return {
          peer: [stripMappedPrefix(real.remoteAddress), remotePort] as SockAddr,
          localIp: listener.local!.ip === ANY_IPV4 ? LOOPBACK_IPV4 : listener.local!.ip,
        };
      }),
    };
    if (listener.state !== 'listening') {
      real.resetAndDestroy();
      return;
    }
    listener.acceptQueue.push(queued);
    listener.wakeAcceptors();
  }

  /** accept(): the next queued connection as a new socket of the listener's process, handed
   * to adopt before any of its data can arrive. */
  async accept(sock: LabSocket, timeoutMs: number | null, adopt: (conn: LabSocket) => void): Promise<Outcome<LabSocket>> {
    if (sock.state === 'closed') return { err: errnoError('EBADF') };
    if (sock.state !== 'listening') return { err: errnoError('EINVAL') };
    const deadline = timeoutMs === null ? null : this.now() + timeoutMs;
    let queued: QueuedConnection;
    let origin: { peer: SockAddr; localIp: number } | null;
    do {
      while (sock.acceptQueue.length === 0) {
        const waitMs = deadline === null ? null : Math.max(0, deadline - this.now());
        if (waitMs === 0) return { err: timeoutMs === 0 ? errnoError('EAGAIN') : TIMED_OUT };
        let stopWaiting = (): void => undefined;
        const timedOut = await new Promise<boolean>((resolve) => {
          const timer = waitMs === null ? null : setTimeout(() => resolve(true), waitMs);
          stopWaiting = sock.onAcceptable(() => {
            if (timer) clearTimeout(timer);
            resolve(false);
          });
        });
        stopWaiting();
        if (timedOut) return { err: TIMED_OUT };
        if (sock.state !== 'listening') return { err: errnoError('EBADF') };
      }
      queued = sock.acceptQueue.shift()!;
      origin = await queued.origin; // null: a refused arrival, already reset
    } while (!origin);
    const { peer, localIp } = origin;
    if (sock.state !== 'listening') {
      queued.real.resetAndDestroy(); // closed meanwhile: as close() does with the queue
      return { err: errnoError('EBADF') };
    }
    const refusal = this.socketLimitRefusal(sock.process);
    if (refusal) {
      // Linux leaves the connection queued when accept() has no descriptor for it.
      sock.acceptQueue.unshift(queued);
      return refusal;
    }
    const conn = this.newSocket(sock.process, sock.sink);
    adopt(conn);
    conn.inheritOptions(sock);
    conn.attach(queued.real, { ip: localIp, port: sock.local!.port }, peer);
    // Reset before accept(): tell the program after it has the socket (the result goes first).
    if (queued.real.destroyed) setImmediate(() => conn.endedBeforeAccept());
    return { ok: conn };
  }

  /**
   * connect(): blocking (timeoutMs null or > 0) waits for the outcome; non-blocking (0) starts
   * the connection and answers EINPROGRESS, as Linux does, and the socket's sink hears when it
   * has connected or failed (its error then pending as SO_ERROR). A lab address with no device
   * behind it, or outside the lab, fails at once either way (no ARP wait, no route).
   */
  async connect(
    sock: LabSocket,
    host: string,
    port: number,
    timeoutMs: number | null,
  ): Promise<Outcome<{ local: SockAddr }>> {
    const rangeError = checkPort(port, 'connect');
    if (rangeError) return { err: rangeError };
    const resolved = resolveHost(host);
    if ('error' in resolved) return { err: resolved.error };
    if (sock.state === 'closed') return { err: errnoError('EBADF') };
    const told = sock.connectAgain();
    if (told) return 'err' in told ? told : { ok: { local: sock.localAddr() } };
    if (sock.state === 'connecting') return { err: errnoError('EALREADY') };
    if (sock.state === 'connected' || sock.state === 'listening') return { err: errnoError('EISCONN') };
    const wasBound = sock.state === 'bound';
    const route = this.route(sock, resolved.ip, port);
    if ('err' in route) {
      if (timeoutMs !== 0 || route.err.errno !== REFUSED_ERRNO) return route;
      // Linux answers a non-blocking connect to a port with no listener EINPROGRESS, and the
      // refusal comes as SO_ERROR a moment later.
      sock.connectStarted();
      setImmediate(() => sock.state === 'connecting' && sock.connectFailed(route.err, wasBound));
      return { err: errnoError('EINPROGRESS') };
    }
    // Each connection takes a local port, which stays in TIME_WAIT after it closes: a device
    // starting connections faster than the limit runs out of them, as Linux would.
    if (!this.connectRate(sock.process.device).take()) return limitRefusal('connectionsPerSecond', this.config.limits);
    if (timeoutMs !== 0) return this.connectReal(sock, route.ok, timeoutMs, wasBound);
    void this.connectReal(sock, route.ok, null, wasBound).then((outcome) => {
      if (sock.state === 'closed') return;
      if ('err' in outcome) sock.connectFailed(outcome.err, wasBound);
      else sock.connectSucceeded();
    });
    return { err: errnoError('EINPROGRESS') };
  }

  /** Where a connect goes: a lab listener's real port, or an allowed real address; else its error. */
  private route(sock: LabSocket, ip: number, port: number): Outcome<ConnectRoute> {
    const device = sock.process.device;
    const lab = device.lab;
    const target = classifyConnectTarget(lab.number, device.id, ip, (id) => lab.devicesById.has(id));
    const listener = target.kind === 'device' ? this.findListener(lab, target.deviceId, target.targetIp, port) : null;
    const targetText = formatIPv4(target.targetIp);
    const sourceIp = target.kind === 'device' ? target.sourceIp : device.ip;
    if (listener) return { ok: { listener, realHost: LOOPBACK_HOST, realPort: listener.realPort, target, targetText, port, sourceIp } };
    if (this.config.allow.some((a) => a.host === targetText && a.port === port)) {
      // The teacher allowed a real program; if one of this server's own listeners holds the
      // address instead (another lab's, the server's port), no such program is there.
      if (this.ownListeners.covers(targetText, port)) return { err: errnoError('ECONNREFUSED') };
      return { ok: { listener: null, realHost: targetText, realPort: port, target, targetText, port, sourceIp } };
    }
    return { err: unreachableError(lab.number, target) };
  }

  private async connectReal(
    sock: LabSocket,
    route: ConnectRoute,
    timeoutMs: number | null,
    wasBound: boolean,
  ): Promise<Outcome<{ local: SockAddr }>> {
    const { listener, realHost, realPort, target, targetText, port, sourceIp } = route;
    sock.connectStarted();
    // A connect staying on this machine tells the accepting side what it is (a lab connect, or
    // an --allow connect refused below): see OriginRegistry.
    const pending = listener || isHostAddress(realHost) ? this.origins.begin() : null;
    const result = await new Promise<Outcome<net.Socket>>((resolve) => {
      const real = net.connect({ host: realHost, port: realPort, allowHalfOpen: true });
      const timer = timeoutMs === null ? null : setTimeout(() => {
        real.destroy();
        resolve({ err: TIMED_OUT });
      }, timeoutMs);
      real.once('connect', () => {
        if (timer) clearTimeout(timer);
        real.pause();
        resolve({ ok: real });
      });
      real.once('error', (err: NodeJS.ErrnoException) => {
        if (timer) clearTimeout(timer);
        resolve({ err: pyErrorFromNode(err) });
      });
    });
    if ('err' in result) {
      pending?.settle(null);
      sock.connectAborted(wasBound);
      return result;
    }
    const real = result.ok;
    const localPort = real.localPort ?? 0;
    if (!listener && this.ownListeners.covers(real.remoteAddress ?? realHost, real.remotePort ?? realPort)) {
      // One of ours started listening there while connecting: refused on both ends.
      pending?.settle(localPort, 'refused');
      real.resetAndDestroy();
      sock.connectAborted(wasBound);
      return { err: errnoError('ECONNREFUSED') };
    }
    if (listener) pending?.settle(localPort, { peerHost: formatIPv4(sourceIp), peerPort: localPort, targetIp: target.targetIp });
    else pending?.settle(null);
    if (sock.state !== 'connecting') {
      // The program closed the socket while connecting.
      if (listener) this.origins.forget(localPort);
      real.destroy();
      return { err: errnoError('EBADF') };
    }
    const local = wasBound && sock.local ? sock.local : { ip: sourceIp, port: localPort };
    sock.attach(real, local, [targetText, port]);
    return { ok: { local: sock.localAddr() } };
  }

  private connectRate(device: Device): RateWindow {
    let rate = this.connectRates.get(device);
    if (!rate) {
      rate = new RateWindow(this.config.limits.connectionsPerSecond, this.now);
      this.connectRates.set(device, rate);
    }
    return rate;
  }

  private findListener(lab: Lab, deviceId: number, targetIp: number, port: number): LabSocket | null {
    const device = lab.devicesById.get(deviceId);
    if (!device) return null;
    let wildcard: LabSocket | null = null;
    for (const s of device.sockets) {
      if (s.state !== 'listening' || !s.local || s.local.port !== port || !s.realPort) continue;
      if (s.local.ip === targetIp) return s; // an exact address beats 0.0.0.0
      if (listenerAccepts(s.local.ip, targetIp)) wildcard = s;
    }
    return wildcard;
  }

  /** The lab's sockets as netstat rows (listeners show their real port). */
  netstat(sockets: Iterable<LabSocket>): NetstatRow[] {
    const rows: NetstatRow[] = [];
    for (const s of sockets) {
      const state = s.netstatState();
      if (!state || !s.local) continue;
      const [host, port] = s.localAddr();
      const row: NetstatRow = {
        proto: 'TCP',
        local: `${host}:${port}`,
        foreign: s.peer ? `${s.peer[0]}:${s.peer[1]}` : '0.0.0.0:0',
        state,
        pid: s.process.pid,
        device: s.process.device.address,
      };
      if (s.state === 'listening') row.realPort = s.realPort;
      rows.push(row);
    }
    return rows;
  }
}
