// The monitor's remote-access detector on nDPI's AnyDesk capture (192.168.1.128 presents
// AnyDesk's client certificate to a relay and to a peer on port 7070: nDPI labels the flows
// TLS.AnyDesk, category RemoteAccess).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, haveCorpus, runCaptures } from '../testutil/corpus.js';
import { Monitor } from './monitor.js';
import type { MonitorConfig } from './config.js';
import type { Alert } from '../report/alert.js';

const skip = !haveCorpus() && 'shared corpus not present';
const PCAP = (): string => corpus('ndpi', 'pcap', 'tls_client_certificate_with_missing_server_one.pcapng');

async function alerts(config: Partial<MonitorConfig>): Promise<Alert[]> {
  const m = new Monitor({ config, fileName: () => PCAP() });
  const run = await runCaptures([PCAP()], undefined, { onEvent: m.onEvent, onConn: m.onConn });
  run.cleanup();
  return m.finish().filter((a) => a.rule === 'remote-access');
}

test('remote-access (monitor): one alert for the host running AnyDesk, counting both sessions', { skip }, async () => {
  const a = await alerts({});
  assert.equal(a.length, 1);
  assert.equal(a[0].device, 'ip:192.168.1.128');
  assert.equal(a[0].severity, 'medium');
  assert.equal(a[0].count, 2);
  assert.deepEqual(a[0].evidence.map((e) => e.source), ['x509.client_subject', 'x509.client_subject']);
  assert.match(a[0].why, /runs AnyDesk: its client presented the certificate CN=AnyDesk Client/);
});

test('remote-access (monitor) is off in analyze, whose assessment reports it once', { skip }, async () => {
  assert.deepEqual(await alerts({ postureAlerts: false }), []);
});

test('remote-access (monitor): a device opening OpenVPN and WireGuard tunnels, one alert per product (generated capture)', async () => {
  const { join } = await import('node:path');
  const { REPO_ROOT } = await import('../testutil/corpus.js');
  const path = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-vpn-tunnels.pcap');
  const m = new Monitor({ config: {}, fileName: () => path });
  const run = await runCaptures([path], undefined, { onEvent: m.onEvent, onConn: m.onConn });
  run.cleanup();
  const a = m.finish().filter((x) => x.rule === 'remote-access');
  assert.deepEqual(a.map((x) => [x.peer, x.count]).sort(), [['185.220.101.8', 1], ['185.220.101.8', 2]]);
  assert.ok(a.every((x) => /^10\.97\.0\.20 runs (OpenVPN|WireGuard): its client opened an? (OpenVPN|WireGuard) tunnel.*past the hospital's firewall/.test(x.why)));
});
