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
