// Conversations: who reached whom on which service and got an answer, counted per (originator,
// responder, transport, responder port). What a least-privilege policy allows is made of them.
// They are read from a conn.log (an `analyze` output folder) or kept by the monitor for the store.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface Conversation {
  orig: string;
  resp: string;
  proto: string;
  port: number;
  /** conn.log service ('' when no analyzer named it). */
  service: string;
  count: number;
  first_ts: number;
  last_ts: number;
  /** Where the first one is recorded: "conn.log uid C…" or "<capture> packet <n>". */
  where: string;
}

/** Conversations kept at most (distinct originator, responder, transport, port). */
export const MAX_CONVERSATIONS = 500_000;

/** UDP services that never answer: a datagram sent to them is the whole conversation. */
const ONE_WAY_UDP = new Set([514, 162, 2055, 4739, 6343, 9995, 9996]);

/**
 * Whether a conn.log record's responder answered: TCP a SYN-ACK or data from it (Zeek history h
 * or d), other transports any packet back (what the monitor's ConnView.answered says too).
 */
export function replied(proto: string, history: string, respPkts: number): boolean {
  return proto === 'tcp' ? history.includes('h') || history.includes('d') : respPkts > 0;
}

/**
 * Whether a connection is one to allow: TCP or UDP whose responder answered (`replied`), or UDP
 * to a one-way service. Refused and unanswered attempts (scans, stale configurations) are not.
 */
export function answered(proto: string, responderAnswered: boolean, port: number): boolean {
  if (proto === 'tcp') return responderAnswered;
  if (proto === 'udp') return responderAnswered || ONE_WAY_UDP.has(port);
  return false;
}

export class Conversations {
  private readonly m = new Map<string, Conversation>();
  dropped = 0;

  add(orig: string, resp: string, proto: string, port: number, service: string, ts: number, where: string, count = 1, lastTs = ts): void {
    const key = `${orig}|${resp}|${proto}|${port}`;
    const c = this.m.get(key);
    if (c !== undefined) {
      c.count += count;
      if (ts < c.first_ts) {
        c.first_ts = ts;
        c.where = where;
      }
      if (lastTs > c.last_ts) c.last_ts = lastTs;
      if (c.service === '' && service !== '') c.service = service;
      else if (service !== '' && c.service !== service && !c.service.split(',').includes(service) && c.service.length < 100) c.service += `,${service}`;
      return;
    }
    if (this.m.size >= MAX_CONVERSATIONS) {
      this.dropped++;
      return;
    }
    this.m.set(key, { orig, resp, proto, port, service, count, first_ts: ts, last_ts: lastTs, where });
  }

  get size(): number {
    return this.m.size;
  }

  /** Sorted (deterministic order for any reader). */
  list(): Conversation[] {
    return [...this.m.values()].sort((a, b) => (a.orig < b.orig ? -1 : a.orig > b.orig ? 1 : 0) || (a.resp < b.resp ? -1 : a.resp > b.resp ? 1 : 0) || (a.proto < b.proto ? -1 : a.proto > b.proto ? 1 : 0) || a.port - b.port);
  }

  /** Hands over what was collected and starts empty (the monitor flushes to the store). */
  take(): Conversation[] {
    const l = this.list();
    this.m.clear();
    return l;
  }
}

/** Reads the answered conversations of a Zeek-style conn.log (JSON lines); bad lines are counted. */
export async function readConnLog(path: string): Promise<{ conversations: Conversation[]; lines: number; bad: number; dropped: number }> {
  const c = new Conversations();
  let lines = 0;
  let bad = 0;
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of rl) {
    if (line === '' || line.startsWith('#')) continue;
    lines++;
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line) as Record<string, unknown>;
    } catch {
      bad++;
      continue;
    }
    const orig = r['id.orig_h'];
    const resp = r['id.resp_h'];
    const port = r['id.resp_p'];
    const proto = r.proto;
    const ts = r.ts;
    if (typeof orig !== 'string' || typeof resp !== 'string' || typeof port !== 'number' || typeof proto !== 'string' || typeof ts !== 'number') {
      bad++;
      continue;
    }
    const history = typeof r.history === 'string' ? r.history : '';
    const respPkts = typeof r.resp_pkts === 'number' ? r.resp_pkts : 0;
    if (!answered(proto, replied(proto, history, respPkts), port)) continue;
    const dur = typeof r.duration === 'number' ? r.duration : 0;
    c.add(orig, resp, proto, port, typeof r.service === 'string' ? r.service : '', ts, `conn.log uid ${typeof r.uid === 'string' ? r.uid : '?'}`, 1, ts + dur);
  }
  return { conversations: c.list(), lines, bad, dropped: c.dropped };
}
