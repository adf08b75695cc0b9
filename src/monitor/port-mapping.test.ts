// Port mappings (port-mapping.ts) over UPnP, on a capture of real implementations
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

test('port-mapping: the workstation mapping RDP and VNC to itself (granted) and SMB to another host (refused) is one high alert naming each', async () => {
  const rdp = exchange('AddPortMapping', '3389');
  const smb = exchange('AddPortMapping', '445');
  const vnc = exchange('AddAnyPortMapping', '5900');
  assert.deepEqual([rdp[2], smb[2], vnc[2]], ['AddPortMappingResponse', 'Fault', 'AddAnyPortMappingResponse']);
  const alerts = (await monitorCaptures([PCAP])).filter((a) => a.rule === 'port-mapping');
  assert.deepEqual(
    alerts.map((a) => [a.device, a.peer, a.severity, a.count, a.evidence.map((e) => e.packet)]),
    [['ip:192.168.77.20', '192.168.77.1', 'high', 3, [rdp[0], rdp[1], smb[0], smb[1], vnc[0], vnc[1]]]],
  );
  assert.equal(
    alerts[0].why,
    '192.168.77.20 asked the gateway 192.168.77.1 to let the Internet in: AddPortMapping from the Internet on external port 3389 to 192.168.77.20:3389/TCP (RDP): granted, no expiry; AddPortMapping from the Internet on external port 445 to another host, 192.168.77.21:445/TCP (SMB): refused (UPnP error 718 ConflictInMappingEntry); AddAnyPortMapping from the Internet on external port 5900 to 192.168.77.20:5900/TCP (VNC): granted, for 3600 s',
  );
  assert.deepEqual(alertTechniques(alerts[0]), ['T1599.001']);
});

test('port-mapping: a host listed in portMappingAllow is not judged', async () => {
  const alerts = await monitorCaptures([PCAP], { portMappingAllow: ['192.168.77.20/32'] });
  assert.deepEqual(alerts.filter((a) => a.rule === 'port-mapping'), []);
});

test('port-mapping over NAT-PMP and PCP (generated-natpmp-port-mapping.pcap: natpmpc and hand-built PCP MAP requests to miniupnpd): SSH and RDP granted, SIP granted, the third-party SMB refused; the deletion not judged', async () => {
  const natpmp = readTsharkFields(join(GEN, 'natpmp', 'natpmp.tsv'));
  const pcp = readTsharkFields(join(GEN, 'natpmp', 'pcp.tsv'));
  const alerts = (await monitorCaptures([join(GEN, 'generated-natpmp-port-mapping.pcap')])).filter((a) => a.rule === 'port-mapping');
  // tshark: NAT-PMP map requests (opcode 1 UDP, 2 TCP) and their answers; PCP MAP requests (R 0) and answers.
  const natReq = natpmp.filter((r) => (r[4] === '1' || r[4] === '2') && r[10] !== '0').map((r) => Number(r[0]));
  const natAns = natReq.map((f) => Number(natpmp.find((r) => Number(r[0]) > f && Number(r[4]) >= 129)![0]));
  const pcpReq = pcp.filter((r) => r[5] === '1' && r[4] === '0').map((r) => Number(r[0]));
  const pcpAns = pcpReq.map((f) => Number(pcp.find((r) => Number(r[0]) > f && r[4] === '1')![0]));
  assert.deepEqual(
    alerts.map((a) => [a.device, a.peer, a.severity, a.count, a.evidence.map((e) => e.packet)]),
    [['ip:192.168.78.20', '192.168.78.1', 'high', 4, [natReq[0], natAns[0], natReq[1], natAns[1], pcpReq[0], pcpAns[0], pcpReq[1], pcpAns[1]]]],
  );
  assert.equal(
    alerts[0].why,
    '192.168.78.20 asked the gateway 192.168.78.1 to let the Internet in: NAT-PMP map_tcp from the Internet on external port 2222 to 192.168.78.20:22/TCP (SSH): granted, for 3600 s; NAT-PMP map_udp from the Internet on external port 5060 to 192.168.78.20:5060/UDP: granted, for 7200 s; PCP MAP from the Internet on external port 3389 to 192.168.78.20:3389/TCP (RDP): granted, for 3600 s; PCP MAP from the Internet on external port 445 to another host, 192.168.78.21:445/TCP (SMB): refused (PCP result UNSUPP_OPTION)',
  );
});
