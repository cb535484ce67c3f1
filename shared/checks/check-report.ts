// What a device reports after a Check (POST /api/labs/CODE/checks) and what the server keeps:
// per device and question, the last result. Validated here for both sides.

import { CHECK_QUESTIONS, type CheckQuestion } from './scenario.ts';

export const MAX_SCENARIOS = 20;
export const MAX_SCENARIO_NAME_CHARS = 100;
export const MAX_DEVICE_KEY_CHARS = 128;

export interface ScenarioOutcome {
  name: string;
  passed: boolean;
}

export interface CheckReport {
  /** The device's key, as in the bridge's hello. */
  device: string;
  question: CheckQuestion;
  /** Every scenario passed. */
  passed: boolean;
  scenarios: ScenarioOutcome[];
  /** When the page finished the Check (ms since the epoch, the page's clock); informative only. */
  at?: number;
}

export function parseCheckReport(body: unknown): CheckReport | { error: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { error: 'send a JSON object' };
  const b = body as Record<string, unknown>;
  if (typeof b.device !== 'string' || b.device === '' || b.device.length > MAX_DEVICE_KEY_CHARS) {
    return { error: 'device: this device\'s key (a string)' };
  }
  if (!CHECK_QUESTIONS.includes(b.question as CheckQuestion)) return { error: `question: one of ${CHECK_QUESTIONS.join(', ')}` };
  if (!Array.isArray(b.scenarios) || b.scenarios.length === 0 || b.scenarios.length > MAX_SCENARIOS) {
    return { error: `scenarios: a list of 1 to ${MAX_SCENARIOS} {name, passed}` };
  }
  const scenarios: ScenarioOutcome[] = [];
  for (const s of b.scenarios as unknown[]) {
    const item = s as Record<string, unknown> | null;
    if (
      typeof item !== 'object' || item === null ||
      typeof item.name !== 'string' || item.name === '' || item.name.length > MAX_SCENARIO_NAME_CHARS ||
      typeof item.passed !== 'boolean'
    ) {
      return { error: `scenarios: each one {name: a string of 1 to ${MAX_SCENARIO_NAME_CHARS} characters, passed: true or false}` };
    }
    scenarios.push({ name: item.name, passed: item.passed });
  }
  if (typeof b.passed !== 'boolean') return { error: 'passed: true or false' };
  if (b.passed !== scenarios.every((s) => s.passed)) return { error: 'passed: true exactly when every scenario passed' };
  if (b.at !== undefined && (typeof b.at !== 'number' || !Number.isFinite(b.at))) return { error: 'at: a time in ms since the epoch' };
  const report: CheckReport = { device: b.device, question: b.question as CheckQuestion, passed: b.passed, scenarios };
  if (typeof b.at === 'number') report.at = b.at;
  return report;
}

/** A kept result, as the teacher sees it. */
export interface CheckResultRow {
  lab: string;
  /** The lab was removed after --lab-retention hours with no console; its results are kept. */
  labEnded: boolean;
  deviceId: number;
  address: string;
  question: CheckQuestion;
  passed: boolean;
  scenariosPassed: number;
  scenarioCount: number;
  /** When the server received it (ms since the epoch, the server's clock). */
  at: number;
}
