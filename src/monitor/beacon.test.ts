// Command-and-control beaconing (beacon.ts) on a generated capture (test/fixtures/generated/beacon/
// generate.sh): an infusion-pump gateway fetching an HTTPS check-in URL from an Internet host every
// 6 s with ±12 % jitter (curl on a timer, as an implant checks in) and polling an internal server at
// the same rhythm; a workstation fetching pages from the Internet at irregular moments. The
// connection times and the TLS server name are tshark's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-c2-beacon.pcap');
/** tshark's SYNs: frame, time, source, destination, destination port. */
const syns = readTsharkFields(join(GEN, 'beacon', 'syn.tsv'));
const sni = readTsharkFields(join(GEN, 'beacon', 'sni.tsv'));
const DEV = '10.97.93.30';
const C2 = '198.51.100.80';

const med = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 === 1 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const intervals = (src: string, dst: string, port: string): number[] => {
  const t = syns.filter((r) => r[2] === src && r[3] === dst && r[4] === port).map((r) => Number(r[1]));
  return t.slice(1).map((x, i) => x - t[i]);
};

test('c2-beacon: steady HTTPS check-ins to an Internet host are raised; irregular browsing and internal polling are not', async () => {
  const beat = intervals(DEV, C2, '443');
  assert.equal(beat.length, 11);
  const period = med(beat);
  const jitter = med(beat.map((x) => Math.abs(x - period))) / period;
  assert.ok(period > 5.5 && period < 6.5 && jitter < 0.1, `${period} ${jitter}`);
  // The workstation's fetches are far from regular; the internal poll is as regular as the beacon.
  const ws = intervals('10.97.93.20', C2, '80');
  const wsPeriod = med(ws);
  assert.ok(med(ws.map((x) => Math.abs(x - wsPeriod))) / wsPeriod > 0.5);
  assert.equal(intervals(DEV, '10.97.93.40', '8080').length, 11);
  const name = sni.find((r) => r[1] === DEV)![2];
  assert.equal(name, 'cdn-telemetry.example.net');

  const alerts = await monitorCaptures([PCAP]);
  assert.deepEqual(alerts.map((a) => [a.rule, a.device, a.peer, a.severity]), [['c2-beacon', `ip:${DEV}`, C2, 'medium']]);
  const a = alerts[0];
  assert.match(a.why, new RegExp(`^10\\.97\\.93\\.30 connected to 198\\.51\\.100\\.80:443 \\(${name.replace(/\./g, '\\.')}\\) 12 times at a steady rhythm: every ${period.toFixed(1)} s \\(intervals within ±${Math.round(jitter * 100)} % of it`));
  assert.deepEqual(alertTechniques(a), ['T1071']);
  // Evidence: the first check-in, then those that raised and updated the alert, at their SYNs as tshark numbers them.
  const beatSyns = syns.filter((r) => r[2] === DEV && r[3] === C2).map((r) => Number(r[0]));
  assert.equal(a.evidence[0].packet, beatSyns[0]);
  for (const e of a.evidence) assert.ok(beatSyns.includes(e.packet!), String(e.packet));
  assert.equal(a.count, 3, 'raised at the tenth check-in, updated at the eleventh and twelfth');

  // Known destinations, by name (covering subdomains) or address, and stricter settings: silent.
  for (const cfg of [{ beaconAllow: ['example.net'] }, { beaconAllow: ['198.51.100.0/24'] }, { beaconMinConns: 13 }, { beaconJitter: 0.05 }, { beaconMinIntervalSecs: 10 }]) {
    assert.deepEqual(await monitorCaptures([PCAP], cfg), [], JSON.stringify(cfg));
  }
});
