// Sends a Check's result to the lab server, which keeps the last one per device and question
// for the teacher (POST /api/labs/CODE/checks, shared/checks/check-report.ts).

import type { CheckReport } from '../../../shared/checks/check-report.ts';
import type { CheckQuestion } from '../../../shared/checks/scenario.ts';
import type { ScenarioResult } from './check-runner.ts';

export async function postCheckResult(lab: string, deviceKey: string, question: CheckQuestion, results: ScenarioResult[]): Promise<void> {
  const scenarios = results.map((r) => ({ name: r.name, passed: r.passed }));
  const report: CheckReport = { device: deviceKey, question, passed: scenarios.every((s) => s.passed), scenarios, at: Date.now() };
  const res = await fetch(`/api/labs/${encodeURIComponent(lab)}/checks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(report),
  });
  if (!res.ok) throw new Error(`the lab server did not keep the result (${res.status})`);
}
