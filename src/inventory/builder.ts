// The device inventory as the pipeline plugs it in: an Inventory fed by the engine's hooks.
import type { DeviceBuilder } from '../engine/pipeline.js';
import { inventoryHooks } from './hooks.js';
import { Inventory, type InventoryOptions } from './inventory.js';

export function inventoryBuilder(opts: InventoryOptions = {}): (paths: () => readonly string[]) => DeviceBuilder {
  return (paths) => {
    const inv = new Inventory(opts);
    const h = inventoryHooks(inv, paths);
    return {
      onEvent: h.onEvent,
      onConn: h.onConn,
      onSyn: h.onSyn,
      build: (kb, asOf) => inv.build(kb, { asOf }),
      notDevices: () => ({ forged_sources: inv.unansweredSources, flood_announcers: inv.floodAnnouncers, flood_sources: inv.floodSources }),
      forgedSources: () => inv.forgedSources,
    };
  };
}

export const INVENTORY = inventoryBuilder();
