// weak-ssh on real captures: Zeek's single-conn trace (OpenSSH 3.9p1, SSH-1.99, negotiating CBC,
// MD5 and SHA-1 group exchange), Zeek's SSH-1 fingerprint trace (an SSH-1.5 server), Suricata's
// ssh-hassh capture (OpenSSH 7.4, only offering old algorithms) and hydra against Debian's
// OpenSSH 9.2 (nothing weak). The banners and the algorithm lists come from tshark
// (test/fixtures/ssh/*.tshark.tsv); which algorithms a session used is RFC 4253 §7.1's rule
// applied to them: the first on the client's list that the server's list holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { corpus, haveCorpus, readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { assessCaptures } from './testutil.js';
import { sshAlgorithmWeakness, sshProtocolWeakness } from './ssh-weak.js';
import type { Finding } from '../report/model.js';

const skip = !haveCorpus() && 'shared corpus not present';
const TSV = join(REPO_ROOT, 'test', 'fixtures', 'ssh');

async function findings(pcap: string): Promise<Finding[]> {
  const { result, run } = await assessCaptures([pcap]);
  run.cleanup();
  return result.findings.filter((f) => f.rule === 'weak-ssh');
}

/** tshark rows: frame, source, source port, banner, kex, host key, encryption c→s, MAC c→s. */
function sides(name: string): { client: string[][]; server: string[][] } {
  const rows = readTsharkFields(join(TSV, `${name}.tshark.tsv`));
  const serverPort = rows.find((r) => r[3] !== '' && Number(r[2]) < 1024 && Number(r[2]) !== 0)![2];
  return { client: rows.filter((r) => r[2] !== serverPort), server: rows.filter((r) => r[2] === serverPort) };
}

/** RFC 4253 §7.1: the first algorithm of the client's list that the server also lists. */
function negotiated(client: string, server: string): string {
  const s = new Set(server.split(','));
  return client.split(',').find((a) => s.has(a))!;
}

test('weak-ssh: OpenSSH 3.9p1 (SSH-1.99) negotiating SHA-1 group exchange, CBC and MD5 is medium, naming what was used, the banner and what else it offers (Zeek single-conn)', { skip }, async () => {
  const { client, server } = sides('zeek__traces__ssh__single-conn');
  const banner = server.find((r) => r[3] !== '')!;
  const sk = server.find((r) => r[4] !== '')!;
  const ck = client.find((r) => r[4] !== '')!;
  assert.match(banner[3], /^SSH-1\.99-/);
  const used = [negotiated(ck[4], sk[4]), negotiated(ck[6], sk[6]), negotiated(ck[7], sk[7])];
  assert.deepEqual(used, ['diffie-hellman-group-exchange-sha1', 'aes128-cbc', 'hmac-md5']);
  const f = await findings(corpus('zeek/traces/ssh/single-conn.pcap'));
  assert.deepEqual(f.map((x) => [x.device, x.severity]), [[`ip:${banner[1]}`, 'medium']]);
  for (const a of used) assert.ok(f[0].detail.includes(`${a} (`), a);
  assert.match(f[0].detail, /^The device's SSH server on port 22: sessions negotiated diffie-hellman-group-exchange-sha1 \(.*; its banner says it accepts protocol 1 too \(SSH-1\.99\); it also offers /);
  // Offered, by the server's own lists: RC4 and the 1024-bit group.
  assert.ok(sk[6].split(',').includes('arcfour') && sk[4].split(',').includes('diffie-hellman-group1-sha1'));
  assert.match(f[0].detail, /diffie-hellman-group1-sha1 \(1024-bit Diffie-Hellman group/);
  // Evidence: the server's banner and KEXINIT (tshark's frames), and the session's ssh.log record.
  const ev = Object.fromEntries(f[0].evidence.map((e) => [e.source, e.packet]));
  assert.deepEqual([ev['ssh.ident'], ev['ssh.kexinit'], typeof ev['ssh.session']], [Number(banner[0]), Number(sk[0]), 'number']);
});

test('weak-ssh: an SSH-1.5 server and its protocol 1 session are high (Zeek ssh1-ssh2-fingerprints); the SSH-2 OpenSSH 8.2 beside it is not judged weak', { skip }, async () => {
  const rows = readTsharkFields(join(TSV, 'zeek__traces__ssh__ssh1-ssh2-fingerprints.tshark.tsv'));
  const v1 = rows.find((r) => r[3].startsWith('SSH-1.5-'))!;
  const f = await findings(corpus('zeek/traces/ssh/ssh1-ssh2-fingerprints.pcap'));
  assert.deepEqual(f.map((x) => [x.severity, x.detail.match(/port (\d+)/)?.[1]]), [['high', v1[2]]]);
  assert.match(f[0].detail, /a session ran protocol 1; its banner says it speaks protocol 1 only \(SSH-1\.5: /);
});

test('weak-ssh: OpenSSH 7.4 that only offers CBC and SHA-1 group exchange is low (Suricata ssh-hassh)', { skip }, async () => {
  const { server } = sides('suricata-verify__tests__ssh-hassh__input');
  const sk = server.find((r) => r[4] !== '')!;
  assert.ok(sk[6].split(',').includes('aes128-cbc'));
  const f = await findings(corpus('suricata-verify/tests/ssh-hassh/input.pcap'));
  assert.deepEqual(f.map((x) => [x.device, x.severity]), [[`ip:${sk[1]}`, 'low']]);
  assert.match(f[0].detail, /^The device's SSH server on port 22: it also offers .*aes128-cbc \(CBC mode/);
});

test('weak-ssh: Debian 12 OpenSSH 9.2 (hydra against it) gives none', async () => {
  assert.deepEqual(await findings(join(REPO_ROOT, 'test', 'fixtures', 'generated', 'monitor', 'generated-hydra-ssh.pcap')), []);
});

test('sshAlgorithmWeakness() and sshProtocolWeakness(): broken, weak and sound names (RFC 9142, RFC 8758)', () => {
  const w = (k: Parameters<typeof sshAlgorithmWeakness>[0], n: string): string => {
    const r = sshAlgorithmWeakness(k, n);
    return r === null ? 'ok' : r.broken ? 'broken' : 'weak';
  };
  assert.deepEqual(['diffie-hellman-group1-sha1', 'rsa1024-sha1', 'diffie-hellman-group-exchange-sha1', 'gss-group1-sha1-toWM5Slw5Ew8Mqkay+al2g==', 'diffie-hellman-group14-sha1', 'curve25519-sha256', 'diffie-hellman-group14-sha256'].map((n) => w('kex', n)), ['broken', 'broken', 'weak', 'weak', 'ok', 'ok', 'ok']);
  assert.deepEqual(['none', 'arcfour256', 'des-cbc', '3des-cbc', 'blowfish-cbc', 'aes128-cbc', 'rijndael-cbc@lysator.liu.se', 'aes128-ctr', 'chacha20-poly1305@openssh.com', 'aes256-gcm@openssh.com'].map((n) => w('cipher', n)), ['broken', 'broken', 'broken', 'weak', 'weak', 'weak', 'weak', 'ok', 'ok', 'ok']);
  assert.deepEqual(['none', 'hmac-md5', 'hmac-md5-96', 'hmac-sha1-96', 'hmac-ripemd160', 'hmac-sha1', 'hmac-sha2-256', 'umac-64-etm@openssh.com'].map((n) => w('mac', n)), ['broken', 'weak', 'weak', 'weak', 'weak', 'ok', 'ok', 'ok']);
  assert.deepEqual(['ssh-dss', 'ssh-rsa', 'rsa-sha2-512', 'ssh-ed25519'].map((n) => w('host_key', n)), ['weak', 'ok', 'ok', 'ok']);
  assert.deepEqual(['1.5', '1.99', '2.0'].map((v) => sshProtocolWeakness(v)?.broken ?? 'ok'), [true, false, 'ok']);
});
