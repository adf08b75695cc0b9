// The monitor's rogue-ap detector on the Scapy-written 802.11 capture of the wlan analyzer
// (src/analyzers/wlan/fixtures/README.md: no corpus capture is 802.11). Frame 1 is the clinical
// access point 88:15:44:10:20:30 beaconing CLINICAL-WLAN with WPA2; frame 20 a TP-Link access
// point 60:3a:7c:de:ad:01 beaconing the same name open (tshark's decode, listed in that README).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../testutil/corpus.js';
import { Monitor } from './monitor.js';
import type { MonitorConfig } from './config.js';
import type { Alert } from '../report/alert.js';
import { parseSettings, SettingsError, SETTINGS_KEYS } from './settings.js';
import { DEFAULT_CONFIG } from './config.js';

const RADIOTAP = join(REPO_ROOT, 'src', 'analyzers', 'wlan', 'fixtures', 'generated-wlan-radiotap.pcap');

async function monitorAlerts(config: Partial<MonitorConfig>): Promise<Alert[]> {
  const m = new Monitor({ config, fileName: () => RADIOTAP });
  const run = await runCaptures([RADIOTAP], undefined, { onEvent: m.onEvent, onConn: m.onConn });
  run.cleanup();
  return m.finish().filter((a) => a.rule === 'rogue-ap');
}

test('rogue-ap (monitor): the open copy of CLINICAL-WLAN beside the WPA2 one, citing both beacons', async () => {
  const alerts = await monitorAlerts({});
  assert.equal(alerts.length, 1);
  const a = alerts[0];
  assert.equal(a.device, 'mac:60:3a:7c:de:ad:01');
  assert.equal(a.peer, '88:15:44:10:20:30');
  assert.equal(a.severity, 'high');
  assert.deepEqual(a.evidence.map((e) => e.packet).sort((x, y) => x - y), [1, 20]);
  assert.match(a.why, /"CLINICAL-WLAN" with no encryption while 88:15:44:10:20:30 announces it with WPA2/);
});

test('rogue-ap (monitor): with the site\'s access points listed, an unlisted one announcing their network is a rogue too', async () => {
  // Only the clinical AP is listed: the TP-Link copy is both weaker and unlisted (two alerts on
  // it); GUEST (88:15:44:10:20:31) is announced by no listed access point, so it is not judged.
  const alerts = await monitorAlerts({ wifiAccessPoints: ['88:15:44:10:20:30'] });
  assert.deepEqual(alerts.map((a) => [a.device, /not one of the configured/.test(a.why)]).sort(), [
    ['mac:60:3a:7c:de:ad:01', false],
    ['mac:60:3a:7c:de:ad:01', true],
  ]);
});

test('rogue-ap (monitor) is off in analyze, whose assessment reports it once', async () => {
  assert.deepEqual(await monitorAlerts({ postureAlerts: false }), []);
});

test('settings files: every detector key can be set, and mistakes are named', () => {
  assert.deepEqual([...SETTINGS_KEYS].sort(), Object.keys(DEFAULT_CONFIG).sort());
  const ok = parseSettings({ scanAllow: ['10.1.2.3/32', 'fd00::/8'], dhcpServers: ['10.0.0.1'], wifiAccessPoints: ['88-15-44-10-20-30'], bruteThresholds: { ntlm: 12 }, utcOffsetMinutes: -300 });
  assert.deepEqual(ok.wifiAccessPoints, ['88:15:44:10:20:30']);
  assert.equal(ok.utcOffsetMinutes, -300);
  const fails = (v: unknown): string => {
    try {
      parseSettings(v, 'site.json');
    } catch (e) {
      assert.ok(e instanceof SettingsError);
      return e.message;
    }
    assert.fail('accepted');
  };
  assert.match(fails({ scanAlow: [] }), /site\.json: unknown key "scanAlow"/);
  assert.match(fails({ scanAllow: ['10.0.0.0/8', '10.0.0.0/33'] }), /scanAllow\[1\]: not an IPv4 or IPv6 address or CIDR range/);
  assert.match(fails({ portScanThreshold: 0 }), /portScanThreshold: /);
  assert.match(fails({ wifiAccessPoints: ['clinical'] }), /wifiAccessPoints\[0\]: not a MAC address/);
  assert.match(fails({ baselineScope: 'everything' }), /baselineScope: /);
  assert.match(fails([]), /the file: /);
});
