// Device classification for a long-running monitor. The detectors ask, per connection, what an
// address or MAC is (lateral movement and the device baselines judge medical and IoT devices).
// The answers come from the devices an earlier run left in the store and from the monitor's own
// inventory of the traffic, built into devices every so often. Memory stays bounded over months:
// the inventory covers a window of traffic (it is started afresh once it holds WINDOW_HOSTS hosts),
// and what each build learned is kept as compact entries (id and category per address and per
// MAC), at most MAX_KNOWN of each, the least recently learned dropped first. With an `onBuild`
// receiver each build is also assessed (the same observer and rules as `analyze`) and handed on:
// the monitor merges the devices and findings into its store, so `report --db` shows them.
import type { Category, Device, Finding } from '../report/model.js';
import { Observer } from '../assess/observe.js';
import { assess } from '../assess/assess.js';
import { deviceHosts } from '../inventory/local.js';
import type { KnowledgeBase } from '../knowledge/kb.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Conn } from '../flow/conn.js';
import type { PacketMeta } from '../decode/packet.js';
import { Inventory } from '../inventory/inventory.js';
import { inventoryHooks, type InventoryHooks } from '../inventory/hooks.js';
import type { DeviceLookup } from './devices.js';
import { evictOldest } from '../util/evict.js';

/** Hosts an inventory window holds before it is built and started afresh (the baselines' device cap). */
export const WINDOW_HOSTS = 20_000;
/** Addresses and MACs whose classification is remembered, each. */
export const MAX_KNOWN = 200_000;
/** Addresses the window's observer may hold before the window is started afresh (its own cap). */
const WINDOW_OBSERVED = 100_000;

/** Receives each build's assessed devices and findings. */
export type BuildSink = (devices: Device[], findings: Finding[]) => void;

interface Known {
  id: string;
  category: Category;
  /** The build that learned it (within one build, the first device in id order keeps a key). */
  gen: number;
}

/** A DeviceLookup (devices.ts) that keeps learning, in bounded memory. */
export class DeviceClassifier implements DeviceLookup {
  private readonly byIp = new Map<string, Known>();
  private readonly byMac = new Map<string, Known>();
  private inv: Inventory | null;
  private hooks: InventoryHooks | null;
  private obs: Observer | null = null;
  private readonly onBuild: BuildSink | null;
  /** The site's networks (the monitor's internalNets): devices are listed and Internet peers told by them. */
  private readonly localNets: readonly string[] | undefined;
  builds = 0;
  windows = 0;
  failures = 0;
  private gen = 0;

  private readonly windowHosts: number;
  private readonly maxKnown: number;

  constructor(
    private readonly kb: KnowledgeBase | null,
    private readonly paths: () => readonly string[],
    known: readonly Device[] = [],
    limits: { windowHosts?: number; maxKnown?: number; onBuild?: BuildSink; localNets?: readonly string[] } = {},
  ) {
    this.windowHosts = limits.windowHosts ?? WINDOW_HOSTS;
    this.maxKnown = limits.maxKnown ?? MAX_KNOWN;
    this.onBuild = limits.onBuild ?? null;
    this.localNets = limits.localNets;
    // Earlier runs' devices first, in id order, so a shared address resolves the same way.
    for (const d of [...known].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) this.learn(d, false);
    this.inv = null;
    this.hooks = null;
    this.startWindow();
  }

  private startWindow(): void {
    if (this.kb === null) return;
    this.inv = new Inventory();
    this.hooks = inventoryHooks(this.inv, this.paths);
    if (this.onBuild !== null) this.obs = new Observer({ kb: this.kb, paths: this.paths, localNets: this.localNets });
  }

  /** Whether anything can classify at all (else the detectors that need categories stay off). */
  get active(): boolean {
    return this.inv !== null || this.byIp.size > 0 || this.byMac.size > 0;
  }

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    this.obs?.onEvent(ev, c, m);
    this.hooks?.onEvent(ev, c, m);
  }

  onConn(c: Conn): void {
    this.obs?.onConn(c);
    this.hooks?.onConn(c);
  }

  onSyn(m: PacketMeta): void {
    this.hooks?.onSyn(m);
  }

  /** The inventory window is full: time to build it (the caller decides when to check). */
  get windowFull(): boolean {
    return this.inv !== null && (this.inv.hosts.size >= this.windowHosts || (this.obs !== null && this.obs.hostCount >= WINDOW_OBSERVED));
  }

  /**
   * Builds the current window into devices and learns them; a full window starts afresh. Runs
   * from a timer and from the packet path: a failure is counted, never thrown into either.
   */
  build(): void {
    if (this.inv === null || this.kb === null) return;
    this.builds++;
    this.gen++;
    try {
      let devices = this.inv.build(this.kb);
      if (this.obs !== null && this.onBuild !== null) {
        const a = assess({ devices, observations: this.obs.result(), kb: this.kb, hostFilter: deviceHosts(this.localNets, this.inv.forgedSources), ownsDevices: true });
        devices = a.devices;
        this.onBuild(a.devices, a.findings);
      }
      devices.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const d of devices) this.learn(d, true);
    } catch {
      this.failures++;
    }
    if (this.windowFull) {
      this.startWindow();
      this.windows++;
    }
  }

  private find(ip: string, mac: string | null): Known | undefined {
    return this.byIp.get(ip) ?? (mac !== null ? this.byMac.get(mac) : undefined);
  }

  category(ip: string, mac: string | null): Category | null {
    return this.find(ip, mac)?.category ?? null;
  }

  deviceId(ip: string, mac: string | null): string {
    return this.find(ip, mac)?.id ?? `ip:${ip}`;
  }

  /** "ip:<address>" (an alert raised before the address was known) to the device's id. */
  deviceOf(id: string): string {
    return id.startsWith('ip:') ? (this.byIp.get(id.slice(3))?.id ?? id) : id;
  }

  get size(): number {
    return this.byIp.size + this.byMac.size;
  }

  /**
   * A device's classification for its addresses and MAC. A later build replaces an earlier
   * answer unless it only says "unknown" where something was known (a quiet window says less).
   */
  private learn(d: Device, replace: boolean): void {
    const k: Known = { id: d.id, category: d.category, gen: this.gen };
    const put = (map: Map<string, Known>, key: string): void => {
      const cur = map.get(key);
      if (cur !== undefined) {
        if (!replace || cur.gen === this.gen || (d.category === 'unknown' && cur.category !== 'unknown')) return;
        map.delete(key); // re-inserted last: the most recently learned
      } else if (map.size >= this.maxKnown) evictOldest(map);
      map.set(key, k);
    };
    for (const ip of d.ips) put(this.byIp, ip);
    if (d.mac !== null) put(this.byMac, d.mac);
  }
}
