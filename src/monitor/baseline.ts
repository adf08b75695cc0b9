// Per-device behaviour baselines, learned for `learningDays` from each device's first sighting:
// the internal peers it talks with, the external destinations it reaches, the services it
// offers, the hours of day it is active and its busiest hour's byte count. After learning, a
// departure raises new-peer, new-external-destination, new-service, unusual-hours or
// traffic-spike (once per new item: the item then joins the baseline). A device first seen after
// the monitor's own learning period on a segment that holds medical devices raises new-device.
// Baselines are keyed by address, persisted through rows the caller stores and hands back.
import type { BaselineRow } from '../store/store.js';
import type { Evidence } from '../report/model.js';
import { MEDICAL_CATEGORIES } from '../report/model.js';
import type { RuleId } from './rules.js';
import { isMedIot } from './lateral.js';
import { parseV4, segmentOf } from './net.js';
import { formatV4 } from '../decode/packet.js';
import { isChannelService } from '../analyzers/channels.js';
import { connEvidence, type ConnView, type DetectorContext } from './view.js';
import { evictOldest } from '../util/evict.js';

const HOUR = 3600;
const DAY = 86400;
/** Ports at and above this are ephemeral (IANA dynamic range): answering there is not a new service. */
const DYNAMIC_PORTS = 49152;
const GLOBAL = '*';
const MAX_SEGMENTS = 4096;
/** Transport names a service key can start with, by index (protoName's values). */
const PROTOS = ['tcp', 'udp', 'icmp', 'unknown_transport'];
const NO_NUMS: readonly number[] = [];

/**
 * A device's learned peers, destinations or services. Memory per device matters at 20,000
 * devices with up to 256 items each: an item is kept as a small integer when it has one (an IPv4
 * address as int32; a service as protocol index × 65536 + port) in a sorted array sized exactly
 * (8 bytes an item, binary search), and as its string otherwise (IPv6 addresses).
 */
class Keys {
  private nums: readonly number[] = NO_NUMS;
  private strs: string[] | null = null;

  get size(): number {
    return this.nums.length + (this.strs === null ? 0 : this.strs.length);
  }

  /** `n`: the item's number, or NaN when it has none and `s` stands for it. */
  has(n: number, s: string): boolean {
    if (Number.isNaN(n)) return this.strs !== null && this.strs.includes(s);
    const a = this.nums;
    let lo = 0;
    let hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const x = a[mid];
      if (x === n) return true;
      if (x < n) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** Adds an item not yet present (has() first). New arrays of the exact size: items are added rarely, looked up on every connection. */
  add(n: number, s: string): void {
    if (Number.isNaN(n)) {
      this.strs = this.strs === null ? [s] : this.strs.concat(s);
      return;
    }
    const a = this.nums;
    const b: number[] = new Array(a.length + 1);
    let i = 0;
    for (; i < a.length && a[i] < n; i++) b[i] = a[i];
    b[i] = n;
    for (; i < a.length; i++) b[i + 1] = a[i];
    this.nums = b;
  }
}

/** An IPv4 address (as `ConnView.origV4` gives it, -1 when not IPv4) as a Keys number. */
function addrNum(v4: number): number {
  return v4 >= 0 ? v4 | 0 : NaN;
}

/** The Keys number of an address string: its int32 when it is a dotted quad as formatV4 writes it. */
function addrNumOf(s: string): number {
  const v = parseV4(s);
  return v !== null && formatV4(v) === s ? v | 0 : NaN;
}

function serviceNum(proto: string, port: number): number {
  const p = PROTOS.indexOf(proto);
  return p >= 0 && Number.isInteger(port) && port >= 0 && port < 65536 ? p * 65536 + port : NaN;
}

/** The Keys number of a stored service key ("tcp/443"). */
function serviceNumOf(s: string): number {
  const slash = s.indexOf('/');
  if (slash < 0) return NaN;
  const n = serviceNum(s.slice(0, slash), Number(s.slice(slash + 1)));
  return `${s.slice(0, slash)}/${n & 0xffff}` === s ? n : NaN;
}

interface Dev {
  ip: string;
  first: number;
  last: number;
  conns: number;
  /** Created on first use: most devices never need all three. */
  peers: Keys | null;
  ext: Keys | null;
  services: Keys | null;
  /** Hours of day (site time) seen active while learning, as a 24-bit mask. */
  hours: number;
  hourBucket: number;
  hourBytes: number;
  maxHourBytes: number;
}

type SetField = 'peers' | 'ext' | 'services';

function has(d: Dev, f: SetField, n: number, k: string): boolean {
  const s = d[f];
  return s !== null && s.has(n, k);
}

function size(d: Dev, f: SetField): number {
  return d[f]?.size ?? 0;
}

function add(d: Dev, f: SetField, n: number, k: string): void {
  let s = d[f];
  if (s === null) d[f] = s = new Keys();
  s.add(n, k);
}

export class BaselineDetector {
  private readonly devs = new Map<string, Dev>();
  /**
   * New addresses seen once, in a connection of one packet from them (the time): the next one
   * starts their baseline. Bounded by maxDevices, the oldest forgotten first.
   */
  private readonly once = new Map<string, number>();
  private readonly medicalSegments = new Set<string>();
  private monitorStart: number | null = null;
  private startDirty = false;
  private readonly dirtySegments = new Set<string>();
  /** Rows to write at the next export, per device with changes. */
  private readonly dirty = new Map<Dev, Set<string>>();
  evicted = 0;

  /** `persist`: track changed rows for export() (only when a store will take them). */
  constructor(
    private readonly ctx: DetectorContext,
    private readonly persist: boolean,
  ) {}

  private get learningSecs(): number {
    return this.ctx.cfg.learningDays * DAY;
  }

  /** Loads rows written by an earlier run (Store.baselines()). */
  load(rows: BaselineRow[]): void {
    for (const r of rows) {
      if (r.device === GLOBAL) {
        if (r.kind === 'monitor' && r.key === 'start') this.monitorStart = Math.min(this.monitorStart ?? Infinity, r.first_ts);
        else if (r.kind === 'medical_segment' && this.medicalSegments.size < MAX_SEGMENTS) this.medicalSegments.add(r.key);
        continue;
      }
      const d = this.dev(r.device, r.first_ts, false);
      if (d === null) continue;
      d.first = Math.min(d.first, r.first_ts);
      d.last = Math.max(d.last, r.last_ts);
      const cfg = this.ctx.cfg;
      switch (r.kind) {
        case 'seen':
          d.conns = Math.max(d.conns, r.count);
          break;
        case 'peer': {
          const n = addrNumOf(r.key);
          if (!has(d, 'peers', n, r.key) && size(d, 'peers') < cfg.maxPeersPerDevice) add(d, 'peers', n, r.key);
          break;
        }
        case 'ext': {
          const n = addrNumOf(r.key);
          if (!has(d, 'ext', n, r.key) && size(d, 'ext') < cfg.maxPeersPerDevice) add(d, 'ext', n, r.key);
          break;
        }
        case 'service': {
          const n = serviceNumOf(r.key);
          if (!has(d, 'services', n, r.key) && size(d, 'services') < cfg.maxServicesPerDevice) add(d, 'services', n, r.key);
          break;
        }
        case 'hours':
          d.hours |= Number(r.value ?? 0);
          break;
        case 'max_hour_bytes':
          d.maxHourBytes = Math.max(d.maxHourBytes, Number(r.value ?? 0));
          break;
        default:
          break;
      }
    }
  }

  /** True when `ip` was seen once already (and is forgotten here); else remembers it. */
  private seenBefore(ip: string, ts: number): boolean {
    if (this.once.delete(ip)) return true;
    if (this.once.size >= this.ctx.cfg.maxDevices) evictOldest(this.once);
    this.once.set(ip, ts);
    return false;
  }

  private dev(ip: string, ts: number, fresh: boolean): Dev | null {
    let d = this.devs.get(ip);
    if (d !== undefined) return d;
    if (this.devs.size >= this.ctx.cfg.maxDevices) {
      evictOldest(this.devs);
      this.evicted++;
    }
    d = { ip, first: ts, last: ts, conns: 0, peers: null, ext: null, services: null, hours: 0, hourBucket: -1, hourBytes: 0, maxHourBytes: 0 };
    if (fresh) this.mark(d, 'seen|');
    this.devs.set(ip, d);
    return d;
  }

  private mark(d: Dev, k: string): void {
    if (!this.persist) return;
    let s = this.dirty.get(d);
    if (s === undefined) this.dirty.set(d, (s = new Set()));
    s.add(k);
  }

  private learning(d: Dev, ts: number): boolean {
    return ts - d.first < this.learningSecs;
  }

  /** For fan-out: true when dst is a learned peer of src, or src is still learning. */
  knownPeer(src: string, dst: string, ts: number): boolean {
    const d = this.devs.get(src);
    if (d === undefined) return this.learningSecs > 0;
    return this.learning(d, ts) || has(d, 'peers', addrNumOf(dst), dst);
  }

  onConn(v: ConnView): void {
    if (this.monitorStart === null) {
      this.monitorStart = v.start;
      this.startDirty = true;
    }
    if (v.origInternal) this.side(v, true);
    if (v.respInternal) this.side(v, false);
  }

  private side(v: ConnView, isOrig: boolean): void {
    const cfg = this.ctx.cfg;
    const ip = isOrig ? v.orig : v.resp;
    const mac = isOrig ? v.origMac : v.respMac;
    const peer = isOrig ? v.resp : v.orig;
    const peerNum = addrNum(isOrig ? v.respV4 : v.origV4);
    const peerInternal = isOrig ? v.respInternal : v.origInternal;
    const ts = v.start;
    const cat = this.ctx.category(ip, mac);
    // The segment string is only built when it matters: a medical device, or a newcomer after learning.
    if (cat !== null && MEDICAL_CATEGORIES.has(cat)) {
      const seg = segmentOf(ip, v.vlan);
      if (!this.medicalSegments.has(seg) && this.medicalSegments.size < MAX_SEGMENTS) {
        this.medicalSegments.add(seg);
        if (this.persist) this.dirtySegments.add(seg);
      }
    }
    const isNew = !this.devs.has(ip);
    // A bare TCP attempt nothing answered (no SYN+ACK, no reset, no payload) starts no baseline,
    // nor does an address that sent nothing (a sweep's dead target, the destination of an ICMP
    // error to a forged source); a new originator's connection of one packet (a SYN whose SYN+ACK
    // it never acknowledged, one datagram, one ping) starts one only when the address is seen
    // again: a flood's forged sources (one packet per made-up address) would fill the table and
    // the store with hosts that are not there. A device already known keeps learning from such
    // connections (and its new peers still alert).
    if (isNew && (v.bareAttempt || (isOrig ? v.origPkts <= 1 && !this.seenBefore(ip, ts) : v.respPkts === 0))) return;
    const d = this.dev(ip, ts, true);
    if (d === null) return;
    const seg = isNew && this.medicalSegments.size > 0 && this.monitorStart !== null && ts - this.monitorStart >= this.learningSecs ? segmentOf(ip, v.vlan) : '';
    if (seg !== '' && this.medicalSegments.has(seg)) {
      this.alert('new-device', `device|${ip}`, ip, mac, seg, ts, `${ip}${mac !== null ? ' (' + mac + ')' : ''} appeared on ${seg}, a segment with medical devices, after the ${cfg.learningDays}-day learning period`, connEvidence(v, 'first-connection'));
    }
    d.last = Math.max(d.last, v.end);
    d.conns++;
    this.mark(d, 'seen|');
    const learning = this.learning(d, ts);
    const watched = !learning && (cfg.baselineScope === 'all' || isMedIot(cat));
    const who = cat !== null ? `${cat} device ${ip}` : ip;

    // Peers (both directions) and external destinations (initiated only): one alert per device
    // and episode, counting the new items. A negotiated channel's peer (a call's media gateway
    // or the other phone) is whoever the control session named, not a relationship of its own.
    const channel = isChannelService(v.service);
    if (channel) {
      // no peer learning
    } else if (peerInternal) {
      if (!has(d, 'peers', peerNum, peer) && size(d, 'peers') < cfg.maxPeersPerDevice) {
        if (watched) {
          const n = (this.ctx.book.get('new-peer', `peer|${ip}`)?.count ?? 0) + 1;
          const what = n === 1 ? `internal host ${peer}` : `${n} internal hosts (latest ${peer})`;
          this.alert('new-peer', `peer|${ip}`, ip, mac, peer, ts, `${who} ${isOrig ? 'contacted' : 'was contacted by'} ${what} outside its ${cfg.learningDays}-day baseline`, connEvidence(v, 'new-peer'));
        }
        add(d, 'peers', peerNum, peer);
        this.mark(d, `peer|${peer}`);
      }
    } else if (isOrig && !has(d, 'ext', peerNum, peer) && size(d, 'ext') < cfg.maxPeersPerDevice) {
      if (watched) {
        const n = (this.ctx.book.get('new-external-destination', `ext|${ip}`)?.count ?? 0) + 1;
        const what = n === 1 ? `external address ${peer}:${v.rPort}` : `${n} external addresses (latest ${peer}:${v.rPort})`;
        this.alert('new-external-destination', `ext|${ip}`, ip, mac, peer, ts, `${who} contacted ${what} outside its ${cfg.learningDays}-day baseline`, connEvidence(v, 'new-external-destination'));
      }
      add(d, 'ext', peerNum, peer);
      this.mark(d, `ext|${peer}`);
    }

    // Services offered: the device answered on a port below the dynamic range (not a data channel
    // or call media another protocol negotiated: those ports change every time).
    if (!isOrig && v.rPort < DYNAMIC_PORTS && !channel && v.answered) {
      const svcNum = serviceNum(v.proto, v.rPort);
      // The key string is only built when the service is new (or has no number).
      if (!has(d, 'services', svcNum, Number.isNaN(svcNum) ? `${v.proto}/${v.rPort}` : '') && size(d, 'services') < cfg.maxServicesPerDevice) {
        const svc = `${v.proto}/${v.rPort}`;
        if (watched) this.alert('new-service', `service|${ip}|${svc}`, ip, mac, null, ts, `${who} answered on ${svc}${v.service !== '' ? ' (' + v.service + ')' : ''}, a service it did not offer during its ${cfg.learningDays}-day baseline`, connEvidence(v, 'new-service'));
        add(d, 'services', svcNum, svc);
        this.mark(d, `service|${svc}`);
      }
    }

    // Hours of day.
    const hour = Math.floor((((ts + cfg.utcOffsetMinutes * 60) % DAY) + DAY) % DAY / HOUR);
    const bit = 1 << hour;
    if ((d.hours & bit) === 0) {
      if (watched && this.learningSecs >= DAY) {
        this.alert('unusual-hours', `hours|${ip}|${hour}`, ip, mac, null, ts, `${who} was active at ${String(hour).padStart(2, '0')}:00-${String(hour).padStart(2, '0')}:59 site time, an hour it was never active during learning`, connEvidence(v, 'active-hour'));
      }
      d.hours |= bit;
      this.mark(d, 'hours|');
    }

    // Volume per hour.
    const bucket = Math.floor(v.end / HOUR);
    if (bucket !== d.hourBucket) {
      if (this.learning(d, d.hourBucket * HOUR) && d.hourBytes > d.maxHourBytes) {
        d.maxHourBytes = d.hourBytes;
        this.mark(d, 'max_hour_bytes|');
      }
      d.hourBucket = bucket;
      d.hourBytes = 0;
    }
    const before = d.hourBytes;
    d.hourBytes += v.origBytes + v.respBytes;
    if (learning) {
      if (d.hourBytes > d.maxHourBytes) {
        d.maxHourBytes = d.hourBytes;
        this.mark(d, 'max_hour_bytes|');
      }
    } else if (watched) {
      const limit = Math.max(cfg.spikeFactor * d.maxHourBytes, cfg.spikeFloorBytes);
      if (d.hourBytes > limit && before <= limit) {
        this.alert('traffic-spike', `spike|${ip}`, ip, mac, null, v.end, `${who} moved ${d.hourBytes} bytes within one hour, over ${cfg.spikeFactor}× its busiest learned hour (${d.maxHourBytes} bytes) and the ${cfg.spikeFloorBytes}-byte floor`, connEvidence(v, 'traffic-volume'));
      }
    }
  }

  private alert(rule: RuleId, key: string, ip: string, mac: string | null, peer: string | null, ts: number, why: string, e: Evidence): void {
    this.ctx.book.observe({ rule, key, device: this.ctx.deviceId(ip, mac), peer, ts, why, evidence: [e] });
  }

  /** Rows changed since the last export, for the store. */
  export(): BaselineRow[] {
    const out: BaselineRow[] = [];
    if (this.startDirty && this.monitorStart !== null && this.persist) {
      out.push({ device: GLOBAL, kind: 'monitor', key: 'start', first_ts: this.monitorStart, last_ts: this.monitorStart, count: 1, value: null });
      this.startDirty = false;
    }
    for (const s of this.dirtySegments) out.push({ device: GLOBAL, kind: 'medical_segment', key: s, first_ts: this.monitorStart ?? 0, last_ts: this.monitorStart ?? 0, count: 1, value: null });
    this.dirtySegments.clear();
    for (const [d, keys] of this.dirty) {
      for (const k of keys) {
        const bar = k.indexOf('|');
        const kind = k.slice(0, bar);
        const key = k.slice(bar + 1);
        const value = kind === 'hours' ? d.hours : kind === 'max_hour_bytes' ? d.maxHourBytes : null;
        out.push({ device: d.ip, kind, key, first_ts: d.first, last_ts: d.last, count: kind === 'seen' ? d.conns : 1, value });
      }
    }
    this.dirty.clear();
    return out;
  }

  size(): number {
    return this.devs.size;
  }
}

