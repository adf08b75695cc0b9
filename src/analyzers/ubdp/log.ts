// ubdp.log: one line per UBDP flow (wardline's; Zeek has no UBDP analyzer): what the announcing
// device said of itself — host name, product code, model, detailed firmware and its version,
// platform version, ESSID and wireless mode of a radio, uptime, whether it is still in its
// factory-default state (`is_default`: not adopted, default login), its interfaces' MACs and
// addresses — with `is_orig` naming the announcing side (true for a broadcast announcement,
// false for an answer to a query), the header of the first message, and counts of announcements
// and of queries (empty messages).
import type { LogMapper } from '../logs.js';
import { summaryMapper } from '../connid.js';

const FIELDS = [
  'version',
  'command',
  'is_orig',
  'hostname',
  'product',
  'model',
  'firmware',
  'firmware_version',
  'platform_version',
  'essid',
  'wireless_mode',
  'uptime',
  'is_default',
  'locating',
  'dhcp_client',
  'dhcp_bound',
  'system_id',
  'counter',
  'mgmt_port',
  'macs',
  'addresses',
  'announcements',
  'queries',
  'unknown_tlvs',
] as const;

export const UBDP_LOGS: Record<string, LogMapper> = { 'ubdp.session': summaryMapper('ubdp', FIELDS, new Set(['unknown_tlvs'])) };
