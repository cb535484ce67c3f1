// Check results over a real server: a device reports them (validated; only a device the lab
// knows), the server keeps the last per device and question, the teacher reads them as JSON
// and CSV with the token (401 without), and closing a lab takes its results along.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { startLabServer, TEST_TEACHER_TOKEN, type TestLabServer } from './support/lab-server.ts';

let server: TestLabServer;
let code: string;
let address: string;
const KEY = 'device-key-for-checks';
const teacher = { authorization: `Bearer ${TEST_TEACHER_TOKEN}` };

beforeAll(async () => {
  server = await startLabServer();
  code = await server.createLab();
  address = server.registry.get(code)!.deviceFor(KEY)!.address;
});

afterAll(async () => {
  await server?.close();
});

function report(body: unknown, lab = code): Promise<Response> {
  return fetch(`${server.baseUrl}/api/labs/${lab}/checks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const q10 = (passed: boolean) => ({
  device: KEY,
  question: 10,
  passed,
  scenarios: [
    { name: 'a win on the first try', passed: true },
    { name: 'a guess sent in two pieces', passed },
  ],
  at: Date.now(),
});

test('a device reports a result; the last one per question is kept and shown to the teacher', async () => {
  assert.equal((await report(q10(false))).status, 201);
  assert.equal((await report(q10(true))).status, 201);
  assert.equal((await report({ device: KEY, question: 6, passed: false, scenarios: [{ name: 'server', passed: false }] })).status, 201);
  const rows = (await (await fetch(`${server.baseUrl}/api/teacher/checks`, { headers: teacher })).json()) as { question: number; passed: boolean; scenariosPassed: number; scenarioCount: number; address: string }[];
  assert.deepEqual(
    rows.map((r) => [r.address, r.question, r.passed, r.scenariosPassed, r.scenarioCount]),
    [
      [address, 6, false, 0, 1],
      [address, 10, true, 2, 2],
    ],
  );
});

test('the CSV export: a header, one line per device and question, the token required', async () => {
  assert.equal((await fetch(`${server.baseUrl}/api/teacher/checks.csv`)).status, 401);
  assert.equal((await fetch(`${server.baseUrl}/api/teacher/checks`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
  const res = await fetch(`${server.baseUrl}/api/teacher/checks.csv`, { headers: teacher });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^text\/csv/);
  const lines = (await res.text()).trimEnd().split('\r\n');
  assert.equal(lines[0], 'lab,device,question,result,scenarios_passed,scenarios,checked_at');
  assert.match(lines[1]!, new RegExp(`^${code},${address.replace(/\./g, '\\.')},6,failed,0,1,\\d{4}-\\d\\d-\\d\\dT`));
  assert.match(lines[2]!, new RegExp(`^${code},${address.replace(/\./g, '\\.')},10,passed,2,2,`));
});

test('bad reports are refused with a reason, and nothing is kept', async () => {
  const cases: [unknown, RegExp][] = [
    [[], /JSON object/],
    [{ ...q10(true), question: 7 }, /question/],
    [{ ...q10(true), scenarios: [] }, /scenarios/],
    [{ ...q10(true), scenarios: [{ name: 'x'.repeat(101), passed: true }] }, /scenarios/],
    [{ ...q10(true), passed: true, scenarios: [{ name: 'a', passed: false }] }, /every scenario/],
    [{ ...q10(true), device: 5 }, /device/],
  ];
  for (const [body, reason] of cases) {
    const res = await report(body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.match(((await res.json()) as { error: string }).error, reason);
  }
  assert.equal((await report({ ...q10(true), device: 'never-seen' })).status, 404);
  assert.equal((await report(q10(true), 'NOLAB1')).status, 404);
});

test('closing a lab takes its results along', async () => {
  const other = await server.createLab();
  server.registry.get(other)!.deviceFor(KEY);
  assert.equal((await report(q10(true), other)).status, 201);
  assert.equal(server.store!.checkResults().filter((r) => r.lab === other).length, 1);
  const res = await fetch(`${server.baseUrl}/api/teacher/labs/${other}`, { method: 'DELETE', headers: teacher });
  assert.equal(res.status, 204);
  assert.equal(server.store!.checkResults().filter((r) => r.lab === other).length, 0);
});
