// The Check results for the teacher (kept by server/http/checks-plugin.ts): as JSON
// (GET /api/teacher/checks) or as a CSV file for a spreadsheet (GET /api/teacher/checks.csv).
// Registered in the teacher's scope (server/http/teacher-scope.ts), which checks the token:
// the rows are those of the request's class (its labs, live or ended) alone.

import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { KeptCheckResult } from '../store/lab-store.ts';
import { checkResultRows, checksCsv } from '../teacher/check-results.ts';
import { TEACHER_AUTH_PLUGIN, teacherOf } from './teacher-scope.ts';

export interface CheckResultsOptions {
  /** SQLite's LabStore, or the database shared by several instances (--database: a promise). */
  store: { checkResults(classId?: number): KeptCheckResult[] | Promise<KeptCheckResult[]> };
}

async function checkResults(app: FastifyInstance, options: CheckResultsOptions): Promise<void> {
  if (!options.store) throw new Error('check results plugin needs the store');
  const { store } = options;

  app.get('/checks', async (req) => checkResultRows(await store.checkResults(teacherOf(req).class.id)));

  app.get('/checks.csv', async (req, reply) => {
    const rows = checkResultRows(await store.checkResults(teacherOf(req).class.id));
    return reply
      .type('text/csv; charset=utf-8')
      // A class's file says which class (slugs are [a-z0-9-], safe in the header).
      .header('content-disposition', `attachment; filename="socket-lab-checks${teacherOf(req).class.slug ? `-${teacherOf(req).class.slug}` : ''}.csv"`)
      .send(checksCsv(rows));
  });
}

export const checkResultsPlugin = fp(checkResults, { name: 'socket-lab-check-results', fastify: '5.x', dependencies: [TEACHER_AUTH_PLUGIN] });
