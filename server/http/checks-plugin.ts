// Check results: a device reports each Check it ran (POST /api/labs/CODE/checks, validated by
// the schema below and shared/checks/check-report.ts) and the server keeps the last one per
// device and question in the database. The teacher reads them through
// server/http/check-results-plugin.ts.

import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { MAX_DEVICE_KEY_CHARS, MAX_SCENARIO_NAME_CHARS, MAX_SCENARIOS, parseCheckReport } from '../../shared/checks/check-report.ts';
import { CHECK_QUESTIONS } from '../../shared/checks/scenario.ts';
import type { JoinLimiter } from '../lab/join-limiter.ts';
import type { LabRegistry } from '../lab/lab-registry.ts';
import { LAB_CODE_PARAMS, labByCode } from './lab-by-code.ts';
import type { StoredCheckResult } from '../store/lab-store.ts';
import { answerBadInput } from './route-validation.ts';

export interface ChecksOptions {
  registry: LabRegistry;
  /** SQLite's LabStore, or the database shared by several instances (--database: a promise, and the others told). */
  store: { saveCheckResult(result: StoredCheckResult): void | Promise<void> };
  /** Wrong lab codes per address: a report to a wrong code counts as a try. */
  joinLimiter: JoinLimiter;
}

/** A report's shape; parseCheckReport adds what a schema cannot say (passed = every scenario passed). */
const CHECK_REPORT_BODY = {
  type: 'object',
  required: ['device', 'question', 'passed', 'scenarios'],
  properties: {
    device: { type: 'string', minLength: 1, maxLength: MAX_DEVICE_KEY_CHARS },
    question: { enum: CHECK_QUESTIONS },
    passed: { type: 'boolean' },
    scenarios: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_SCENARIOS,
      items: {
        type: 'object',
        required: ['name', 'passed'],
        properties: { name: { type: 'string', minLength: 1, maxLength: MAX_SCENARIO_NAME_CHARS }, passed: { type: 'boolean' } },
      },
    },
    at: { type: 'number' },
  },
} as const;

async function checks(app: FastifyInstance, options: ChecksOptions): Promise<void> {
  if (!options.registry || !options.store || !options.joinLimiter) {
    throw new Error('checks plugin needs registry, store and joinLimiter');
  }
  const { registry, store, joinLimiter } = options;

  app.post<{ Params: { code: string }; Body: unknown }>(
    '/api/labs/:code/checks',
    {
      schema: { params: LAB_CODE_PARAMS, body: CHECK_REPORT_BODY },
      // The lab is looked up first, as for every route with a code: a report to a wrong code
      // counts as a wrong code whatever its body (so the body's check waits for the handler).
      attachValidation: true,
      errorHandler: answerBadInput('send a Check report as a JSON object'),
    },
    async (req, reply) => {
      const lab = await labByCode(registry, joinLimiter, req, reply);
      if (!lab) return reply;
      if (req.validationError) throw req.validationError;
      const report = parseCheckReport(req.body);
      if ('error' in report) return reply.code(400).send({ error: report.error });
      // Only a device the lab knows (it has said hello with this key): a report never makes one.
      const device = lab.devices.get(report.device);
      if (!device) return reply.code(404).send({ error: 'this lab has no device with that key: open the lab page first' });
      const at = Date.now();
      await store.saveCheckResult({ lab: lab.code, deviceId: device.id, question: report.question, passed: report.passed, scenarios: report.scenarios, at });
      return reply.code(201).send({ question: report.question, passed: report.passed, at });
    },
  );
}

export const checksPlugin = fp(checks, { name: 'socket-lab-checks', fastify: '5.x' });
