// Lab workers and instances (issue 14, item 5): the same server with --workers 1 (one process,
// as before) and --workers 2 (a front process and two lab workers), each started as `npm start`
// runs it (bench/bench-server.ts), and two instances behind HAProxy (bench/haproxy-instances.ts),
// side by side in one run:
// - scale: the consoles each holds chatting at 5 lines a second with the p99 round trip under
//   50 ms (bench/scale.ts's climb, higher steps), goal: --workers 2 at least 1.6x --workers 1;
//   HAProxy's row has no goal of its own;
// - the 80-pair round trip (bench/relay-latency.ts's busy pairs), for --workers 1 and 2,
//   against raw TCP in the same run, goal: p99 at most 1.5x raw TCP's.
// Every pair is in a lab of its own, so that the labs (hence the pairs) spread over both
// workers (or instances), as a school's many classes would; the rows' notes say how many labs
// each got.
// Alone: npx tsx bench/workers.ts [--quick]

import { availableParallelism } from 'node:os';
import { figureOf, runWhenCalledDirectly, type MeasureRow } from './measure.ts';
import { startBenchServer, type BenchServer } from './bench-server.ts';
import { HAPROXY_SETUP_NAME, schoolStore, schoolStoreNote, startHaproxyInstances } from './haproxy-instances.ts';
import { HAPROXY_SERVERS } from '../tests/support/haproxy.ts';
import { bestStep, climb, climbNote, P99_BOUND_MS, QUICK_STEPS, type Climb } from './scale.ts';
import { pingPongOnce, roundsPerPair, type PingPongRun } from './relay-latency.ts';
import { coresBusy, coresText, CpuMeter } from './process-cpu.ts';
import { AgentPool } from './agents/agent-pool.ts';
import { labWay, rawWay, type Way } from './agents/links.ts';

/** Higher than scale.ts's: two workers should pass 2,000 consoles. */
const STEPS = [100, 200, 400, 700, 1000, 1200, 1400, 1600, 1800, 2000, 2400, 2800, 3600, 4400];
const PAIRS_PER_LAB = 1;
const BUSY_PAIRS = 80;
/** Memory bound of the climb: scale.ts's 400 MB for each of the server's processes. */
const RSS_BOUND_PER_PROCESS_BYTES = 400 * 1024 * 1024;
const SCALE_FACTOR_GOAL = 1.6;
const P99_OVER_RAW_GOAL = 1.5;

/** A way of serving labs to measure, its rows side by side with the others'. */
interface Setup {
  name: string;
  /** Its processes, for the memory bound (400 MB each). */
  processes: number;
  start(consoles: number): Promise<BenchServer>;
  /** The goal of its scale row: at least `factor` times the consoles `over` held. */
  scaleGoal?: { over: string; factor: number };
  /** Whether the 80-pair round trip is measured on it too (the goals name --workers alone). */
  roundTrip: boolean;
  /** What holds a lab, by BenchServer.workerOf's number, for the notes ("worker 0", "lab1"). */
  part(index: number): string;
  /** More for its rows' notes. */
  note?: () => string;
}

const worker = (i: number) => `worker ${i}`;

const SETUPS: Setup[] = [
  { name: '--workers 1', processes: 1, start: (consoles) => startBenchServer({ workers: 1, consoles }), roundTrip: true, part: worker },
  {
    name: '--workers 2',
    processes: 3,
    start: (consoles) => startBenchServer({ workers: 2, consoles }),
    scaleGoal: { over: '--workers 1', factor: SCALE_FACTOR_GOAL },
    roundTrip: true,
    part: worker,
  },
  {
    // HAProxy and two instances of one process each (bench/haproxy-instances.ts).
    name: HAPROXY_SETUP_NAME,
    processes: 3,
    start: (consoles) => startHaproxyInstances({ consoles, store: schoolStore() }),
    roundTrip: false,
    part: (i) => HAPROXY_SERVERS[i] ?? `instance ${i}`,
    note: () => `each instance --workers 1, store: ${schoolStoreNote(schoolStore())}; HAProxy relays every byte`,
  },
];

/** Links each in a lab of its own on `server`; counts the labs each worker answered for. */
function labPerPairWay(pool: AgentPool, server: BenchServer, tag: string, labsPerWorker: number[]): Way {
  return {
    async link(i) {
      const code = await server.createLab();
      const worker = await server.workerOf(code);
      labsPerWorker[worker] = (labsPerWorker[worker] ?? 0) + 1;
      return labWay(pool, server.baseUrl, code, tag).link(i);
    },
    close: () => pool.closeAll(),
  };
}

const spread = (labsPerWorker: number[], part: (i: number) => string) =>
  Array.from(labsPerWorker, (n, i) => `${part(i)}: ${n ?? 0}`).join(', ');

async function scaleRows(servers: Map<string, BenchServer>, quick: boolean): Promise<MeasureRow[]> {
  const steps = quick ? QUICK_STEPS : STEPS;
  const climbs = new Map<string, Climb>();
  // One climb at a time: the other server idles meanwhile (its pairs are closed).
  for (const setup of SETUPS) {
    const rssBoundBytes = RSS_BOUND_PER_PROCESS_BYTES * setup.processes;
    climbs.set(setup.name, await climb(servers.get(setup.name)!, { steps, holdMs: quick ? 2000 : 5000, pairsPerLab: PAIRS_PER_LAB, rssBoundBytes }));
  }
  const consoles = (name: string) => bestStep(climbs.get(name)!)?.consoles ?? 0;
  return SETUPS.map((setup) => {
    const c = climbs.get(setup.name)!;
    const best = bestStep(c);
    const goal = setup.scaleGoal;
    const over = goal ? consoles(goal.over) : 0;
    // One quick step cannot tell a larger capacity: both pass it or not.
    const comparable = !quick && over > 0;
    return {
      measure: `workers scale: consoles held chatting 5 lines/s/pair, p99 < ${P99_BOUND_MS} ms, ${setup.name}`,
      unit: 'consoles',
      better: 'higher',
      ours: figureOf([best?.consoles ?? 0]),
      baseline: goal ? { name: goal.over, figure: figureOf([over]) } : null,
      ...(goal ? { goal: `at least ${goal.factor}x ${goal.over}`, ...(comparable ? { met: (best?.consoles ?? 0) >= goal.factor * over } : {}) } : {}),
      note: `${climbNote(c, steps)}; a lab per pair (labs: ${spread(c.labsPerWorker, setup.part)}); memory bound ${setup.processes} x 400 MB (all its processes)${setup.note ? `; ${setup.note()}` : ''}${best ? `; RSS at ${best.consoles}: ${(best.rss / 2 ** 20).toFixed(0)} MB, idle ${(c.idleRss / 2 ** 20).toFixed(0)} MB` : ''}${quick ? '; quick: one step, no comparison' : ''}`,
    };
  });
}

async function latencyRows(servers: Map<string, BenchServer>, quick: boolean): Promise<MeasureRow[]> {
  const runs = quick ? 1 : 3;
  const rounds = roundsPerPair(BUSY_PAIRS, quick);
  const setups = SETUPS.filter((s) => s.roundTrip);
  const pool = AgentPool.start();
  const samples = new Map<string, PingPongRun[]>([['raw', []], ...setups.map((s) => [s.name, []] as [string, []])]);
  const labsPerWorker = new Map<string, number[]>(setups.map((s) => [s.name, []]));
  let tag = 0;
  try {
    // Interleaved, so that the machine's other load falls on every way alike; one uncounted run first.
    for (let r = quick ? 0 : -1; r < runs; r++) {
      const keep = (name: string, p: PingPongRun) => r >= 0 && samples.get(name)!.push(p);
      const agents = () => pool.pids();
      keep('raw', await pingPongOnce(rawWay(pool), BUSY_PAIRS, rounds, 'raw', new CpuMeter({ server: () => [], agents })));
      for (const setup of setups) {
        const server = servers.get(setup.name)!;
        const way = labPerPairWay(pool, server, `wk${tag++}`, r >= 0 ? labsPerWorker.get(setup.name)! : []);
        keep(setup.name, await pingPongOnce(way, BUSY_PAIRS, rounds, `relay ${setup.name}`, new CpuMeter({ server: () => server.pids(), agents })));
      }
    }
  } finally {
    await pool.stop();
  }
  const raw = samples.get('raw')!;
  const rows: MeasureRow[] = [];
  for (const setup of setups) {
    for (const p of ['p50', 'p99'] as const) {
      const ours = figureOf(samples.get(setup.name)!.map((x) => x[p]));
      const baseline = figureOf(raw.map((x) => x[p]));
      const gated = p === 'p99';
      rows.push({
        measure: `round trip 64 B, ${BUSY_PAIRS} pairs busy, a lab each, ${p}, ${setup.name}`,
        unit: 'ms',
        better: 'lower',
        ours,
        baseline: { name: 'raw TCP', figure: baseline },
        ...(gated ? { goal: `at most ${P99_OVER_RAW_GOAL}x raw TCP`, met: ours.median <= P99_OVER_RAW_GOAL * baseline.median } : {}),
        note: `${BUSY_PAIRS} pairs x ${rounds} round trips per run, ${runs} run${runs > 1 ? 's' : ''}, a new lab for each pair of each run; labs of the counted runs: ${spread(labsPerWorker.get(setup.name)!, setup.part)}`,
      });
    }
    rows.push(cpuRow(setup.name, samples.get(setup.name)!, raw));
  }
  return rows;
}

/** Microseconds of CPU per round trip of a group (server, agents) in one run. */
const microsPerRoundTrip = (run: PingPongRun, group: 'server' | 'agents') => (1e6 * run.cpu!.cpuSeconds[group]!) / run.roundTrips;
const cores = (run: PingPongRun, group: 'server' | 'agents') => coresBusy(run.cpu!)[group]!;
const medianOf = (runs: PingPongRun[], f: (run: PingPongRun) => number) => figureOf(runs.map(f)).median;

/**
 * What a round trip costs the machine, the lab's (server and agents) beside raw TCP's (agents
 * alone): with the bench's agents on the server's cores, a busy round trip's latency follows it.
 */
function cpuRow(name: string, runs: PingPongRun[], raw: PingPongRun[]): MeasureRow {
  const total = (run: PingPongRun) => microsPerRoundTrip(run, 'server') + microsPerRoundTrip(run, 'agents');
  const busy = (list: PingPongRun[]) => coresText({ server: medianOf(list, (r) => cores(r, 'server')), agents: medianOf(list, (r) => cores(r, 'agents')) });
  return {
    measure: `CPU per round trip, ${BUSY_PAIRS} pairs busy, a lab each, ${name}`,
    unit: 'µs',
    better: 'lower',
    ours: figureOf(runs.map(total)),
    baseline: { name: 'raw TCP', figure: figureOf(raw.map(total)) },
    note: `server ${medianOf(runs, (r) => microsPerRoundTrip(r, 'server')).toFixed(0)} µs + agents ${medianOf(runs, (r) => microsPerRoundTrip(r, 'agents')).toFixed(0)} µs (raw TCP: agents alone); while they ran, ${busy(runs)} (raw TCP: ${busy(raw)}) of the machine's ${availableParallelism()}; user and system time from /proc, warm-up round trips included`,
  };
}

export async function run(options: { quick: boolean }): Promise<MeasureRow[]> {
  // Each server is started once (a start takes seconds) and serves both measures.
  const consoles = Math.max((options.quick ? QUICK_STEPS : STEPS).at(-1)!, 2 * BUSY_PAIRS);
  const servers = new Map<string, BenchServer>();
  try {
    for (const setup of SETUPS) servers.set(setup.name, await setup.start(consoles));
    return [...(await scaleRows(servers, options.quick)), ...(await latencyRows(servers, options.quick))];
  } finally {
    await Promise.all([...servers.values()].map((s) => s.stop()));
  }
}

runWhenCalledDirectly(import.meta.url, run);
