// Niagara Fox on a generated capture (test/fixtures/generated/fox/generate.sh), since no corpus
// capture has any: Nmap 7.93's fox-info script (a real client) and a Workbench-style hello
// against a station whose answers are synthetic (station.py, laid out as fox-info reads them;
// Tridium publishes no specification). tshark 4.0 has no Fox dissector: expectations are the
// streams as `tshark -qz follow,tcp,ascii,N` shows them, and Nmap's own reading of the station's
// hello (fox/nmap.out: hostName jace-ahu3, app.version 3.8.38, os.name QNX, hostId
// Qnx-NPM6-0000-1F3C-D2E9, brandId vykon, timeZone America/Chicago).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { assessCaptures } from '../../assess/testutil.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { FoxAnalyzer } from './analyzer.js';
import { parseField, parseHeader } from './parse.js';
import { probe } from './probe.js';

const GENERATED = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-niagara-fox.pcap');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

test("niagara_fox.log: the station's hello as Nmap reads it, and the connecting Workbench", async () => {
  const run = await runCaptures([GENERATED]);
  try {
    // Nmap's connect scan (no payload), then fox-info's connection, then the Workbench's.
    assert.deepEqual(run.log('conn').map((c) => c.service), [undefined, 'niagara_fox', 'niagara_fox']);
    const [nmap, wb] = run.log('niagara_fox');
    const station = ['1.0.1', 'jace-ahu3', '10.99.0.20', 'Station', '3.8.38', 'Java HotSpot(TM) Embedded Client VM', '25.141-b06', 'QNX', '6.5.0', 'Hospital_AHU3', 'en', 'America/Chicago', 'Qnx-NPM6-0000-1F3C-D2E9', 'vykon'];
    const fields = ['fox_version', 'host_name', 'host_address', 'app_name', 'app_version', 'vm_name', 'vm_version', 'os_name', 'os_version', 'station_name', 'lang', 'time_zone', 'host_id', 'brand_id'];
    assert.deepEqual(fields.map((f) => nmap[f]), station);
    assert.deepEqual(fields.map((f) => wb[f]), station);
    // fox-info's hello names no program; the Workbench's does.
    assert.deepEqual([nmap.client_app, nmap.messages], [undefined, 2]);
    assert.deepEqual([wb.client_app, wb.client_app_version, wb.client_host_name, wb.client_os, wb.commands, wb.messages], ['Workbench', '4.10.1.36', 'eng-ws01', 'Windows 10 10.0', ['fox:rpc'], 3]);
    assert.equal(run.log('weird').length, 0);
  } finally {
    run.cleanup();
  }
});

test('the station is Tridium building automation on QNX; the Workbench host an engineering workstation', async () => {
  const { devices } = await runInventory([GENERATED]);
  const jace = deviceWithIp(devices, '10.99.0.20')!;
  assert.deepEqual([jace.category, jace.vendor, jace.model, jace.os?.name, jace.os?.version], ['building_automation', 'Tridium', 'Niagara Station 3.8.38', 'QNX', '6.5.0']);
  assert.ok(jace.hostnames.includes('jace-ahu3'));
  const ws = deviceWithIp(devices, '10.99.0.5')!;
  assert.deepEqual([ws.category, ws.os?.family], ['workstation', 'Windows']);
  assert.ok(ws.hostnames.includes('eng-ws01'));
  const a = await assessCaptures([GENERATED]);
  try {
    const clear = a.result.findings.filter((f) => f.rule === 'cleartext-protocol');
    assert.deepEqual(clear.map((f) => f.title), ['Clear-text niagara_fox served on port 1911']);
    assert.ok(clear[0].remediation.startsWith('Turn Foxs (Fox over TLS, 4911)'));
  } finally {
    a.run.cleanup();
  }
});

test('probe(): a Fox header line anywhere; its start only on 1911; nothing else', () => {
  const hello = enc('fox a 1 -1 fox hello\n{\n');
  assert.equal(probe(hello, 0, hello.length, true, 6, 1911), PROBE_YES);
  assert.equal(probe(hello, 0, hello.length, true, 6, 8000), PROBE_YES);
  const part = enc('fox a 1 -1 f');
  assert.equal(probe(part, 0, part.length, true, 6, 1911), PROBE_MAYBE);
  assert.equal(probe(part, 0, part.length, true, 6, 8000), PROBE_NO);
  const notFox = enc('fox and hounds\n');
  assert.equal(probe(notFox, 0, notFox.length, true, 6, 1911), PROBE_NO);
  assert.equal(probe(hello, 0, hello.length, true, 17, 1911), PROBE_NO);
});

test('parsers, a password field never kept, and fuzzing', async () => {
  assert.deepEqual(parseHeader('fox a 0 -1 fox hello'), { type: 'a', sequence: 0, replyTo: -1, channel: 'fox', command: 'hello' });
  assert.equal(parseHeader('fox a x -1 fox hello'), null);
  assert.deepEqual(parseField('timeZone=s:UTC;0;0'), { key: 'timeZone', kind: 's', value: 'UTC;0;0' });
  // A message with user and password fields (synthetic: no capture has a Fox login).
  const out = feedAnalyzer(new FoxAnalyzer(), [{ isOrig: true, bytes: enc('fox a 2 -1 fox authenticate\n{\nuserName=s:facilities\npassword=s:Sup3rSecret\n};;\n') }]);
  const s = out.events.find((e) => e.type === 'niagara_fox.session')!;
  assert.deepEqual([s.user, s.has_password, s.commands], ['facilities', true, ['fox:authenticate']]);
  assert.ok(!JSON.stringify(s).includes('Sup3rSecret'));
  const flows = await flowBytes(GENERATED);
  const seeds = flows.flatMap((f) => f.chunks.map((c) => c.bytes));
  fuzzParser(seeds, (b) => {
    feedAnalyzer(new FoxAnalyzer(), [
      { isOrig: true, bytes: b },
      { isOrig: false, bytes: b },
    ]);
  });
});
