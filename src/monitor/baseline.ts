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
import { segmentOf } from './net.js';
import { connEvidence, type ConnView, type DetectorContext } from './view.js';

const HOUR = 3600;
const DAY = 86400;
/** Ports at and above this are ephemeral (IANA dynamic range): answering there is not a new service. */
const DYNAMIC_PORTS = 49152;
const GLOBAL = '*';
const MAX_SEGMENTS = 4096;

interface Dev {
  ip: string;
  first: number;
  last: number;
  conns: number;
  /** Created on first use: most devices never need all three (memory per device matters at 20,000). */
  peers: Set<string> | null;
  ext: Set<string> | null;
  services: Set<string> | null;
  /** Hours of day (site time) seen active while learning, as a 24-bit mask. */
  hours: number;
  hourBucket: number;
  hourBytes: number;
  maxHourBytes: number;
}

type SetField = 'peers' | 'ext' | 'services';

function has(d: Dev, f: SetField, k: string): boolean {
  const s = d[f];
  return s !== null && s.has(k);
}

function size(d: Dev, f: SetField): number {
  return d[f]?.size ?? 0;
}

function add(d: Dev, f: SetField, k: string): void {
  let s = d[f];
  if (s === null) d[f] = s = new Set();
  s.add(k);
}

export class BaselineDetector {
  private readonly devs = new Map<string, Dev>();
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
        case 'peer':
          if (size(d, 'peers') < cfg.maxPeersPerDevice) add(d, 'peers', r.key);
          break;
        case 'ext':
          if (size(d, 'ext') < cfg.maxPeersPerDevice) add(d, 'ext', r.key);
          break;
        case 'service':
          if (size(d, 'services') < cfg.maxServicesPerDevice) add(d, 'services', r.key);
          break;
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

  private dev(ip: string, ts: number, fresh: boolean): Dev | null {
    let d = this.devs.get(ip);
    if (d !== undefined) return d;
    if (this.devs.size >= this.ctx.cfg.maxDevices) {
      this.devs.delete(this.devs.keys().next().value as string);
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
    return this.learning(d, ts) || has(d, 'peers', dst);
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
    // and episode, counting the new items.
    if (peerInternal) {
      if (!has(d, 'peers', peer) && size(d, 'peers') < cfg.maxPeersPerDevice) {
        if (watched) {
          const n = (this.ctx.book.get('new-peer', `peer|${ip}`)?.count ?? 0) + 1;
          const what = n === 1 ? `internal host ${peer}` : `${n} internal hosts (latest ${peer})`;
          this.alert('new-peer', `peer|${ip}`, ip, mac, peer, ts, `${who} ${isOrig ? 'contacted' : 'was contacted by'} ${what} outside its ${cfg.learningDays}-day baseline`, connEvidence(v, 'new-peer'));
        }
        add(d, 'peers', peer);
        this.mark(d, `peer|${peer}`);
      }
    } else if (isOrig && !has(d, 'ext', peer) && size(d, 'ext') < cfg.maxPeersPerDevice) {
      if (watched) {
        const n = (this.ctx.book.get('new-external-destination', `ext|${ip}`)?.count ?? 0) + 1;
        const what = n === 1 ? `external address ${peer}:${v.rPort}` : `${n} external addresses (latest ${peer}:${v.rPort})`;
        this.alert('new-external-destination', `ext|${ip}`, ip, mac, peer, ts, `${who} contacted ${what} outside its ${cfg.learningDays}-day baseline`, connEvidence(v, 'new-external-destination'));
      }
      add(d, 'ext', peer);
      this.mark(d, `ext|${peer}`);
    }

    // Services offered: the device answered on a port below the dynamic range.
    if (!isOrig && v.rPort < DYNAMIC_PORTS && v.service !== 'ftp-data' && v.answered) {
      const svc = `${v.proto}/${v.rPort}`;
      if (!has(d, 'services', svc) && size(d, 'services') < cfg.maxServicesPerDevice) {
        if (watched) this.alert('new-service', `service|${ip}|${svc}`, ip, mac, null, ts, `${who} answered on ${svc}${v.service !== '' ? ' (' + v.service + ')' : ''}, a service it did not offer during its ${cfg.learningDays}-day baseline`, connEvidence(v, 'new-service'));
        add(d, 'services', svc);
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

