// Transport payloads of a real capture, for parser tests and fuzz seeds: runs the capture
// reader and packet decoder (no flow table) and copies out each UDP/TCP payload.
import { CaptureReader } from '../capture/reader.js';
import { openSource } from '../capture/source.js';
import { Decoder, L4 } from '../decode/decoder.js';
import { Weirds } from '../decode/weird.js';

export interface Payload {
  /** 1-based packet number in the capture. */
  packet: number;
  proto: number;
  srcPort: number;
  dstPort: number;
  bytes: Uint8Array;
}

/**
 * Every non-empty payload; `filter` narrows by protocol and port (either side). `header`: the
 * bytes start at the transport header instead (a whole ICMP message, for its parsers).
 */
export async function payloads(path: string, filter: { proto?: number; port?: number; header?: boolean } = {}): Promise<Payload[]> {
  const dec = new Decoder(new Weirds());
  const out: Payload[] = [];
  const src = openSource(path);
  try {
    await new CaptureReader(src, path).read((r) => {
      if (dec.decode(r, 0) !== L4) return;
      const m = dec.m;
      if (m.capPayloadLen === 0) return;
      if (filter.proto !== undefined && m.proto !== filter.proto) return;
      if (filter.port !== undefined && m.srcPort !== filter.port && m.dstPort !== filter.port) return;
      out.push({ packet: r.packetNo, proto: m.proto, srcPort: m.srcPort, dstPort: m.dstPort, bytes: m.buf.slice(filter.header === true ? m.l4Off : m.payloadOff, m.payloadOff + m.capPayloadLen) });
    });
  } finally {
    src.close();
  }
  return out;
}
