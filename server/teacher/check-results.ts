// The kept Check results as the teacher sees them: one row per device and question, the
// device named by its lab address (also for labs removed after their retention), and the
// same rows as CSV (RFC 4180: commas, quotes doubled, CRLF) with the time in ISO 8601 (UTC).

import type { CheckResultRow } from '../../shared/checks/check-report.ts';
import type { CheckQuestion } from '../../shared/checks/scenario.ts';
import { deviceAddress, formatIPv4 } from '../../shared/lab-address.ts';
import type { KeptCheckResult } from '../store/lab-store.ts';

/** Rows of live labs and of labs removed as ended alike: the address comes from the lab's number. */
export function checkResultRows(stored: readonly KeptCheckResult[]): CheckResultRow[] {
  return stored.map((r) => ({
    lab: r.lab,
    labEnded: r.labEnded,
    deviceId: r.deviceId,
    address: formatIPv4(deviceAddress(r.labNumber, r.deviceId)),
    question: r.question as CheckQuestion,
    passed: r.passed,
    scenariosPassed: r.scenarios.filter((s) => s.passed).length,
    scenarioCount: r.scenarios.length,
    at: r.at,
  }));
}

export const CSV_HEADER = ['lab', 'device', 'question', 'result', 'scenarios_passed', 'scenarios', 'checked_at'];

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function checksCsv(rows: readonly CheckResultRow[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const r of rows) {
    lines.push(
      [r.lab, r.address, r.question, r.passed ? 'passed' : 'failed', r.scenariosPassed, r.scenarioCount, new Date(r.at).toISOString()]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
