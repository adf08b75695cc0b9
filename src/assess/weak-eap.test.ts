// weak-eap and the 802.1X facts of the inventory on the generated capture (test/fixtures/
// generated/dot1x/generate.sh: hostapd as a wired authenticator, wpa_supplicant with EAP-MD5
// right and wrong, PEAP-MSCHAPv2 and EAP-TLS), through the whole pipeline. Which frame is which
// comes from tshark's decode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { runPipeline } from '../engine/pipeline.js';
import { INVENTORY } from '../inventory/builder.js';
import { testKb } from './testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-8021x.pcap');
/** tshark's rows: frame, eth src, eth dst, EAPOL version, type, EAP code, id, type, identity, EAP-MD5 value size. */
const rows = readTsharkFields(join(GEN, 'dot1x', 'tshark.tsv'));
const frame = (pred: (r: string[]) => boolean): number => Number(rows.find(pred)![0]);

test('weak-eap: the EAP-MD5 supplicants, accepted and refused; PEAP and EAP-TLS are not weak', async () => {
  const run = await runPipeline([PCAP], { outDir: null, kb: testKb() }, INVENTORY);
  const f = run.report.findings.filter((x) => x.rule === 'weak-eap');
  const md5 = (mac: string): number => frame((r) => r[1] === mac && r[5] === '2' && r[7] === '4');
  const verdict = (mac: string): number => frame((r) => r[2] === mac && (r[5] === '3' || r[5] === '4'));
  assert.deepEqual(
    f.map((x) => [x.device, x.severity, x.title, x.evidence.map((e) => e.packet)]),
    [
      ['mac:02:97:12:00:00:21', 'high', '802.1X with EAP-MD5 (password open to offline guessing)', [md5('02:97:12:00:00:21'), verdict('02:97:12:00:00:21')]],
      ['mac:02:97:12:00:00:22', 'high', '802.1X with EAP-MD5 (password open to offline guessing)', [md5('02:97:12:00:00:22'), verdict('02:97:12:00:00:22')]],
    ],
  );
  assert.match(f[0].detail, /^02:97:12:00:00:21 authenticates to its port with EAP-MD5 as "infusion-gw01", which sends a hash of the password.* The authenticator 02:97:12:00:00:11 accepted it/);
  assert.match(f[1].detail, /The authenticator refused it/);
  // Neither password is in the report.
  const text = JSON.stringify(run.report);
  for (const secret of ['Pump2019!', 'wrong-guess', 'Ward-Station-3']) assert.ok(!text.includes(secret), secret);
});

test('802.1X in the inventory: the authenticator is network gear; a machine account names its device', async () => {
  const run = await runPipeline([PCAP], { outDir: null, kb: testKb() }, INVENTORY);
  const byId = (id: string) => run.report.devices.find((d) => d.id === id)!;
  const auth = byId('mac:02:97:12:00:00:11');
  assert.equal(auth.category, 'network');
  assert.ok(auth.evidence.some((e) => e.fact === 'role' && e.value === '8021x-authenticator'));
  const tls = byId('mac:02:97:12:00:00:24');
  const id = frame((r) => r[8] === 'host/icu-pc01.ward.local');
  assert.ok(tls.evidence.some((e) => e.fact === 'hostname' && e.value === 'icu-pc01.ward.local' && e.packet === id && e.source === 'eapol.identity'));
  // Its EAP-TLS client certificate (tshark: frame 43) says the same.
  assert.ok(tls.evidence.some((e) => e.fact === 'hostname' && e.value === 'icu-pc01.ward.local' && e.packet === 43 && e.source === 'eapol.cert_cn'));
  assert.ok(byId('mac:02:97:12:00:00:23').evidence.some((e) => e.fact === 'role' && e.value === '8021x-supplicant'));
});
