// The decoy tracker on synthetic attempts: what makes two source addresses decoy twins and what
// does not (coincidences, fixed-port protocols, slow repeats), and its bounds. The real decoy scan
// (nmap -D) is tested in src/monitor/scan.test.ts and src/inventory/identity.test.ts on
// test/fixtures/generated/decoy/generated-decoy-scan.pcap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DECOY_MIN_TWINS, DecoyTracker, MAX_DECOY_MEMBERS, type DecoyProbe } from './decoys.js';

const MAC = 0x029400000031;
const probe = (orig: string, rPort: number, start: number, over: Partial<DecoyProbe> = {}): DecoyProbe => ({
  orig,
  resp: '10.0.0.9',
  proto: 6,
  oPort: 40452,
  rPort,
  start,
  file: 'synthetic.pcap',
  packet: 1,
  ...over,
});

test('copies of probes from one MAC on three targets tie their sources into one group', () => {
  const t = new DecoyTracker();
  const ports = [25, 993, 53, 445];
  let made = null;
  for (let i = 0; i < ports.length; i++) {
    for (const ip of ['10.0.0.41', '10.0.0.42', '10.0.0.31']) {
      const g = t.probe(MAC, probe(ip, ports[i], i * 0.001));
      if (g !== null) made ??= { at: i, g };
    }
  }
  assert.equal(made?.at, DECOY_MIN_TWINS - 1);
  const g = t.groupOf(MAC, '10.0.0.31');
  assert.deepEqual(g?.members, ['10.0.0.41', '10.0.0.42', '10.0.0.31']);
  assert.equal(t.groupOf(MAC, '10.0.0.50'), null);
  assert.equal(t.groupOf(MAC + 1, '10.0.0.31'), null);
  // The copies that first tied two members, for the evidence.
  assert.deepEqual(g?.first.map((p) => [p.orig, p.rPort]), [['10.0.0.41', 53], ['10.0.0.42', 53]]);
  // A member seen later through one twin with a member joins at once.
  assert.notEqual(t.probe(MAC, probe('10.0.0.43', 445, 0.0031)), null);
  assert.ok(t.groupOf(MAC, '10.0.0.43') !== null);
});

test('no group from chance or by design: different source ports, fixed ports, other MACs, slow repeats, one target', () => {
  const t = new DecoyTracker();
  for (const [i, port] of [25, 993, 53, 445].entries()) {
    // Two clients behind one router whose source ports differ.
    t.probe(MAC, probe('10.1.0.1', port, i, { oPort: 50000 + i }));
    t.probe(MAC, probe('10.1.0.2', port, i, { oPort: 51000 + i }));
    // NTP-like: source port = destination port, or a port below 1024.
    t.probe(MAC, probe('10.1.0.3', port, i, { oPort: port }));
    t.probe(MAC, probe('10.1.0.4', port, i, { oPort: port }));
    t.probe(MAC, probe('10.1.0.5', port, i, { oPort: 123 }));
    t.probe(MAC, probe('10.1.0.6', port, i, { oPort: 123 }));
    // The same source port and target from two MACs.
    t.probe(MAC, probe('10.1.0.7', port, i, { oPort: 60000 }));
    t.probe(MAC + 1, probe('10.1.0.8', port, i, { oPort: 60000 }));
    // Copies more than a second apart.
    t.probe(MAC, probe('10.1.0.9', port, i * 10, { oPort: 61000 }));
    t.probe(MAC, probe('10.1.0.10', port, i * 10 + 2, { oPort: 61000 }));
    // ICMP is not compared.
    t.probe(MAC, probe('10.1.0.11', port, i, { oPort: 62000, proto: 1 }));
    t.probe(MAC, probe('10.1.0.12', port, i, { oPort: 62000, proto: 1 }));
  }
  // Twins on one target only, however often.
  for (let i = 0; i < 10; i++) {
    t.probe(MAC, probe('10.1.0.13', 80, i * 2, { oPort: 63000 }));
    t.probe(MAC, probe('10.1.0.14', 80, i * 2, { oPort: 63000 }));
  }
  // Twins on three targets, but over more than DECOY_PAIR_SECS.
  for (const [i, port] of [25, 993, 53].entries()) {
    t.probe(MAC, probe('10.1.0.15', port, i * 100, { oPort: 64000 }));
    t.probe(MAC, probe('10.1.0.16', port, i * 100, { oPort: 64000 }));
  }
  assert.equal(t.all().size, 0);
});

test('a group keeps at most MAX_DECOY_MEMBERS addresses and is forgotten when idle', () => {
  const t = new DecoyTracker();
  for (const [i, port] of [25, 993, 53, 445].entries()) {
    for (let k = 0; k < 100; k++) t.probe(MAC, probe(`10.2.0.${k}`, port, i * 0.01));
  }
  assert.equal(t.all().get(MAC)?.members.length, MAX_DECOY_MEMBERS);
  t.expire(10, 3600);
  assert.equal(t.all().size, 1);
  t.expire(4000, 3600);
  assert.equal(t.all().size, 0);
});
