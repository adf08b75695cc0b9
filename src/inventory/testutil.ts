// Runs the pipeline with an inventory attached (tests and the corpus sweep).
import { Analysis, type AnalysisResult } from '../engine/analyze.js';
import { KnowledgeBase } from '../knowledge/kb.js';
import type { Device } from '../report/model.js';
import { inventoryHooks } from './hooks.js';
import { Inventory, type BuildOptions } from './inventory.js';

let shared: KnowledgeBase | null = null;

/** The bundled knowledge base, loaded once per test process. */
export function testKb(): KnowledgeBase {
  shared ??= KnowledgeBase.load();
  return shared;
}

export interface InventoryRun {
  devices: Device[];
  inventory: Inventory;
  result: AnalysisResult;
}

/** Analyses `paths` in memory (no logs written) and builds the inventory. */
export async function runInventory(paths: string[], opts: BuildOptions = {}): Promise<InventoryRun> {
  const inv = new Inventory({ external: opts.external === true });
  const a: Analysis = new Analysis({ outDir: null, ...inventoryHooks(inv, () => a.paths) });
  const result = await a.run(paths);
  return { devices: inv.build(testKb(), opts), inventory: inv, result };
}

/** The device holding address `ip`. */
export function deviceWithIp(devices: readonly Device[], ip: string): Device | undefined {
  return devices.find((d) => d.ips.includes(ip));
}

/** An Ethernet + IPv4 + TCP frame with the given TCP flags and options (synthetic test frames). */
export function tcpFrame(src: string, dst: string, smac: string, dmac: string, ttl: number, sport: number, dport: number, flags: number, opts: Buffer): Buffer {
  const mac = (m: string): Buffer => Buffer.from(m.replace(/:/g, ''), 'hex');
  const tcp = Buffer.alloc(20 + opts.length);
  tcp.writeUInt16BE(sport, 0);
  tcp.writeUInt16BE(dport, 2);
  tcp.writeUInt32BE(0x10000, 4);
  tcp[12] = ((20 + opts.length) / 4) << 4;
  tcp[13] = flags;
  tcp.writeUInt16BE(1024, 14);
  opts.copy(tcp, 20);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + tcp.length, 2);
  ip[8] = ttl;
  ip[9] = 6;
  Buffer.from(src.split('.').map(Number)).copy(ip, 12);
  Buffer.from(dst.split('.').map(Number)).copy(ip, 16);
  return Buffer.concat([mac(dmac), mac(smac), Buffer.from([8, 0]), ip, tcp]);
}
