// DICOM over TLS on port 2762 (PS3.15 Annex B) under three of dcmtk's security profiles
// (fixtures/generate-tls.sh): BCP 195 and the retired AES profile hide the association; the
// retired "authenticated unencrypted" profile (IHE ATNA's) negotiates TLS_RSA_WITH_NULL_SHA,
// whose records carry the DICOM PDUs in clear — read, and judged, as DICOM without TLS.
// Expectations: tshark's ServerHellos and its reading of the NULL session's application data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { runPipeline } from '../../engine/pipeline.js';
import { INVENTORY } from '../../inventory/builder.js';
import { testKb } from '../../inventory/testutil.js';
import { cipherName } from '../tls/names.js';
import { nullMacLength } from '../tls/nullcipher.js';

const DIR = join(REPO_ROOT, 'src', 'analyzers', 'dicom', 'fixtures');
const PCAP = join(DIR, 'generated-dicom-tls.pcap');
const VERSIONS: Record<string, string> = { '0x0303': 'TLSv12', '0x0304': 'TLSv13' };

function hello(): { port: number; version: string; cipher: string }[] {
  // tshark: frame, client port, ServerHello version, supported_versions, cipher suite.
  return readTsharkFields(join(DIR, 'generated-dicom-tls.tshark.tsv')).map(([, port, legacy, selected, suite]) => ({
    port: Number(port),
    version: VERSIONS[selected !== '' ? selected : legacy],
    cipher: cipherName(parseInt(suite, 16)),
  }));
}

test('nullMacLength(): the MAC of each NULL suite, none for the others', () => {
  assert.deepEqual([0x0001, 0x0002, 0x003b, 0x00b1, 0xc010].map(nullMacLength), [16, 20, 32, 48, 20]);
  assert.deepEqual([0x002f, 0x1302, 0xc02f, 0x000a].map(nullMacLength), [0, 0, 0, 0]);
});

test('DICOM in a NULL-cipher TLS session is read as DICOM; the encrypted sessions stay opaque', async () => {
  const h = hello();
  assert.deepEqual(h.map((x) => [x.version, x.cipher]), [['TLSv13', 'TLS_AES_256_GCM_SHA384'], ['TLSv12', 'TLS_RSA_WITH_AES_128_CBC_SHA'], ['TLSv12', 'TLS_RSA_WITH_NULL_SHA']]);
  const nullPort = h[2].port;
  // tshark's application data of the NULL session: the client's first record is plaintext, an
  // A-ASSOCIATE-RQ (PDU type 1) whose called and calling AE titles are bytes 10-25 and 26-41.
  const records = readTsharkFields(join(DIR, 'generated-dicom-tls.null-appdata.tshark.tsv'));
  const first = Buffer.from(records.find((r) => Number(r[1]) === nullPort)![2].split(',')[0], 'hex');
  assert.equal(first[0], 0x01);
  const called = first.subarray(10, 26).toString('latin1').trim();
  const calling = first.subarray(26, 42).toString('latin1').trim();
  const run = await runCaptures([PCAP]);
  try {
    const ssl = run.log('ssl');
    assert.deepEqual(ssl.map((r) => [r['id.orig_p'], r.version, r.cipher]), h.map((x) => [x.port, x.version, x.cipher]));
    assert.deepEqual(run.log('conn').map((c) => [c['id.orig_p'], c.service]), h.map((x) => [x.port, x.port === nullPort ? 'ssl,dicom' : 'ssl']));
    const dicom = run.log('dicom');
    assert.deepEqual(dicom.map((r) => [r['id.orig_p'], r.calling_ae, r.called_ae, r.commands, r.result, r.end, r.phi]), [[nullPort, calling, called, ['C-STORE'], 'accepted', 'released', true]]);
    // The patient values (ct.dump) crossed in clear, and appear in no output.
    const raw = readFileSync(PCAP).toString('latin1');
    let out = JSON.stringify(run.result.events);
    for (const f of readdirSync(join(run.outDir, 'logs'))) out += readFileSync(join(run.outDir, 'logs', f), 'utf8');
    for (const v of ['ZZTESTPATIENT', 'WLPID9876543']) {
      assert.ok(raw.includes(v), v);
      assert.ok(!out.includes(v), `${v} leaked`);
    }
  } finally {
    run.cleanup();
  }
});

test('the NULL session is patient data in clear and unencrypted traffic; the others are encrypted traffic', async () => {
  const { report } = await runPipeline([PCAP], { outDir: null, kb: testKb() }, INVENTORY);
  const rules = report.findings.map((f) => [f.rule, f.severity]).sort();
  assert.deepEqual(rules, [['cleartext-protocol', 'high'], ['phi-cleartext', 'high'], ['weak-tls', 'high']]);
  const clear = report.findings.find((f) => f.rule === 'cleartext-protocol')!;
  assert.match(clear.detail, /^DICOM association inside TLS with a NULL cipher \(no encryption\) on port 2762/);
  assert.match(report.findings.find((f) => f.rule === 'weak-tls')!.detail, /TLS_RSA_WITH_NULL_SHA \(NULL\)/);
  // One flow of three in clear.
  assert.equal(report.metrics.unencrypted_flows_pct, 33.3);
});

test('mutated NULL-cipher sessions never break the pipeline (the protocol inside is read, or given up)', async () => {
  const { Analysis } = await import('../../engine/analyze.js');
  const { rng } = await import('../../testutil/fuzz.js');
  const base = readFileSync(PCAP);
  const r = rng(2762);
  for (let i = 0; i < 150; i++) {
    const b = Buffer.from(base);
    // Flip bytes in place past the file header: record framing stays, contents break.
    for (let k = 1 + Math.floor(r() * 16); k > 0; k--) b[24 + Math.floor(r() * (b.length - 24))] = Math.floor(r() * 256);
    const res = await new Analysis({ outDir: null }).runBuffer('fuzz', b);
    assert.ok(res.inputs[0].packets > 0);
    for (const w of Object.keys(res.weirds)) assert.ok(!/^analyzer\..*\.failed$/.test(w), w);
  }
});
