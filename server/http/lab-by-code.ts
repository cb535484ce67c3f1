// Every HTTP route that takes a lab's code in its URL looks the lab up here, as a join try:
// an address that has tried too many wrong codes waits (429, with Retry-After), and a wrong
// code counts against it. One place, so that no route answers "no such lab" without counting
// (each would otherwise be a way to find codes by trying).

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JoinLimiter } from '../lab/join-limiter.ts';
import { tooManyAttemptsMessage } from '../lab/join-limiter.ts';
import type { Lab, LabRegistry } from '../lab/lab-registry.ts';

/**
 * The params schema of a route with :code. Any string: a code that cannot exist is still a
 * wrong code (404, counted), so the lab page shows "no such lab" for whatever URL it was given.
 */
export const LAB_CODE_PARAMS = {
  type: 'object',
  properties: { code: { type: 'string' } },
  required: ['code'],
} as const;

/** The answer for a code that names no lab (also for a lab that is not the asker's to see). */
export function noSuchLab(code: string): { error: string } {
  return { error: `there is no lab with the code ${code}` };
}

/**
 * The lab named by req.params.code, or null once the refusal (429 or 404) has been sent.
 * `trusted` (the teacher) is neither held up nor counted. With the shared store (--database) a
 * lab this instance does not hold is read from the database (LabRegistry.find).
 */
export async function labByCode(
  registry: LabRegistry,
  limiter: JoinLimiter,
  req: FastifyRequest<{ Params: { code: string } }>,
  reply: FastifyReply,
  trusted = false,
): Promise<Lab | null> {
  if (!trusted && !limiter.allowed(req.ip)) {
    const seconds = limiter.retryAfterSeconds(req.ip);
    void reply.code(429).header('retry-after', String(seconds)).send({ error: tooManyAttemptsMessage(seconds) });
    return null;
  }
  const lab = await registry.find(req.params.code);
  if (lab) return lab;
  if (!trusted) limiter.wrong(req.ip);
  void reply.code(404).send(noSuchLab(req.params.code));
  return null;
}
