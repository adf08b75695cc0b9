// Local-network membership for the inventory's scope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localNets, parseNet } from './local.js';

test('private, shared, link-local and unique-local addresses are local by default', () => {
  const local = localNets();
  for (const a of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.10', '100.64.0.9', '169.254.3.4', 'fd00::1', 'fe80::1']) assert.ok(local(a), a);
  for (const a of ['8.8.8.8', '172.32.0.1', '2001:db8::1', '208.80.152.2']) assert.ok(!local(a), a);
});

test('--local-nets replaces the defaults', () => {
  const local = localNets(['141.142.0.0/16', '2001:db8::/32']);
  assert.ok(local('141.142.220.118'));
  assert.ok(local('2001:db8:10::100'));
  assert.ok(!local('192.168.1.1'));
});

test('a malformed network is refused', () => {
  assert.throws(() => parseNet('10.0.0.0/33'));
  assert.throws(() => parseNet('banana'));
});
