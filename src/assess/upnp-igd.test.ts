// upnp-igd on a capture of real implementations (test/fixtures/generated/upnp/generate.sh:
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

test('upnp-igd: the gateway that granted the mappings, high, with the mappings and its first answered action as evidence', async () => {
  const { result, run } = await assessCaptures([PCAP]);
  run.cleanup();
  const findings = result.findings;
  const f = findings.filter((x) => x.rule === 'upnp-igd');
  assert.equal(f.length, 1);
  assert.equal(f[0].device, 'ip:192.168.77.1');
  assert.equal(f[0].severity, 'high');
  const frame = (action: string, port?: string): number => Number(soap.find((r) => r[2] === action && (port === undefined || r[4].includes(`NewExternalPort=${port};`)))![0]);
  const ev = f[0].evidence;
  assert.deepEqual(
    ev.filter((e) => e.fact === 'upnp-mapping').map((e) => [e.packet, e.value]),
    [
      [frame('AddPortMapping', '3389'), 'AddPortMapping: external port 3389 to 192.168.77.20:3389/TCP for 192.168.77.20'],
      [frame('AddAnyPortMapping', '5900'), 'AddAnyPortMapping: external port 5900 to 192.168.77.20:5900/TCP for 192.168.77.20'],
    ],
  );
  assert.deepEqual(ev.filter((e) => e.fact === 'upnp-control').map((e) => e.packet), [frame('GetStatusInfo')]);
  const notify = ev.find((e) => e.fact === 'upnp-igd')!;
  assert.equal(notify.value, 'announces urn:schemas-upnp-org:device:InternetGatewayDevice:2');
  assert.match(f[0].detail, /^The device granted UPnP port mappings: external port 3389 to 192\.168\.77\.20:3389\/TCP for 192\.168\.77\.20, external port 5900 /);
});
