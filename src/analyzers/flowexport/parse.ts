// Flow telemetry that routers, switches and firewalls export: sFlow v5 (sflow.org, "sFlow
// Version 5"), NetFlow v5 and v9 (Cisco; RFC 3954) and IPFIX (RFC 7011). Each datagram's header
// names the exporter — sFlow's agent address and sub-agent, NetFlow v9's source id, IPFIX's
// observation domain — and its sequence number, from which lost datagrams show. The records
// themselves are not read. Pure functions.

export interface ExportHeader {
  protocol: 'sflow' | 'netflow' | 'ipfix';
  version: number;
  /** sFlow: the agent's address; others: ''. */
  agent: string;
  /** sFlow sub-agent id, NetFlow v9 source id, IPFIX observation domain id, NetFlow v5 engine type/id. */
  domain: number;
  /** Sequence: sFlow and NetFlow v5/IPFIX count datagrams/flows, NetFlow v9 packets. */
  sequence: number;
  /** Samples (sFlow), flows (v5), records or flowsets (v9 count), 0 for IPFIX. */
  records: number;
  /** Exporter's uptime in ms (sFlow, NetFlow), 0 for IPFIX. */
  uptimeMs: number;
}

const u16 = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];
const u32 = (b: Uint8Array, o: number): number => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

/** Reads a datagram's header; null when it is none of these (every length and count checked). */
export function parseExport(b: Uint8Array, off: number, len: number): ExportHeader | null {
  if (len < 16) return null;
  const v16 = u16(b, off);
  if (v16 === 0 && u32(b, off) === 5) return sflow(b, off, len);
  if (v16 === 5) {
    // NetFlow v5: 24-byte header, `count` 48-byte records, exactly.
    const count = u16(b, off + 2);
    if (count < 1 || count > 30 || len !== 24 + 48 * count) return null;
    return { protocol: 'netflow', version: 5, agent: '', domain: u16(b, off + 20), sequence: u32(b, off + 16), records: count, uptimeMs: u32(b, off + 4) };
  }
  if (v16 === 9) {
    // NetFlow v9: 20-byte header, then flowsets (id, length) that cover the datagram exactly.
    if (len < 20 || !flowsets(b, off + 20, off + len, 4)) return null;
    return { protocol: 'netflow', version: 9, agent: '', domain: u32(b, off + 16), sequence: u32(b, off + 12), records: u16(b, off + 2), uptimeMs: u32(b, off + 4) };
  }
  if (v16 === 10) {
    // IPFIX: its length field is the message's; sets (id, length) cover it exactly.
    if (u16(b, off + 2) !== len || !flowsets(b, off + 16, off + len, 4)) return null;
    return { protocol: 'ipfix', version: 10, agent: '', domain: u32(b, off + 12), sequence: u32(b, off + 8), records: 0, uptimeMs: 0 };
  }
  return null;
}

/** Sets/flowsets from `p` to `end`, each (id, length ≥ min), covering it exactly. */
function flowsets(b: Uint8Array, p: number, end: number, min: number): boolean {
  if (p >= end) return false;
  let n = 0;
  while (p < end) {
    if (p + 4 > end) return false;
    const id = u16(b, p);
    const l = u16(b, p + 2);
    // Template (0/2, 1/3) and options sets, data sets ≥ 256.
    if (l < min || p + l > end || (id > 3 && id < 256) || ++n > 256) return false;
    p += l;
  }
  return true;
}

function sflow(b: Uint8Array, off: number, len: number): ExportHeader | null {
  const type = u32(b, off + 4);
  const alen = type === 1 ? 4 : type === 2 ? 16 : -1;
  if (alen < 0 || len < 8 + alen + 16) return null;
  let agent: string;
  const a = off + 8;
  if (alen === 4) agent = `${b[a]}.${b[a + 1]}.${b[a + 2]}.${b[a + 3]}`;
  else {
    const g: string[] = [];
    for (let i = 0; i < 16; i += 2) g.push(u16(b, a + i).toString(16));
    agent = g.join(':');
  }
  const p = a + alen;
  const samples = u32(b, p + 12);
  if (samples > 1000) return null;
  // Each sample: format (4), length (4), then its data; they cover the datagram exactly.
  let q = p + 16;
  for (let i = 0; i < samples; i++) {
    if (q + 8 > off + len) return null;
    const l = u32(b, q + 4);
    if (l > len) return null;
    q += 8 + l;
  }
  if (q !== off + len) return null;
  return { protocol: 'sflow', version: 5, agent, domain: u32(b, p), sequence: u32(b, p + 4), records: samples, uptimeMs: u32(b, p + 8) };
}
