// Cheap recognition of MQTT on any port: the client's first packet is CONNECT (type 1, flags 0)
// whose variable header starts with the protocol name "MQTT" (level 4/5) or "MQIsdp" (level 3).
// A flow seen from the middle of a session (PINGREQ/PINGRESP, or a PUBLISH whose length and
// topic fit) is only a "maybe": enough on the MQTT port; elsewhere only when the other side's
// first payload is a "maybe" too (the spec's pairedMaybe: a PINGREQ answered by a PINGRESP).
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { LEVEL_31, LEVEL_311, LEVEL_5, parseFixedHeader } from './parse.js';

const MQTT = [0x00, 0x04, 0x4d, 0x51, 0x54, 0x54];
const MQISDP = [0x00, 0x06, 0x4d, 0x51, 0x49, 0x73, 0x64, 0x70];

function at(buf: Uint8Array, p: number, end: number, want: number[]): boolean | null {
  for (let i = 0; i < want.length; i++) {
    if (p + i >= end) return null;
    if (buf[p + i] !== want[i]) return false;
  }
  return true;
}

const PINGREQ_BYTE = 0xc0;
const PINGRESP_BYTE = 0xd0;

function midSession(buf: Uint8Array, off: number, len: number): number {
  const b0 = buf[off];
  if ((b0 === PINGREQ_BYTE || b0 === PINGRESP_BYTE) && len === 2 && buf[off + 1] === 0) return PROBE_MAYBE;
  if (b0 >> 4 !== 3 || (b0 & 0x06) === 0x06) return PROBE_NO;
  const h = parseFixedHeader(buf, off, len);
  if (typeof h === 'string' || h.headerLen + h.remaining !== len) return PROBE_NO;
  const p = off + h.headerLen;
  if (p + 2 > off + len) return PROBE_NO;
  const tl = (buf[p] << 8) | buf[p + 1];
  if (tl === 0 || p + 2 + tl > off + len) return PROBE_NO;
  for (let i = p + 2; i < p + 2 + tl; i++) if (buf[i] < 0x20 || buf[i] === 0x7f) return PROBE_NO;
  return PROBE_MAYBE;
}

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  if (len < 1) return PROBE_NO;
  if (buf[off] !== 0x10) return midSession(buf, off, len);
  if (!isOrig) return PROBE_NO;
  const h = parseFixedHeader(buf, off, len);
  if (h === 'bad') return PROBE_NO;
  if (h === 'need_more') return PROBE_MAYBE;
  const end = off + len;
  const p = off + h.headerLen;
  for (const [name, levels] of [
    [MQTT, [LEVEL_311, LEVEL_5]],
    [MQISDP, [LEVEL_31]],
  ] as const) {
    const r = at(buf, p, end, name as unknown as number[]);
    if (r === null) return PROBE_MAYBE;
    if (r) {
      const lp = p + name.length;
      if (lp >= end) return PROBE_MAYBE;
      return (levels as readonly number[]).includes(buf[lp]) ? PROBE_YES : PROBE_NO;
    }
  }
  return PROBE_NO;
}
