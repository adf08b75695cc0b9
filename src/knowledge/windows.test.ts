import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadEndOfLife } from './endoflife.js';
import { windowsCycles, windowsRelease } from './windows.js';
import { KB_DIR } from './testutil.js';

const eol = loadEndOfLife(join(KB_DIR, 'endoflife'));

test('every cycle the Windows table can answer exists in the endoflife.date files', () => {
  for (const { product, cycle } of windowsCycles()) {
    assert.ok(eol.eolOf(product, cycle) !== null, `${product} ${cycle} missing from endoflife.date`);
  }
});

test('windowsRelease() maps NT 5.x and 6.x versions', () => {
  assert.deepEqual(windowsRelease(6, 1, 7601), { product: 'windows', cycle: '7-sp1', name: 'Windows 7', alternatives: [], approximate: false });
  // 7600 is Windows 7 before SP1; endoflife.date only lists the SP1 cycle.
  assert.equal(windowsRelease(6, 1, 7600)?.approximate, true);
  assert.equal(windowsRelease(6, 1, 7601, true)?.cycle, '2008-r2-sp1');
  assert.deepEqual([windowsRelease(5, 1, 2600)?.cycle, windowsRelease(5, 1, 2600)?.name], ['5-sp3', 'Windows XP']);
  assert.equal(windowsRelease(5, 0, 2195)?.product, 'windows-server');
  assert.deepEqual(windowsRelease(5, 2, 3790, true, { servicePack: 1 }), { product: 'windows-server', cycle: '2003-sp1', name: 'Windows Server 2003', alternatives: ['2003', '2003-sp2'], approximate: false });
  assert.equal(windowsRelease(6, 0, 6002)?.cycle, '6-sp2');
  assert.equal(windowsRelease(6, 3, 9600, true)?.cycle, '2012-r2');
  assert.equal(windowsRelease(4, 0, 1381), null);
});

test('windowsRelease() maps Windows 10 / 11 builds and their editions', () => {
  assert.deepEqual(windowsRelease(10, 0, 19045), { product: 'windows', cycle: '10-22h2', name: 'Windows 10 22H2', alternatives: [], approximate: false });
  assert.deepEqual(windowsRelease(10, 0, 17763), { product: 'windows', cycle: '10-1809-e', name: 'Windows 10 1809', alternatives: ['10-1809-w', '10-1809-e-lts'], approximate: false });
  assert.equal(windowsRelease(10, 0, 17763, false, { edition: 'ltsc' })?.cycle, '10-1809-e-lts');
  assert.equal(windowsRelease(10, 0, 17763, false, { edition: 'consumer' })?.cycle, '10-1809-w');
  assert.equal(windowsRelease(10, 0, 19044, false, { edition: 'iot-ltsc' })?.cycle, '10-21h2-iot-lts');
  assert.deepEqual([windowsRelease(10, 0, 22631)?.cycle, windowsRelease(10, 0, 22631)?.name], ['11-23h2-e', 'Windows 11 23H2']);
  assert.equal(windowsRelease(10, 0, 26100, false, { edition: 'consumer' })?.cycle, '11-24h2-w');
  // An insider build between releases maps to the release below it, flagged.
  assert.deepEqual([windowsRelease(10, 0, 22635)?.cycle, windowsRelease(10, 0, 22635)?.approximate], ['11-23h2-e', true]);
  assert.equal(windowsRelease(10, 0, 9999), null);
});

test('windowsRelease() maps Windows Server builds, e.g. the NTLM versions Arkime logs in ntlm_synthetic', () => {
  // arkime/tests/pcap/ntlm_synthetic.test: ntlm.version 10.0.19041, 10.0.17763, 10.0.20348, 6.1.7600.
  assert.deepEqual(windowsRelease(10, 0, 17763, true), { product: 'windows-server', cycle: '2019', name: 'Windows Server 2019', alternatives: ['1809-sac'], approximate: false });
  assert.equal(windowsRelease(10, 0, 20348, true)?.cycle, '2022');
  assert.equal(windowsRelease(10, 0, 19041)?.cycle, '10-2004');
  assert.equal(windowsRelease(10, 0, 19041, true)?.cycle, '2004-sac');
  assert.equal(windowsRelease(10, 0, 14393, true)?.cycle, '2016');
  assert.equal(windowsRelease(10, 0, 26100, true)?.cycle, '2025');
  const r = windowsRelease(10, 0, 17763, true)!;
  assert.equal(eol.eolOf(r.product, r.cycle)?.eol, '2029-01-09');
});
