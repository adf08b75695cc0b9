// Checks that no log line carries a given secret, in clear or as hex: runs an analyzer over
// crafted datagrams with a fake context and maps its events through the log mappers.
import type { AppEvent, FlowAnalyzer } from '../analyzers/types.js';
import { LOG_MAPPERS, LogRun } from '../analyzers/logs.js';
import { testConn } from './conn.js';
import { PacketMeta } from '../decode/packet.js';

/** Every log record and event the analyzer produces for these UDP payloads, as JSON text. */
export function udpOutputs(a: FlowAnalyzer, payloads: Uint8Array[], oPort: number, rPort: number): string[] {
  const c = testConn(17, oPort, rPort);
  const m = new PacketMeta();
  m.tsSec = 1;
  m.src[2] = 0xffff;
  const out: string[] = [];
  const run = new LogRun();
  const ctx = {
    conn: c,
    packet: m,
    emit(ev: AppEvent) {
      out.push(JSON.stringify(ev));
      const r = LOG_MAPPERS[ev.type]?.(ev, c, m, run);
      if (r) out.push(JSON.stringify(r.record));
    },
    weird() {},
    confirm() {},
    release() {},
  };
  for (const p of payloads) {
    m.packetNo++;
    a.data(ctx, true, p, 0, p.length);
  }
  a.end?.(ctx);
  return out;
}
