// UPnP control on a capture of real implementations (test/fixtures/generated/upnp/generate.sh:
// miniupnpd 2.3.1 as the Internet gateway, miniupnpc 2.2.4's upnpc asking it for status, the
// external address, port mappings for itself (granted) and for another host (refused, 718),
// AddAnyPortMapping with a lease, the mapping list, a deletion). Expectations from tshark's
// decode of the same capture (http.tsv, soap.tsv beside generate.sh). Parser bounds, truncation
// and mutation; the synthetic cases say so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { recordStreams } from '../../testutil/recorded.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { parseUpnpSoap, soapAction } from './parse.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-upnp-port-mapping.pcap');
/** tshark: frame, stream, the Body's element (action, <action>Response or Fault), its namespace, name=value;… */
const soap = readTsharkFields(join(GEN, 'upnp', 'soap.tsv'));
/** tshark: frame, source, destination, stream, method, URI, status. */
const http = readTsharkFields(join(GEN, 'upnp', 'http.tsv'));
/** tshark: frame, stream, the root device's leaves (name=value;…), every deviceType, every serviceType. */
const desc = readTsharkFields(join(GEN, 'upnp', 'desc.tsv'));
const args = (r: string[] | undefined): Map<string, string> => new Map((r?.[4] ?? '').split(';').filter((x) => x !== '').map((x) => [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)]));

test('upnp.log: one line per action tshark decodes, with its answer, the mapping fields and the UPnP error', async () => {
  const run = await runCaptures([PCAP]);
  try {
    const lines = run.log('upnp');
    const requests = soap.filter((r) => r[2] !== 'Fault' && !r[2].endsWith('Response'));
    assert.equal(lines.length, requests.length);
    assert.equal(lines.length, 36);
    for (const [i, req] of requests.entries()) {
      const l = lines[i];
      const at = `frame ${req[0]}`;
      const answer = soap.find((r) => r[1] === req[1] && r !== req);
      const post = http.find((r) => r[0] === req[0])!;
      const status = http.find((r) => r[3] === req[1] && r[6] !== '')!;
      assert.equal(l['id.orig_h'], post[1], at);
      assert.equal(l['id.resp_h'], post[2], at);
      assert.equal(l.uri, post[5], at);
      assert.equal(l.action, req[2], at);
      assert.equal(l.service, req[3], at);
      assert.equal(l.status_code, Number(status[6]), at);
      assert.equal(l.result, answer?.[2] === `${req[2]}Response` ? 'success' : 'error', at);
      const a = args(req);
      const out = answer?.[2] === 'Fault' ? new Map<string, string>() : args(answer);
      const either = (k: string): string | undefined => (a.get(k) || undefined) ?? (out.get(k) || undefined);
      const num = (k: string): number | undefined => (either(k) === undefined ? undefined : Number(either(k)));
      assert.equal(l.external_port, num('NewExternalPort'), at);
      assert.equal(l.internal_port, num('NewInternalPort'), at);
      assert.equal(l.internal_client, either('NewInternalClient'), at);
      assert.equal(l.protocol, either('NewProtocol'), at);
      assert.equal(l.description, either('NewPortMappingDescription'), at);
      assert.equal(l.lease_duration, num('NewLeaseDuration'), at);
      assert.equal(l.enabled, either('NewEnabled') === undefined ? undefined : either('NewEnabled') === '1', at);
      assert.equal(l.external_ip, out.get('NewExternalIPAddress'), at);
      assert.equal(l.reserved_port, out.has('NewReservedPort') ? Number(out.get('NewReservedPort')) : undefined, at);
      assert.deepEqual(l.arguments, a.size > 0 ? [...a.keys()] : undefined, at);
      if (answer?.[2] === 'Fault') {
        const f = args(answer);
        assert.equal(l.error_code, Number(f.get('errorCode')), at);
        assert.equal(l.error_description, f.get('errorDescription'), at);
      } else assert.equal(l.error_code, undefined, at);
    }
    // What upnpc reported: 3389 granted, 445 for another host refused with 718, 5900 reserved.
    const adds = lines.filter((l) => String(l.action).startsWith('Add')).map((l) => [l.action, l.external_port, l.internal_client, l.result, l.error_code ?? null, l.reserved_port ?? null]);
    assert.deepEqual(adds, [
      ['AddPortMapping', 3389, '192.168.77.20', 'success', null, null],
      ['AddPortMapping', 445, '192.168.77.21', 'error', 718, null],
      ['AddAnyPortMapping', 5900, '192.168.77.20', 'success', null, 5900],
    ]);
    // Every connection to the gateway's HTTP port: 36 actions and 6 fetches of its description.
    const toGateway = run.conns.filter((c) => c.rPort === 5000);
    assert.equal(toGateway.length, 36 + desc.length);
    for (const c of toGateway) assert.equal(c.service, 'http,upnp');
  } finally {
    run.cleanup();
  }
});

/** The SOAP bodies of the capture's control messages (Content-Length framed, as miniupnpd and miniupnpc send them). */
async function bodies(): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const s of await recordStreams(PCAP)) {
    for (const dir of [s.orig, s.resp]) {
      const text = Buffer.from(dir).toString('latin1');
      const h = text.indexOf('\r\n\r\n');
      const cl = /content-length: *(\d+)/i.exec(text.slice(0, h));
      if (h > 0 && cl !== null && /<s:Envelope/.test(text)) out.push(dir.subarray(h + 4, h + 4 + Number(cl[1])));
    }
  }
  return out;
}

test('parseUpnpSoap() reads every captured body as tshark does, and survives truncation and mutation', async () => {
  const bs = await bodies();
  assert.equal(bs.length, soap.length);
  const parsed = bs.map((b) => parseUpnpSoap(b, 0, b.length));
  const names = parsed.map((m) => (typeof m === 'object' ? (m.kind === 'fault' ? 'Fault' : m.kind === 'response' ? `${m.action}Response` : m.action) : m)).sort();
  assert.deepEqual(names, soap.map((r) => r[2]).sort());
  const add = parsed.find((m) => typeof m === 'object' && m.action === 'AddPortMapping' && m.args.get('NewExternalPort') === '3389');
  assert.ok(typeof add === 'object');
  assert.deepEqual([...add.args], [...args(soap.find((r) => r[2] === 'AddPortMapping'))]);
  assert.equal(add.service, 'urn:schemas-upnp-org:service:WANIPConnection:2');
  // Cut inside the arguments: what was read is kept, and the message says it was cut.
  const body = bs[parsed.indexOf(add)];
  const cut = parseUpnpSoap(body, 0, Buffer.from(body).indexOf('NewInternalClient'));
  assert.ok(typeof cut === 'object' && cut.truncated && cut.args.get('NewProtocol') === 'TCP');
  fuzzParser(bs, (b) => {
    parseUpnpSoap(b, 0, b.length);
  });
});

test('soapAction() takes UPnP, TR-064 and WFA service actions and nothing else (synthetic header values)', () => {
  assert.deepEqual(soapAction('"urn:schemas-upnp-org:service:WANIPConnection:1#AddPortMapping"'), { service: 'urn:schemas-upnp-org:service:WANIPConnection:1', action: 'AddPortMapping' });
  assert.deepEqual(soapAction('urn:dslforum-org:service:DeviceInfo:1#GetInfo'), { service: 'urn:dslforum-org:service:DeviceInfo:1', action: 'GetInfo' });
  assert.deepEqual(soapAction('"urn:schemas-wifialliance-org:service:WFAWLANConfig:1#PutMessage"')?.action, 'PutMessage');
  assert.equal(soapAction('"http://tempuri.org/IService/GetData"'), null);
  assert.equal(soapAction('""'), null);
});

test('a pinhole request and a secret-bearing action (synthetic: no capture of IGD 2 pinholes or of WANPPPConnection passwords here)', async () => {
  const { UPNP_TAP } = await import('./tap.js');
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  const env = (body: string): string => `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${body}</s:Body></s:Envelope>`;
  const events: Record<string, unknown>[] = [];
  const weirds: string[] = [];
  const ctx = {
    conn: { o0: 0, o1: 0, o2: 0, o3: 0xc0a80114, r0: 0, r1: 0, r2: 0, r3: 0xc0a80101, oPort: 40000, rPort: 5000, v6: false },
    emit: (e: Record<string, unknown>) => events.push(e),
    weird: (w: string) => weirds.push(w),
    confirm: () => undefined,
  };
  const summary = (s: string, isOrig: boolean): unknown => {
    const t = UPNP_TAP.create();
    const b = enc(s);
    t.add(b, 0, b.length);
    return t.summary(ctx as never, isOrig);
  };
  // UPnP WANIPv6FirewallControl:1 §2.5.4 AddPinhole and its UniqueID answer.
  const req = summary(env('<u:AddPinhole xmlns:u="urn:schemas-upnp-org:service:WANIPv6FirewallControl:1"><RemoteHost></RemoteHost><RemotePort>0</RemotePort><InternalClient>2001:db8::20</InternalClient><InternalPort>22</InternalPort><Protocol>6</Protocol><LeaseTime>7200</LeaseTime></u:AddPinhole>'), true);
  const resp = summary(env('<u:AddPinholeResponse xmlns:u="urn:schemas-upnp-org:service:WANIPv6FirewallControl:1"><UniqueID>7</UniqueID></u:AddPinholeResponse>'), false);
  UPNP_TAP.transaction(ctx as never, { tsSec: 1, tsNsec: 0, packet: 9, statusCode: 200, uri: '/ctl/IP6FCtl' } as never, req, resp);
  const pin = events.find((e) => e.type === 'upnp.action')!;
  assert.deepEqual([pin.action, pin.result, pin.internal_client, pin.internal_port, pin.protocol, pin.lease_duration, pin.remote_port, pin.pinhole_id], ['AddPinhole', 'success', '2001:db8::20', 22, 'TCP', 7200, 0, 7]);
  // WANPPPConnection:1 SetPassword: a credential event with a digest; the value is in no field.
  events.length = 0;
  const set = summary(env('<u:SetPassword xmlns:u="urn:schemas-upnp-org:service:WANPPPConnection:1"><NewPassword>hunter2-ppp</NewPassword></u:SetPassword>'), true);
  UPNP_TAP.transaction(ctx as never, { tsSec: 1, tsNsec: 0, packet: 10, statusCode: 200 } as never, set, null);
  assert.deepEqual(events.map((e) => e.type), ['upnp.action', 'credential']);
  assert.deepEqual(events[0].arguments, ['NewPassword']);
  assert.equal(events[1].protocol, 'upnp');
  assert.ok(!JSON.stringify(events).includes('hunter2-ppp'));
  // Not a SOAP body, and an envelope with an empty Body.
  assert.equal(summary('hello', true), null);
  assert.equal(summary(env(''), true), null);
  assert.deepEqual(weirds, ['upnp.not_soap', 'upnp.no_action']);
});

test('upnp_device.log: each device description the gateway served, with the root device\'s fields, embedded devices and services as tshark reads them', async () => {
  const run = await runCaptures([PCAP]);
  try {
    const lines = run.log('upnp_device');
    assert.equal(lines.length, desc.length);
    assert.equal(lines.length, 6);
    for (const [i, r] of desc.entries()) {
      const l = lines[i];
      const at = `frame ${r[0]}`;
      const f = args([r[0], r[1], '', '', r[2]]);
      assert.equal(l['id.resp_h'], '192.168.77.1', at);
      assert.equal(l.uri, '/rootDesc.xml', at);
      assert.equal(l.device_type, f.get('deviceType'), at);
      assert.equal(l.friendly_name, f.get('friendlyName'), at);
      assert.equal(l.manufacturer, f.get('manufacturer'), at);
      assert.equal(l.manufacturer_url, f.get('manufacturerURL'), at);
      assert.equal(l.model_description, f.get('modelDescription'), at);
      assert.equal(l.model_name, f.get('modelName'), at);
      assert.equal(l.model_number, f.get('modelNumber'), at);
      assert.equal(l.serial, f.get('serialNumber'), at);
      assert.equal(l.udn, f.get('UDN'), at);
      assert.equal(l.presentation_url, f.get('presentationURL'), at);
      assert.deepEqual(l.embedded, r[3].split(',').slice(1), at);
      assert.deepEqual(l.services, r[4].split(','), at);
    }
  } finally {
    run.cleanup();
  }
});

test('parseUpnpDescription() survives truncation and mutation of the captured description; other XML is none', async () => {
  const { parseUpnpDescription, looksLikeDescription } = await import('./description.js');
  const docs: Uint8Array[] = [];
  for (const s of await recordStreams(PCAP)) {
    const text = Buffer.from(s.resp).toString('latin1');
    const h = text.indexOf('\r\n\r\n');
    if (/^HTTP\/1\.1 200/.test(text) && text.includes('<root ')) docs.push(s.resp.subarray(h + 4));
  }
  assert.equal(docs.length, desc.length);
  assert.ok(looksLikeDescription(docs[0], 0, docs[0].length));
  const cut = parseUpnpDescription(docs[0], 0, 1500)!;
  assert.ok(cut.truncated && cut.friendly_name === 'Clinic broadband router');
  // Synthetic: a SOAP answer and an RSS feed are XML but no description.
  const rss = new TextEncoder().encode('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>');
  assert.equal(parseUpnpDescription(rss, 0, rss.length), null);
  assert.equal(looksLikeDescription(rss, 0, rss.length), false);
  fuzzParser([docs[0]], (b) => {
    parseUpnpDescription(b, 0, b.length);
  }, { mutations: 300 });
});

test('the inventory takes the gateway\'s vendor, model and device types from its description, citing the answer', async () => {
  const { devices } = await runInventory([PCAP]);
  const d = deviceWithIp(devices, '192.168.77.1')!;
  const f = args([desc[0][0], desc[0][1], '', '', desc[0][2]]);
  assert.equal(d.category, 'network');
  const facts = (source: string): string[] => [...new Set(d.evidence.filter((e) => e.source === source).map((e) => e.value))];
  assert.deepEqual(facts('upnp.manufacturer'), [f.get('manufacturer')]);
  assert.deepEqual(facts('upnp.model_name'), [f.get('modelName')]);
  assert.deepEqual(facts('upnp.device_type').sort(), ['InternetGatewayDevice', 'WANConnectionDevice', 'WANDevice']);
  assert.equal(d.evidence.find((e) => e.source === 'upnp.manufacturer')!.packet, Number(desc[0][0]));
  // miniupnpd was configured with the maker's identity (generate.sh): the vendor and model are its.
  assert.equal(d.vendor, 'AVM Berlin');
  // "Clinic broadband router" is a name, not one host-name label: no hostname from it.
  assert.deepEqual(facts('upnp.friendly_name'), ['Clinic broadband router']);
  assert.ok(!d.evidence.some((e) => e.fact === 'hostname' && e.source === 'upnp.friendly_name'));
  assert.equal(d.model, 'FRITZ!Box 7590');
});
