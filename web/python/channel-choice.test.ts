// Which way a Python worker waits: JSPI when WebAssembly has it, unless the page forced the
// synchronous XMLHttpRequests with ?python-channel=xhr (the worker's name carries it).

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { pythonWorkerName, suspendsIn } from './channel-choice.ts';

const withJspi = { Suspending: class {}, promising: () => undefined };

test('JSPI is used where WebAssembly has Suspending and promising', () => {
  assert.equal(suspendsIn(pythonWorkerName(''), withJspi), true);
  assert.equal(suspendsIn(pythonWorkerName('?lab=1'), withJspi), true);
  assert.equal(suspendsIn(pythonWorkerName(''), {}), false);
  assert.equal(suspendsIn(pythonWorkerName(''), { Suspending: class {} }), false);
});

test('?python-channel=xhr forces synchronous requests; other values do not', () => {
  assert.equal(suspendsIn(pythonWorkerName('?python-channel=xhr'), withJspi), false);
  assert.equal(suspendsIn(pythonWorkerName('?a=b&python-channel=xhr'), withJspi), false);
  assert.equal(suspendsIn(pythonWorkerName('?python-channel=jspi'), withJspi), true);
  assert.equal(pythonWorkerName(''), 'python');
});
