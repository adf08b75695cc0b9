// Synthetic ICMP router discovery messages for tests: no capture here holds an ICMP router
// advertisement (RFC 1256), so the analyzer's and the monitor's tests build them.

/** An Ethernet frame with an IPv4 header around `icmp` (checksums left zero: wardline does not verify them, as capture offload often leaves them wrong). */
export function frame(icmp: Buffer, src = '0a610a01', dst = 'e0000001', ttl = 1): Uint8Array {
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + icmp.length, 2);
  ip[8] = ttl;
  ip[9] = 1;
  Buffer.from(src, 'hex').copy(ip, 12);
  Buffer.from(dst, 'hex').copy(ip, 16);
  return new Uint8Array(Buffer.concat([Buffer.from('01005e000001' + '02970a000001' + '0800', 'hex'), ip, icmp]));
}

/** RFC 1256 §3.1: type 9, code, num addrs, entry size 2, lifetime, then address and preference pairs. */
export function advert(code: number, num: number, entry: number, lifetime: number, entries: [string, number][], cut = 0): Buffer {
  const b = Buffer.alloc(8 + entries.length * 8);
  b[0] = 9;
  b[1] = code;
  b[4] = num;
  b[5] = entry;
  b.writeUInt16BE(lifetime, 6);
  entries.forEach(([a, p], i) => {
    Buffer.from(a.split('.').map(Number)).copy(b, 8 + i * 8);
    b.writeInt32BE(p, 12 + i * 8);
  });
  return b.subarray(0, b.length - cut);
}
