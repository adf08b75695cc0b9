// Test fixture shared by the DNP3 analyzer and inventory tests.
import { corpus } from '../../testutil/corpus.js';
import { payloads } from '../../testutil/payloads.js';
import { writePcap } from '../../testutil/pcapwriter.js';

const ZEEK = (f: string): string => corpus('zeek', 'traces', 'dnp3', f);

/**
 * Zeek's dnp3_udp_read.pcap with the outstation's port 20000 moved to 47000: the real payloads,
 * rewritten into a new capture (addresses as tshark shows them: outstation 192.168.80.12).
 * Synthetic framing around real DNP3 bytes: no capture has DNP3 on another port.
 */
export async function movedUdpRead(): Promise<string> {
  const ps = await payloads(ZEEK('dnp3_udp_read.pcap'), { proto: 17 });
  const OUT = '192.168.80.12';
  const MASTER = '192.168.80.160';
  return writePcap(
    ps.map((p) => {
      const fromOut = p.srcPort === 20000;
      return { ts: 1000 + p.packet, frame: udpFrame(fromOut ? OUT : MASTER, fromOut ? 47000 : p.srcPort, fromOut ? MASTER : OUT, fromOut ? p.dstPort : 47000, p.bytes) };
    }),
  );
}

/** Ethernet/IPv4/UDP with a MAC per host (02:00:00:00:00:<last address octet>), so the two stay two devices. */
function udpFrame(src: string, sport: number, dst: string, dport: number, payload: Uint8Array): Uint8Array {
  const ip = (a: string): number[] => a.split('.').map(Number);
  const mac = (a: string): number[] => [2, 0, 0, 0, 0, ip(a)[3]];
  const f = Buffer.alloc(42 + payload.length);
  Buffer.from([...mac(dst), ...mac(src), 0x08, 0x00]).copy(f, 0);
  f[14] = 0x45;
  f.writeUInt16BE(28 + payload.length, 16);
  f[22] = 64;
  f[23] = 17;
  Buffer.from(ip(src)).copy(f, 26);
  Buffer.from(ip(dst)).copy(f, 30);
  let sum = 0;
  for (let i = 14; i < 34; i += 2) sum += f.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  f.writeUInt16BE(~sum & 0xffff, 24);
  f.writeUInt16BE(sport, 34);
  f.writeUInt16BE(dport, 36);
  f.writeUInt16BE(8 + payload.length, 38);
  Buffer.from(payload).copy(f, 42);
  return f;
}
