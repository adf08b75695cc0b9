// The engine hooks that feed an Inventory (src/engine/analyze.ts AnalyzeOptions), with the
// capture path each observation cites. An event that carries its own packet number may be
// emitted later than that packet — when its connection ends, possibly while the engine reads a
// later file — so its path is its connection's file, not the current packet's.
import type { AnalyzeOptions } from '../engine/analyze.js';
import type { Inventory } from './inventory.js';

export type InventoryHooks = Required<Pick<AnalyzeOptions, 'onEvent' | 'onConn' | 'onSyn'>>;

/** `paths()` returns the engine's input paths by file index (Analysis.paths). */
export function inventoryHooks(inv: Inventory, paths: () => readonly string[]): InventoryHooks {
  return {
    onEvent: (ev, c, m) => inv.observeEvent(ev, c, m, paths()[c !== null && typeof ev.packet === 'number' ? c.fileIndex : m.fileIndex] ?? ''),
    onConn: (c) => inv.observeConn(c, paths()[c.fileIndex] ?? ''),
    onSyn: (m) => inv.observeSyn(m, paths()[m.fileIndex] ?? ''),
  };
}
