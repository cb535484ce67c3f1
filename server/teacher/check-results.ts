// The kept Check results as the teacher sees them: one row per device and question, the
// device named by its lab address, and the same rows as CSV (RFC 4180: commas, quotes
// doubled, CRLF) with the time in ISO 8601 (UTC).

import type { CheckResultRow } from '../../shared/checks/check-report.ts';
import type { CheckQuestion } from '../../shared/checks/scenario.ts';
import type { LabRegistry } from '../lab/lab-registry.ts';
import type { StoredCheckResult } from '../store/lab-store.ts';

export function checkResultRows(stored: readonly StoredCheckResult[], registry: Pick<LabRegistry, 'get'>): CheckResultRow[] {
  const rows: CheckResultRow[] = [];
  for (const r of stored) {
    const device = registry.get(r.lab)?.devicesById.get(r.deviceId);
    if (!device) continue;
    rows.push({
      lab: r.lab,
      deviceId: r.deviceId,
      address: device.address,
      question: r.question as CheckQuestion,
      passed: r.passed,
      scenariosPassed: r.scenarios.filter((s) => s.passed).length,
      scenarioCount: r.scenarios.length,
      at: r.at,
    });
  }
  return rows;
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
