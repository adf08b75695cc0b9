// Netlogon secure-channel setup (MS-NRPC 3.5.4.4) on the generated capture of a real Zerologon
// attempt (Samba 4.17 AD DC answering Debian's impacket 0.10.0, test/fixtures/generated/README.md),
// checked against tshark 4.0's netlogon dissector, and Zeek's dce_rpc_netlogon trace (an ordinary,
// sealed NetrLogonSamLogonWithFlags) which must give no authenticate event; then the stub parsers
// under truncation and mutation of the real stubs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import type { AppEvent } from '../types.js';
import { OPNUM_AUTHENTICATE3, STATUS_ACCESS_DENIED, parseAuthenticateRequest, parseNetlogonStatus, parseReqChallengeRequest } from './netlogon.js';

const GENERATED = 'test/fixtures/generated/generated-zerologon-samba.pcap';
/** Ethernet + IPv4 + TCP (no options in the capture's data segments) + DCE/RPC request and response headers. */
const ETH_IP = 14 + 20;

async function authEvents(path: string): Promise<AppEvent[]> {
  const evs: AppEvent[] = [];
  const run = await runCaptures([path], undefined, { onEvent: (ev) => void (ev.type === 'dce_rpc.netlogon_authenticate' && evs.push(ev)) });
  run.cleanup();
  return evs;
}

/** Frames of a classic little-endian pcap. */
function frames(path: string): Uint8Array[] {
  const b = readFileSync(path);
  const out: Uint8Array[] = [];
  for (let p = 24; p + 16 <= b.length; ) {
    const n = b.readUInt32LE(p + 8);
    out.push(new Uint8Array(b.buffer, b.byteOffset + p + 16, n));
    p += 16 + n;
  }
  return out;
}

/** The DCE/RPC stub of a frame: after the TCP header and the 24-octet request/response header. */
function stub(frame: Uint8Array): Uint8Array {
  const tcpLen = (frame[ETH_IP + 12] >> 4) * 4;
  return frame.subarray(ETH_IP + tcpLen + 24);
}

test('the Samba capture gives one authenticate event per NetrServerAuthenticate3, as tshark reads them', async () => {
  const evs = await authEvents(GENERATED);
  // tshark -Y 'netlogon.opnum==26' -T fields -e frame.number -e netlogon.clientcred -e netlogon.rc:
  // requests 22, 26, …, 138 with ClientCredential 0000000000000000 answered STATUS_ACCESS_DENIED
  // (0xc0000022), then request 142 (WS1$) answered 0 — the client script printed "30 of 30 …
  // refused" and "genuine … STATUS_SUCCESS, AccountRid 1103".
  assert.equal(evs.length, 31);
  const zero = evs.filter((e) => e.zero_credential === true);
  assert.equal(zero.length, 30);
  assert.deepEqual(zero.map((e) => e.packet), Array.from({ length: 30 }, (_, i) => 22 + 4 * i));
  for (const e of zero) {
    assert.equal(e.status, STATUS_ACCESS_DENIED);
    assert.equal(e.status_name, 'STATUS_ACCESS_DENIED');
    assert.equal(e.response_packet, (e.packet as number) + 1);
    assert.equal(e.account, 'DC1$');
    assert.equal(e.computer, 'DC1');
    assert.equal(e.secure_channel_type, 6); // tshark: SEC_CHAN_BDC (6), impacket's ServerSecureChannel
    assert.equal(e.zero_challenge, true);
    assert.equal(e.negotiate_flags, 0x212fffff);
    assert.equal(e.operation, 'NetrServerAuthenticate3');
  }
  const last = evs[30];
  assert.deepEqual(
    { packet: last.packet, account: last.account, computer: last.computer, type: last.secure_channel_type, zero: last.zero_credential, challenge: last.zero_challenge, status: last.status },
    { packet: 142, account: 'WS1$', computer: 'WS1', type: 2, zero: false, challenge: false, status: 0 },
  );
});

test("Zeek's dce_rpc_netlogon trace (a sealed NetrLogonSamLogonWithFlags) gives no authenticate event", { skip: !haveCorpus() }, async () => {
  const path = corpus('zeek/traces/dce-rpc/dce_rpc_netlogon.pcapng');
  assert.ok(existsSync(path));
  assert.deepEqual(await authEvents(path), []);
});

test('the stub parsers read the real stubs and survive truncation and mutation', () => {
  const f = frames(GENERATED);
  const chal = stub(f[20 - 1]);
  const auth = stub(f[22 - 1]);
  const resp = stub(f[23 - 1]);
  assert.deepEqual(parseReqChallengeRequest(chal, 0, chal.length, false), { primaryName: '\\\\DC1', computerName: 'DC1', zeroChallenge: true });
  const a = parseAuthenticateRequest(auth, 0, auth.length, false, OPNUM_AUTHENTICATE3)!;
  assert.equal(a.primaryName, '\\\\DC1');
  assert.equal(a.accountName, 'DC1$');
  assert.equal(a.zeroCredential, true);
  assert.equal(parseNetlogonStatus(resp, 0, resp.length, OPNUM_AUTHENTICATE3), STATUS_ACCESS_DENIED);
  // Cut anywhere before the credential's last octet, a request is unreadable, never misread.
  for (let n = 0; n < 68; n++) assert.equal(parseAuthenticateRequest(auth, 0, n, false, OPNUM_AUTHENTICATE3), null, `cut at ${n}`);
  const seeds = [chal, auth, resp, stub(f[142 - 1]), stub(f[143 - 1])].map((s) => Uint8Array.from(s));
  fuzzParser(seeds, (b) => {
    for (const ndr64 of [false, true]) {
      parseReqChallengeRequest(b, 0, b.length, ndr64);
      parseAuthenticateRequest(b, 0, b.length, ndr64, OPNUM_AUTHENTICATE3);
    }
    parseNetlogonStatus(b, 0, b.length, OPNUM_AUTHENTICATE3);
    // Out-of-range bounds are refused, not read.
    parseAuthenticateRequest(b, 0, b.length + 8, false, OPNUM_AUTHENTICATE3);
  });
});
