// How routes check their input: each route declares JSON Schemas (body, params, querystring)
// and Fastify's Ajv checks them before the handler runs. Two things differ from Fastify's
// defaults, both so that the API answers as it did when handlers checked by hand:
// - no type coercion (AJV_OPTIONS): by default Ajv turns `"true"`, `1` and `null` into a
//   boolean and `5` into "5", so {"revealAnswers": null} would switch the answers off and a
//   device key sent as a number would pass as a string;
// - a 400 says what is wrong as `{ error }`, like every other refusal of this API (the pages
//   and the teacher's page read `error`; Fastify's own body puts "Bad Request" there).

import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaValidationError, FastifyServerOptions } from 'fastify';

/** Fastify's `ajv` option for the server (server/app.ts): its defaults, without coercion. */
export const AJV_OPTIONS: FastifyServerOptions['ajv'] = { customOptions: { coerceTypes: false } };

/** One issue as a sentence: where (body/scenarios/0/name) and what, with the allowed values of an enum. */
export function describeIssue(part: string, issue: FastifySchemaValidationError): string {
  const allowed = issue.keyword === 'enum' ? (issue.params as { allowedValues?: unknown[] }).allowedValues : undefined;
  return `${part}${issue.instancePath} ${issue.message ?? 'is not valid'}${allowed ? `: ${allowed.join(', ')}` : ''}`;
}

/**
 * A route's errorHandler: input that fails the route's schema is answered 400
 * `{ error: "HINT: body/field must be ..." }`; any other error goes on to the server's handler.
 */
export function answerBadInput(hint?: string) {
  return function badInput(error: FastifyError, _req: FastifyRequest, reply: FastifyReply) {
    const issue = error.validation?.[0];
    if (!issue) throw error;
    const what = describeIssue(error.validationContext ?? 'request', issue);
    return reply.code(400).send({ error: hint ? `${hint}: ${what}` : what });
  };
}
