import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetSet, addrWords, segmentOf } from './net.js';
import { DEFAULT_CONFIG, monitorConfig } from './config.js';

test('addrWords() reads IPv4 as mapped words and IPv6 in its RFC 4291 text forms', () => {
  assert.deepEqual(addrWords('10.1.2.3'), [0, 0, 0xffff, 0x0a010203]);
  assert.deepEqual(addrWords('::1'), [0, 0, 0, 1]);
  assert.deepEqual(addrWords('fe80::1%eth0'), [0xfe800000, 0, 0, 1]);
  assert.deepEqual(addrWords('2001:db8::ff00:42:8329'), [0x20010db8, 0, 0xff00, 0x00428329]);
  assert.deepEqual(addrWords('::ffff:192.168.1.1'), [0, 0, 0xffff, 0xc0a80101]);
  assert.equal(addrWords('1.2.3'), null);
  assert.equal(addrWords('1:2:3:4:5:6:7:8:9'), null);
  assert.equal(addrWords('gg::1'), null);
});

test('the default internal ranges hold private, CGNAT, loopback and link-local space only', () => {
  const n = new NetSet(DEFAULT_CONFIG.internalNets);
  for (const a of ['10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.0.1', '100.64.0.1', '127.0.0.1', '169.254.1.1', 'fd00::1', 'fe80::abcd', '::1']) assert.ok(n.hasAddr(a), a);
  for (const a of ['8.8.8.8', '172.32.0.1', '192.169.0.1', '100.128.0.1', '2001:db8::1', '11.0.0.1']) assert.ok(!n.hasAddr(a), a);
});

test('NetSet rejects malformed ranges', () => {
  assert.throws(() => new NetSet(['10.0.0.0/33']), RangeError);
  assert.throws(() => new NetSet(['nonsense/8']), RangeError);
});

test('segmentOf() prefers the VLAN, else the /24 or /64', () => {
  assert.equal(segmentOf('10.1.2.3', 12), 'vlan:12');
  assert.equal(segmentOf('10.1.2.3', -1), '10.1.2.0/24');
  assert.equal(segmentOf('2001:db8:1:2::5', -1), '2001:db8:1:2::/64');
});

test('monitorConfig() fills defaults and refuses negative thresholds, but not a negative UTC offset', () => {
  assert.equal(monitorConfig({ bruteThreshold: 3 }).bruteThreshold, 3);
  assert.equal(monitorConfig().learningDays, 7);
  assert.throws(() => monitorConfig({ bruteThreshold: -1 }), RangeError);
  assert.equal(monitorConfig({ utcOffsetMinutes: -300 }).utcOffsetMinutes, -300);
});
