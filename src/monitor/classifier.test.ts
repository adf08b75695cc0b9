// The monitor's device classification: earlier runs' devices, its own inventory built in windows,
// what a later build may replace, and the bounds. Real traffic for the inventory (Zeek's LDAP
// trace, whose client tshark shows at 00:0c:29:6e:1b:2c); synthetic devices for the merge rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Device } from '../report/model.js';
import { DeviceClassifier } from './classifier.js';
import { Analysis } from '../engine/analyze.js';
import { KnowledgeBase } from '../knowledge/kb.js';
import { corpus, haveCorpus } from '../testutil/corpus.js';

function dev(id: string, mac: string | null, ips: string[], category: Device['category']): Device {
  return { id, mac, ips, hostnames: [], vendor: null, model: null, category, medical: false, os: null, software: [], services: [], protocols: [], risk: { score: 0, level: 'low', factors: [] }, evidence: [] };
}

test('devices from the store classify from the start; without them or a knowledge base nothing is active', () => {
  assert.equal(new DeviceClassifier(null, () => []).active, false);
  const c = new DeviceClassifier(null, () => [], [dev('mac:02:00:00:00:00:01', '02:00:00:00:00:01', ['10.0.0.5'], 'infusion_pump')]);
  assert.equal(c.active, true);
  assert.equal(c.category('10.0.0.5', null), 'infusion_pump');
  assert.equal(c.category('10.0.0.99', '02:00:00:00:00:01'), 'infusion_pump');
  assert.equal(c.deviceId('10.0.0.99', null), 'ip:10.0.0.99');
  assert.equal(c.deviceOf('ip:10.0.0.5'), 'mac:02:00:00:00:00:01');
});

test('what the classifier remembers is bounded, the least recently learned dropped first', () => {
  const many = Array.from({ length: 50 }, (_, i) => dev(`ip:10.0.1.${i}`, null, [`10.0.1.${i}`], 'camera'));
  const c = new DeviceClassifier(null, () => [], many, { maxKnown: 10 });
  assert.equal(c.size, 10);
  assert.equal(c.category('10.0.1.49', null), 'camera');
  assert.equal(c.category('10.0.1.0', null), null);
});

test('the monitor\'s own inventory classifies real traffic, window by window', { skip: !haveCorpus() && 'shared corpus not present' }, async () => {
  const kb = KnowledgeBase.load();
  let a: Analysis | null = null;
  // A window of 1 host: every build starts a fresh inventory, and the answers stay learned.
  const c = new DeviceClassifier(kb, () => a?.paths ?? [], [], { windowHosts: 1 });
  a = new Analysis({ outDir: null, onEvent: (ev, conn, m) => c.onEvent(ev, conn, m), onConn: (conn) => c.onConn(conn), onSyn: (m) => c.onSyn(m) });
  await a.run([corpus('zeek', 'traces', 'ldap', 'ldap_invalid_credentials.pcap')]);
  assert.equal(c.deviceId('192.168.66.141', null), 'ip:192.168.66.141', 'nothing known before a build');
  c.build();
  assert.equal(c.builds, 1);
  assert.equal(c.windows, 1, 'the full window was started afresh');
  assert.equal(c.deviceId('192.168.66.141', null), 'mac:00:0c:29:6e:1b:2c');
  assert.notEqual(c.category('192.168.66.141', null), null);
  c.build(); // an empty window: says nothing, forgets nothing
  assert.equal(c.deviceId('192.168.66.141', null), 'mac:00:0c:29:6e:1b:2c');
});
