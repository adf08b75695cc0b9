export { Inventory, kbDate, type BuildOptions, type InventoryOptions, type InventoryStats } from './inventory.js';
export { inventoryCsv } from './csv.js';
export { inventoryHooks, type InventoryHooks } from './hooks.js';
export { inventoryTable } from './table.js';
export { loadRules, parseRules, RULES_FILE, type Rule } from './rules.js';
