import { test } from 'vitest';
import assert from 'node:assert/strict';
import { CLOSE_CODES, PROTOCOL_VERSION } from '../../shared/bridge-protocol.ts';
import { JoinLimiter } from '../lab/join-limiter.ts';
import { LabRegistry } from '../lab/lab-registry.ts';
import { joinLab, RELOAD_REASON, WRONG_LAB_REASON, type JoinContext } from './join-handshake.ts';

const KEY = 'a-device-key';
const ADDRESS = '192.0.2.7';

function context(attemptsPerMinute = 10, consolesPerDevice = 2): JoinContext & { lab: string } {
  const registry = new LabRegistry();
  return { registry, joinLimiter: new JoinLimiter(attemptsPerMinute), limits: { consolesPerDevice }, lab: registry.create().code };
}

const hello = (lab: string, device = KEY, v = PROTOCOL_VERSION) => ({ t: 'hello' as const, v, lab, device });

test('a good hello joins its lab as the device of its key (lower-case code too)', () => {
  const ctx = context();
  const joined = joinLab(ctx, hello(ctx.lab.toLowerCase()), ADDRESS);
  assert.ok('device' in joined);
  assert.equal(joined.device.lab.code, ctx.lab);
  assert.equal(ctx.registry.get(ctx.lab)!.devices.get(KEY), joined.device);
});

test('each refusal: its reply, whether it is a bad message, its close', () => {
  const ctx = context(1, 1);
  const refused = (h: ReturnType<typeof hello>) => {
    const joined = joinLab(ctx, h, ADDRESS);
    assert.ok('refused' in joined);
    return joined.refused;
  };
  assert.deepEqual(refused(hello(ctx.lab, KEY, PROTOCOL_VERSION + 1)).close, { code: CLOSE_CODES.VERSION, reason: 'protocol version' });
  const short = refused(hello(ctx.lab, 'short'));
  assert.equal(short.code, 'bad-field');
  assert.equal(short.close, undefined, 'the page may say hello again');
  const device = joinLab(ctx, hello(ctx.lab), ADDRESS);
  assert.ok('device' in device);
  device.device.consoles = 1;
  const full = refused(hello(ctx.lab));
  assert.equal(full.code, 'limit');
  assert.equal(full.bad, false, 'a limit reached is not a bad message');
  assert.equal(full.close?.code, CLOSE_CODES.FULL);
  const unknown = refused(hello('NOLAB1'));
  assert.deepEqual([unknown.code, unknown.bad, unknown.close?.code], ['unknown-lab', true, CLOSE_CODES.UNKNOWN_LAB]);
  // One wrong code was the limit: now even the right one waits.
  const waiting = refused(hello(ctx.lab));
  assert.deepEqual([waiting.code, waiting.close?.code], ['too-many-attempts', CLOSE_CODES.TOO_MANY_ATTEMPTS]);
});

test("the hello must name the lab of the WebSocket's URL; a worker refuses another worker's lab with 'reload'", () => {
  const ctx = context();
  assert.ok('device' in joinLab(ctx, hello(ctx.lab), ADDRESS, ctx.lab.toLowerCase()), 'the same lab, in any case');
  assert.ok('device' in joinLab(ctx, hello(ctx.lab), ADDRESS, null), 'no ?lab: as before');
  const wrong = joinLab(ctx, hello(ctx.lab), ADDRESS, 'OTHER2');
  assert.ok('refused' in wrong);
  assert.equal(wrong.refused.code, 'wrong-lab');
  assert.match(wrong.refused.msg, new RegExp(`opened for lab OTHER2 .* names lab ${ctx.lab}`));
  assert.deepEqual(wrong.refused.close, { code: CLOSE_CODES.POLICY, reason: WRONG_LAB_REASON });
  const worker = { ...ctx, ownsLab: (code: string) => code.toUpperCase() !== ctx.lab };
  const elsewhere = joinLab(worker, hello(ctx.lab), ADDRESS, null);
  assert.ok('refused' in elsewhere);
  assert.deepEqual(elsewhere.refused.close, { code: CLOSE_CODES.VERSION, reason: RELOAD_REASON });
  assert.ok(worker.joinLimiter.allowed(ADDRESS), 'not counted as a wrong code');
});
