// Decoy scans (nmap -D): the scanner sends every probe several times, once with its own source
// address and once with each decoy's, back to back and otherwise identical (same target, same
// destination port, same source port), so the target's log shows many scanners and the real
// one hides among them. Decoys are often live hosts of the same network, chosen so the blame
// falls on them. On the wire the copies give the trick away: they leave from one MAC, at the same
// moment, from the same source port. Two independent hosts (behind one router, say) open a
// failed attempt to the same target and port from the same ephemeral source port within a second
// by chance; doing it again and again on distinct targets is no chance. So two source addresses
// are decoy twins once DECOY_MIN_TWINS distinct targets got such a twin probe from both, within
// DECOY_PAIR_SECS, through one MAC; twins of one MAC form its decoy group.
//
// Only failed attempts from an ephemeral source port to a different destination port are
// compared (the callers decide what failed): protocols with fixed ports on both sides (NTP
// 123 → 123, IKE 500 → 500) would twin by design. Every table is bounded; the oldest entries
// make room.
import { evictOldest } from '../util/evict.js';

/** Two copies of one probe leave within this of each other (nmap sends them back to back). */
export const DECOY_WINDOW_SECS = 1;
/** Distinct targets two sources must have twinned on before they are taken for decoys. */
export const DECOY_MIN_TWINS = 3;
/** The twins of a pair must come this close together (a scan's probes do). */
export const DECOY_PAIR_SECS = 60;
/** The lowest source port compared (below it, ports are fixed by protocol, not picked per probe). */
const EPHEMERAL_MIN = 1024;
const MAX_PROBES = 16_384;
const MAX_PAIRS = 8_192;
const MAX_GROUPS = 1_024;
/** Addresses kept per probe and per group (nmap -D takes a handful; RND:N makes up N more). */
export const MAX_DECOY_MEMBERS = 64;

/** A failed attempt as the caller saw it: where it is in the captures. */
export interface DecoyProbe {
  orig: string;
  resp: string;
  /** 6 TCP, 17 UDP. */
  proto: number;
  oPort: number;
  rPort: number;
  start: number;
  /** The capture and packet of the attempt's first packet (evidence). */
  file: string;
  packet: number;
}

/** The sources one MAC sent identical probes for: one scanner and its decoys. */
export interface DecoyGroup {
  mac: number;
  /** Source addresses, in the order they joined (bounded by MAX_DECOY_MEMBERS). */
  members: string[];
  /** The two copies of one probe that first tied two members together. */
  first: [DecoyProbe, DecoyProbe];
  /** Network time of the last twin seen. */
  last: number;
}

interface ProbeCopies {
  start: number;
  copies: DecoyProbe[];
}

interface Pair {
  twins: number;
  first: number;
  lastTarget: string;
}

export class DecoyTracker {
  private readonly probes = new Map<string, ProbeCopies>();
  private readonly pairs = new Map<string, Pair>();
  private readonly groups = new Map<number, DecoyGroup>();

  /**
   * One failed attempt from MAC `mac`. Returns the MAC's decoy group when this probe made or
   * grew it, else null.
   */
  probe(mac: number, p: DecoyProbe): DecoyGroup | null {
    if (mac === 0 || p.oPort < EPHEMERAL_MIN || p.oPort === p.rPort || (p.proto !== 6 && p.proto !== 17)) return null;
    const target = `${p.resp}|${p.proto}|${p.rPort}`;
    const key = `${mac}|${target}|${p.oPort}`;
    let e = this.probes.get(key);
    if (e === undefined || Math.abs(p.start - e.start) > DECOY_WINDOW_SECS) {
      if (e !== undefined) this.probes.delete(key);
      else if (this.probes.size >= MAX_PROBES) evictOldest(this.probes);
      this.probes.set(key, { start: p.start, copies: [p] });
      return null;
    }
    let grew: DecoyGroup | null = null;
    for (const o of e.copies) {
      if (o.orig === p.orig) return null;
    }
    for (const o of e.copies) {
      const pk = o.orig < p.orig ? `${mac}|${o.orig}|${p.orig}` : `${mac}|${p.orig}|${o.orig}`;
      let pair = this.pairs.get(pk);
      if (pair === undefined || p.start - pair.first > DECOY_PAIR_SECS) {
        if (pair === undefined && this.pairs.size >= MAX_PAIRS) evictOldest(this.pairs);
        pair = { twins: 0, first: p.start, lastTarget: '' };
        this.pairs.set(pk, pair);
      }
      if (pair.lastTarget === target) continue;
      pair.lastTarget = target;
      pair.twins++;
      if (pair.twins >= DECOY_MIN_TWINS) grew = this.join(mac, o, p) ?? grew;
      else {
        // Already tied to the group through another member: one twin is enough.
        const g = this.groups.get(mac);
        if (g !== undefined && (g.members.includes(o.orig) || g.members.includes(p.orig))) grew = this.join(mac, o, p) ?? grew;
      }
    }
    if (e.copies.length < MAX_DECOY_MEMBERS) e.copies.push(p);
    return grew;
  }

  /** The MAC's decoy group when `orig` is one of its members. */
  groupOf(mac: number, orig: string): DecoyGroup | null {
    const g = this.groups.get(mac);
    return g !== undefined && g.members.includes(orig) ? g : null;
  }

  /** Every group, by MAC. */
  all(): ReadonlyMap<number, DecoyGroup> {
    return this.groups;
  }

  /** Forgets groups with no twin for `idleSecs` of network time (a long-running monitor). */
  expire(now: number, idleSecs: number): void {
    for (const [mac, g] of this.groups) if (now - g.last > idleSecs) this.groups.delete(mac);
  }

  /** Adds both copies' sources to the MAC's group; returns it when it gained a member or was made. */
  private join(mac: number, a: DecoyProbe, b: DecoyProbe): DecoyGroup | null {
    let g = this.groups.get(mac);
    let grew = false;
    if (g === undefined) {
      if (this.groups.size >= MAX_GROUPS) evictOldest(this.groups);
      g = { mac, members: [], first: [a, b], last: b.start };
      this.groups.set(mac, g);
      grew = true;
    }
    g.last = Math.max(g.last, b.start);
    for (const ip of [a.orig, b.orig]) {
      if (!g.members.includes(ip) && g.members.length < MAX_DECOY_MEMBERS) {
        g.members.push(ip);
        grew = true;
      }
    }
    return grew ? g : null;
  }
}
