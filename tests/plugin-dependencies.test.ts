// Each server plugin that needs another says so in its fastify-plugin metadata, so Fastify
// refuses to register it without: the sync plugin needs the bridge's @fastify/websocket, and
// every teacher route plugin the teacher scope's token check. (server/app.ts registering them
// all, in order, is every other integration test.)

import { test } from 'vitest';
import assert from 'node:assert/strict';
import Fastify, { type FastifyPluginAsync } from 'fastify';
import { syncPlugin } from '../server/bridge/sync-plugin.ts';
import { teacherPlugin } from '../server/http/teacher-plugin.ts';
import { checkResultsPlugin } from '../server/http/check-results-plugin.ts';
import { classesPlugin } from '../server/http/classes-plugin.ts';
import { ClassRegistry } from '../server/classes/class-registry.ts';
import { teacherAuthPlugin } from '../server/http/teacher-scope.ts';
import { LabStore } from '../server/store/lab-store.ts';

async function registrationError(plugin: FastifyPluginAsync<never>, options: object): Promise<Error & { code?: string }> {
  const app = Fastify();
  try {
    await app.register(plugin as FastifyPluginAsync, options);
    await app.ready();
  } catch (err) {
    return err as Error & { code?: string };
  } finally {
    await app.close();
  }
  assert.fail('the plugin was registered');
}

test('the sync plugin is refused without the bridge plugin', async () => {
  const err = await registrationError(syncPlugin as FastifyPluginAsync<never>, { channels: new Map() });
  assert.equal(err.code, 'FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED');
  assert.match(err.message, /socket-lab-bridge/);
});

test('teacher route plugins are refused outside the teacher scope', async () => {
  for (const plugin of [teacherPlugin, checkResultsPlugin, classesPlugin]) {
    const err = await registrationError(plugin as FastifyPluginAsync<never>, {});
    assert.equal(err.code, 'FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED');
    assert.match(err.message, /socket-lab-teacher-auth/);
  }
});

test('inside a scope with the token check, a teacher route plugin registers', async () => {
  const app = Fastify();
  const store = LabStore.open(null);
  try {
    await app.register(async (scope) => {
      await scope.register(teacherAuthPlugin, { token: 't', classes: new ClassRegistry(store) });
      await scope.register(checkResultsPlugin, { store });
    });
    await app.ready();
    assert.equal((await app.inject('/checks')).statusCode, 401);
    assert.equal((await app.inject({ url: '/checks', headers: { authorization: 'Bearer t' } })).statusCode, 200);
  } finally {
    await app.close();
    store.close();
  }
});
