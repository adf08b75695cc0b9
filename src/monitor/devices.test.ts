import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Device } from '../report/model.js';
import { deviceLookup } from './devices.js';

function dev(id: string, mac: string | null, ips: string[], category: Device['category']): Device {
  return { id, mac, ips, hostnames: [], vendor: null, model: null, category, medical: false, os: null, software: [], services: [], protocols: [], risk: { score: 0, level: 'low', factors: [] }, evidence: [] };
}

test('deviceLookup() answers categories and ids by address or MAC and re-keys ip: ids', () => {
  const l = deviceLookup([dev('mac:00:11:22:33:44:55', '00:11:22:33:44:55', ['10.0.0.5'], 'infusion_pump'), dev('ip:10.9.9.9', null, ['10.9.9.9'], 'server')]);
  assert.equal(l.category('10.0.0.5', null), 'infusion_pump');
  assert.equal(l.category('10.0.0.77', '00:11:22:33:44:55'), 'infusion_pump');
  assert.equal(l.category('10.0.0.78', null), null);
  assert.equal(l.deviceId('10.0.0.5', null), 'mac:00:11:22:33:44:55');
  assert.equal(l.deviceId('10.0.0.78', null), 'ip:10.0.0.78');
  assert.equal(l.deviceOf('ip:10.0.0.5'), 'mac:00:11:22:33:44:55');
  assert.equal(l.deviceOf('ip:10.9.9.9'), 'ip:10.9.9.9');
  assert.equal(l.deviceOf('mac:aa:bb:cc:dd:ee:ff'), 'mac:aa:bb:cc:dd:ee:ff');
});
