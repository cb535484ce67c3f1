// Runs a question's Check: a headless console session of this device (the lab and device key
// the page's consoles use), Python warmed once, then each scenario in turn: the reference
// peer (a process of that session) and the student's file (browser Python), over the lab's
// real TCP. Each scenario is bounded in time; whatever is still running at its end is stopped.

import type { CheckQuestion, Scenario } from '../../../shared/checks/scenario.ts';
import { QUESTION_CHECKS } from '../../../shared/checks/questions.ts';
import { Transcript } from '../../../shared/checks/transcript.ts';
import { BridgeSession, type WebSocketLike } from '../../common/bridge/bridge-session.ts';
import { ProgramProcess } from '../../common/programs/program-process.ts';
import { keepSparePythonWorker, returnUnusedPythonWorker, takePythonWorker } from '../../python/spare-python-worker.ts';
import { CheckFailure } from '../../common/lesson/checks/check-failure.ts';
import { ReferencePeer, type PeerTimes } from './reference-peer.ts';
import { StudentRun } from './student-run.ts';

export const DEFAULT_PEER_TIMES: PeerTimes = { stepTimeoutMs: 5000, quietMs: 1000, piecePauseMs: 500, connectRetryMs: 100 };

export interface ScenarioResult {
  name: string;
  passed: boolean;
  /** The first difference, for a failed scenario. */
  message: string | null;
  transcript: string;
}

export interface CheckEnvironment {
  bridgeUrl: string;
  lab: string;
  deviceKey: string;
  /** The device's files as they are now (the student's program and what it imports). */
  files: Readonly<Record<string, string>>;
  times?: Partial<PeerTimes>;
  /** Each scenario's result as it comes. */
  onResult?(result: ScenarioResult, index: number): void;
  /** Loading Python (first Check of the page). */
  onLoading?(loading: boolean): void;
}

/** The reference peer's process name: the worksheet program it stands in for. */
const PEER_NAMES: Record<CheckQuestion, { server: string; client: string }> = {
  6: { server: 'basic_server', client: 'basic_client' },
  8: { server: 'chat_server', client: 'chat_client' },
  9: { server: 'game_server', client: 'game_client' },
  10: { server: 'guess_client', client: 'guess_client' },
  11: { server: 'chat_server', client: 'chat_client' },
};

export async function runCheck(question: CheckQuestion, env: CheckEnvironment): Promise<ScenarioResult[]> {
  const checks = QUESTION_CHECKS[question];
  const times = { ...DEFAULT_PEER_TIMES, ...env.times };
  const missing = checks.files.filter((f) => !(f.name in env.files)).map((f) => f.name);
  // The DOM's WebSocket types its handlers with DOM events; the same object at run time.
  const ws = new WebSocket(env.bridgeUrl) as unknown as WebSocketLike;
  const session = await BridgeSession.open(ws, env.lab, env.deviceKey);
  try {
    const results: ScenarioResult[] = [];
    for (const [i, scenario] of checks.scenarios.entries()) {
      // A loaded worker for each run (the last run's spare may still be loading): the
      // scenario's time bounds then count the program, not Python's start.
      await warmPython(env);
      const result = missing.includes(scenario.file)
        ? { name: scenario.name, passed: false, message: `there is no file ${scenario.file} on this device yet: open it with its button first`, transcript: '' }
        : await runScenario(session, question, scenario, env.files, times);
      results.push(result);
      env.onResult?.(result, i);
    }
    return results;
  } finally {
    session.close();
  }
}

async function warmPython(env: CheckEnvironment): Promise<void> {
  keepSparePythonWorker();
  const worker = takePythonWorker();
  if (!worker.isReady) env.onLoading?.(true);
  try {
    await worker.ready;
  } finally {
    env.onLoading?.(false);
    returnUnusedPythonWorker(worker);
  }
}

async function runScenario(
  session: BridgeSession,
  question: CheckQuestion,
  scenario: Scenario,
  files: Readonly<Record<string, string>>,
  times: PeerTimes,
): Promise<ScenarioResult> {
  const transcript = new Transcript();
  if (scenario.secret !== undefined) transcript.add('check', `random's pick of the secret number is fixed to ${scenario.secret}`);
  const peerIsServer = scenario.peer.some((s) => s.do === 'accept');
  const process = await ProgramProcess.spawn(session, PEER_NAMES[question][peerIsServer ? 'server' : 'client'], []);
  const student = new StudentRun(session, scenario, files, transcript);
  const peer = new ReferencePeer(process, scenario, student, transcript, times);
  let message: string | null = null;
  try {
    await peer.prepare();
    await student.start();
    await peer.play();
    if (student.problem) throw student.problem;
  } catch (err) {
    message = err instanceof CheckFailure ? err.message : `the check itself failed: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    await peer.close();
    process.finish();
    await process.exit();
    await student.stop();
  }
  if (message !== null) transcript.add('check', `FAILED: ${message}`);
  return { name: scenario.name, passed: message === null, message, transcript: transcript.toText() };
}
