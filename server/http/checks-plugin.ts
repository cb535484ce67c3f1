// Check results: a device reports each Check it ran (POST /api/labs/CODE/checks, validated by
// shared/checks/check-report.ts) and the server keeps the last one per device and question in
// the database. The teacher reads them, with the teacher's token, as JSON
// (GET /api/teacher/checks) or as a CSV file for a spreadsheet (GET /api/teacher/checks.csv).

import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { parseCheckReport } from '../../shared/checks/check-report.ts';
import type { JoinLimiter } from '../lab/join-limiter.ts';
import type { LabRegistry } from '../lab/lab-registry.ts';
import { labByCode } from './lab-by-code.ts';
import type { LabStore } from '../store/lab-store.ts';
import { bearerToken, tokenMatches } from '../teacher/teacher-auth.ts';
import { checkResultRows, checksCsv } from '../teacher/check-results.ts';

export interface ChecksOptions {
  registry: LabRegistry;
  store: Pick<LabStore, 'saveCheckResult' | 'checkResults'>;
  teacherToken: string;
  /** Wrong lab codes per address: a report to a wrong code counts as a try. */
  joinLimiter: JoinLimiter;
}

const UNAUTHORIZED = { error: "the teacher's token is missing or wrong: open the teacher's URL printed at start-up" };

async function checks(app: FastifyInstance, options: ChecksOptions): Promise<void> {
  if (!options.registry || !options.store || !options.joinLimiter || typeof options.teacherToken !== 'string' || options.teacherToken === '') {
    throw new Error('checks plugin needs registry, store, joinLimiter and teacherToken');
  }
  const { registry, store, teacherToken, joinLimiter } = options;

  app.post<{ Params: { code: string }; Body: unknown }>('/api/labs/:code/checks', async (req, reply) => {
    const lab = labByCode(registry, joinLimiter, req, reply);
    if (!lab) return reply;
    const report = parseCheckReport(req.body);
    if ('error' in report) return reply.code(400).send({ error: report.error });
    // Only a device the lab knows (it has said hello with this key): a report never makes one.
    const device = lab.devices.get(report.device);
    if (!device) return reply.code(404).send({ error: 'this lab has no device with that key: open the lab page first' });
    const at = Date.now();
    store.saveCheckResult({ lab: lab.code, deviceId: device.id, question: report.question, passed: report.passed, scenarios: report.scenarios, at });
    return reply.code(201).send({ question: report.question, passed: report.passed, at });
  });

  const teacherOnly = (authorization: string | undefined): boolean => tokenMatches(bearerToken(authorization), teacherToken);

  app.get('/api/teacher/checks', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    if (!teacherOnly(req.headers.authorization)) return reply.code(401).header('www-authenticate', 'Bearer').send(UNAUTHORIZED);
    return checkResultRows(store.checkResults());
  });

  app.get('/api/teacher/checks.csv', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    if (!teacherOnly(req.headers.authorization)) return reply.code(401).header('www-authenticate', 'Bearer').send(UNAUTHORIZED);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="socket-lab-checks.csv"')
      .send(checksCsv(checkResultRows(store.checkResults())));
  });
}

export const checksPlugin = fp(checks, { name: 'socket-lab-checks', fastify: '5.x' });
