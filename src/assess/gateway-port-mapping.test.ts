// gateway-port-mapping over UPnP IGD on a capture of real implementations (test/fixtures/generated/upnp/generate.sh:
// miniupnpd 2.3.1 announcing an InternetGatewayDevice over SSDP and granting port mappings to
// upnpc). Frames from tshark's decode (http.tsv, soap.tsv beside generate.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { assessCaptures } from './testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-upnp-port-mapping.pcap');
const soap = readTsharkFields(join(GEN, 'upnp', 'soap.tsv'));

test('gateway-port-mapping: the gateway that granted the mappings, high, with the mappings and its first answered action as evidence', async () => {
  const { result, run } = await assessCaptures([PCAP]);
  run.cleanup();
  const findings = result.findings;
  const f = findings.filter((x) => x.rule === 'gateway-port-mapping');
  assert.equal(f.length, 1);
  assert.equal(f[0].device, 'ip:192.168.77.1');
  assert.equal(f[0].severity, 'high');
  const frame = (action: string, port?: string): number => Number(soap.find((r) => r[2] === action && (port === undefined || r[4].includes(`NewExternalPort=${port};`)))![0]);
  const ev = f[0].evidence;
  assert.deepEqual(
    ev.filter((e) => e.fact === 'port-mapping').map((e) => [e.packet, e.value]),
    [
      [frame('AddPortMapping', '3389'), 'AddPortMapping: external port 3389 to 192.168.77.20:3389/TCP for 192.168.77.20'],
      [frame('AddAnyPortMapping', '5900'), 'AddAnyPortMapping: external port 5900 to 192.168.77.20:5900/TCP for 192.168.77.20'],
    ],
  );
  assert.deepEqual(ev.filter((e) => e.fact === 'upnp-control').map((e) => e.packet), [frame('GetStatusInfo')]);
  const notify = ev.find((e) => e.fact === 'upnp-igd-announcement')!;
  assert.equal(notify.value, 'announces urn:schemas-upnp-org:device:InternetGatewayDevice:2');
  assert.match(f[0].detail, /^The device granted port mappings over UPnP IGD: external port 3389 to 192\.168\.77\.20:3389\/TCP for 192\.168\.77\.20, external port 5900 /);
});

test('gateway-port-mapping: the NAT-PMP and PCP gateway that granted mappings, high, naming both protocols', async () => {
  const { result, run } = await assessCaptures([join(GEN, 'generated-natpmp-port-mapping.pcap')]);
  run.cleanup();
  const f = result.findings.filter((x) => x.rule === 'gateway-port-mapping');
  assert.deepEqual(f.map((x) => [x.device, x.severity]), [['ip:192.168.78.1', 'high']]);
  // The gateway's PCP announcement (frame 1) came before the NAT-PMP answers.
  assert.match(f[0].detail, /^The device granted port mappings over PCP, NAT-PMP: external port 2222 to 192\.168\.78\.20:22\/TCP for 192\.168\.78\.20, /);
  assert.deepEqual(f[0].evidence.filter((e) => e.fact === 'port-mapping').map((e) => e.value).sort(), [
    'NAT-PMP map_tcp: external port 2222 to 192.168.78.20:22/TCP for 192.168.78.20',
    'NAT-PMP map_udp: external port 5060 to 192.168.78.20:5060/UDP for 192.168.78.20',
    'PCP map: external port 3389 to 192.168.78.20:3389/TCP for 192.168.78.20',
  ]);
});
