// A stress capture no public one covers: a SYN flood from forged sources, every packet a new
// connection from a new address (random in 10.0.0.0/8, so each is an internal host the monitor
// tracks) to one of six services of 65,536 addresses in 172.16.0.0/16, 100,000 packets a second.
// What wardline's bounded tables (connections, baselines, scan and flood windows, devices) do
// when they are full and every packet evicts. Deterministic (a fixed xorshift seed).
//
//   node bench/make-flood-pcap.mjs OUT.pcap [PACKETS=1000000]
//   node bench/run.mjs --pcap OUT.pcap        node bench/monitor.mjs --pcap OUT.pcap
import { openSync, writeSync, closeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// The compiled test helper (npm run build first, as for the other bench scripts).
const { pcapHeader } = await import(pathToFileURL(join(root, 'dist', 'src', 'testutil', 'pcapwriter.js')).href);

const [out, countArg] = process.argv.slice(2);
if (out === undefined) {
  process.stderr.write('usage: node bench/make-flood-pcap.mjs OUT.pcap [PACKETS]\n');
  process.exit(2);
}
const count = Number(countArg ?? 1_000_000);
let x = 0x2545f491;
const rand = () => {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
};
const PORTS = [22, 80, 104, 443, 445, 3389];
const FRAME = 14 + 20 + 20;
const REC = 16 + FRAME;
const fd = openSync(out, 'w');
writeSync(fd, pcapHeader());
const BATCH = 4096;
const buf = Buffer.alloc(REC * BATCH);
for (let i = 0; i < count; ) {
  const n = Math.min(BATCH, count - i);
  for (let j = 0; j < n; j++, i++) {
    const o = j * REC;
    buf.writeUInt32LE(1_700_000_000 + Math.floor(i / 100_000), o);
    buf.writeUInt32LE((i % 100_000) * 10, o + 4);
    buf.writeUInt32LE(FRAME, o + 8);
    buf.writeUInt32LE(FRAME, o + 12);
    const e = o + 16;
    buf.write('001122334455' + '66778899aabb' + '0800', e, 'hex');
    const ip = e + 14;
    buf.fill(0, ip, ip + 40);
    buf[ip] = 0x45;
    buf.writeUInt16BE(40, ip + 2);
    buf.writeUInt16BE(i & 0xffff, ip + 4);
    buf[ip + 8] = 64;
    buf[ip + 9] = 6;
    buf.writeUInt32BE((0x0a000000 | (rand() & 0xffffff)) >>> 0, ip + 12);
    buf.writeUInt32BE((0xac100000 | (rand() & 0xffff)) >>> 0, ip + 16);
    let sum = 0;
    for (let k = 0; k < 20; k += 2) sum += buf.readUInt16BE(ip + k);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    buf.writeUInt16BE(~sum & 0xffff, ip + 10);
    const tcp = ip + 20;
    buf.writeUInt16BE(1024 + (rand() % 64512), tcp);
    buf.writeUInt16BE(PORTS[rand() % PORTS.length], tcp + 2);
    buf.writeUInt32BE(rand(), tcp + 4);
    buf[tcp + 12] = 0x50;
    buf[tcp + 13] = 0x02;
    buf.writeUInt16BE(1024, tcp + 14);
  }
  writeSync(fd, buf, 0, n * REC);
}
closeSync(fd);
process.stderr.write(`${out}: ${count} packets\n`);
