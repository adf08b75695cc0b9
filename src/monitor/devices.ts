// Device knowledge for the detectors from the inventory's devices: category by MAC or address,
// and the inventory's id for an address (alerts raised before the inventory was built say
// "ip:<address>"; deviceOf() re-keys them).
import type { Category, Device } from '../report/model.js';

export interface DeviceLookup {
  /** For MonitorOptions.deviceCategory. */
  category(ip: string, mac: string | null): Category | null;
  /** For MonitorOptions.deviceId: the inventory's id, else "ip:<address>". */
  deviceId(ip: string, mac: string | null): string;
  /** For Monitor.finish / recordAnalysis: "ip:<address>" to the inventory's id; others unchanged. */
  deviceOf(id: string): string;
}

export function deviceLookup(devices: readonly Device[]): DeviceLookup {
  const byMac = new Map<string, Device>();
  const byIp = new Map<string, Device>();
  // Sorted by id so an address two devices claimed resolves the same way every time.
  for (const d of [...devices].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (d.mac !== null && !byMac.has(d.mac)) byMac.set(d.mac, d);
    for (const ip of d.ips) if (!byIp.has(ip)) byIp.set(ip, d);
  }
  const find = (ip: string, mac: string | null): Device | undefined => byIp.get(ip) ?? (mac !== null ? byMac.get(mac) : undefined);
  return {
    category: (ip, mac) => find(ip, mac)?.category ?? null,
    deviceId: (ip, mac) => find(ip, mac)?.id ?? `ip:${ip}`,
    deviceOf: (id) => (id.startsWith('ip:') ? (byIp.get(id.slice(3))?.id ?? id) : id),
  };
}
