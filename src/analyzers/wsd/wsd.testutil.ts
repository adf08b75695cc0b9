// Reads the transport payloads of chosen frames from a classic little-endian pcap of Ethernet
// frames (IPv4 or IPv6, UDP or TCP), to seed the fuzz tests with the real capture's bytes.
const ETH = 14;
const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const IPV6_HEADER = 40;
const TCP = 6;

export function readPcapPayloads(file: Uint8Array, frames: readonly number[]): Uint8Array[] {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: Uint8Array[] = [];
  let off = 24;
  for (let n = 1; off + 16 <= file.length; n++) {
    const caplen = v.getUint32(off + 8, true);
    const f = off + 16;
    off = f + caplen;
    if (!frames.includes(n)) continue;
    const et = v.getUint16(f + 12);
    let ip = f + ETH;
    let proto: number;
    if (et === ETH_IPV4) {
      proto = file[ip + 9];
      ip += (file[ip] & 0x0f) * 4;
    } else if (et === ETH_IPV6) {
      proto = file[ip + 6];
      ip += IPV6_HEADER;
    } else continue;
    const start = proto === TCP ? ip + (file[ip + 12] >> 4) * 4 : ip + 8;
    out.push(file.slice(start, f + caplen));
  }
  return out;
}
