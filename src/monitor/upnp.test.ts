// UPnP port mappings (upnp.ts) on a capture of real implementations
// (test/fixtures/generated/upnp/generate.sh: miniupnpd as the gateway, upnpc on a workstation
// mapping RDP to itself, SMB to another host — refused, secure mode — and VNC with a lease).
// Which packet is which comes from tshark's decode (soap.tsv beside generate.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-upnp-port-mapping.pcap');
const soap = readTsharkFields(join(GEN, 'upnp', 'soap.tsv'));
/** The frames of an Add action for an external port, and of its answer (same TCP stream). */
function exchange(action: string, port: string): [number, number, string] {
  const req = soap.find((r) => r[2] === action && r[4].includes(`NewExternalPort=${port};`))!;
  const ans = soap.find((r) => r[1] === req[1] && r !== req)!;
  return [Number(req[0]), Number(ans[0]), ans[2]];
}

test('upnp-port-mapping: the workstation mapping RDP and VNC to itself (granted) and SMB to another host (refused) is one high alert naming each', async () => {
  const rdp = exchange('AddPortMapping', '3389');
  const smb = exchange('AddPortMapping', '445');
  const vnc = exchange('AddAnyPortMapping', '5900');
  assert.deepEqual([rdp[2], smb[2], vnc[2]], ['AddPortMappingResponse', 'Fault', 'AddAnyPortMappingResponse']);
  const alerts = (await monitorCaptures([PCAP])).filter((a) => a.rule === 'upnp-port-mapping');
  assert.deepEqual(
    alerts.map((a) => [a.device, a.peer, a.severity, a.count, a.evidence.map((e) => e.packet)]),
    [['ip:192.168.77.20', '192.168.77.1', 'high', 3, [rdp[0], rdp[1], smb[0], smb[1], vnc[0], vnc[1]]]],
  );
  assert.equal(
    alerts[0].why,
    '192.168.77.20 asked the gateway 192.168.77.1 over UPnP to let the Internet in: AddPortMapping from the Internet on external port 3389 to 192.168.77.20:3389/TCP (RDP): granted, no expiry; AddPortMapping from the Internet on external port 445 to another host, 192.168.77.21:445/TCP (SMB): refused (UPnP error 718 ConflictInMappingEntry); AddAnyPortMapping from the Internet on external port 5900 to 192.168.77.20:5900/TCP (VNC): granted, for 3600 s',
  );
  assert.deepEqual(alertTechniques(alerts[0]), ['T1599.001']);
});

test('upnp-port-mapping: a host listed in upnpAllow is not judged', async () => {
  const alerts = await monitorCaptures([PCAP], { upnpAllow: ['192.168.77.20/32'] });
  assert.deepEqual(alerts.filter((a) => a.rule === 'upnp-port-mapping'), []);
});
