// Child process for the kill -9 test (store.test.ts): writes devices, findings and alerts as fast
// as it can through the Store, and after every commit prints the sequence number up to which
// everything is committed ("ready" first, once the store is open). Usage: node kill-child.js DB
// FLUSH_MS START_SEQ
import { Store } from './store.js';

const [path, flushArg, startArg] = process.argv.slice(2);
const store = Store.open(path, { flushIntervalMs: Number(flushArg) });
let seq = Number(startArg);
const BATCH = 50;

function step(): void {
  for (let i = 0; i < BATCH; i++, seq++) {
    const ts = 1_700_000_000 + seq;
    const ev = [{ fact: 'probe', value: `n=${seq}`, source: 'test.seq', file: 'kill.pcap', packet: seq + 1, ts }];
    store.putAlert({ id: `kill-${String(seq).padStart(9, '0')}`, rule: 'scan', severity: 'medium', device: `ip:10.0.${(seq >> 8) & 255}.${seq & 255}`, peer: null, first_ts: ts, last_ts: ts, count: seq, evidence: ev, why: 'kill test' });
    store.putDevice({ id: `mac:00:00:00:00:00:${(seq % 50).toString(16).padStart(2, '0')}`, mac: null, ips: [`10.1.0.${seq % 250}`], hostnames: [], vendor: null, model: null, category: 'unknown', medical: false, os: null, software: [], services: [], protocols: [], risk: { score: 0, level: 'low', factors: [] }, evidence: ev, first_seen: ts, last_seen: ts });
    store.putFinding({ id: `kill-f-${seq % 500}`, rule: 'scan', severity: 'low', device: 'ip:10.0.0.1', title: 't', detail: 'd', evidence: ev, remediation: 'r', cves: [] });
  }
  if (store.tick()) process.stdout.write(`${seq}\n`);
  setImmediate(step);
}
process.stdout.write('ready\n');
step();
