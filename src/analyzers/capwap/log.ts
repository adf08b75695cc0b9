// capwap.log: one line per CAPWAP control flow (wardline's; Zeek has no CAPWAP analyzer): the
// clear-text messages, how many datagrams were DTLS, and what the access point (WTP) and the
// controller (AC) said of themselves — the AP's name, location, model, serial, board data and
// hardware/software/boot versions, the controller's name, versions, capacity, the ways it
// authenticates APs and whether it offers a clear-text data channel.
import type { LogMapper } from '../logs.js';
import { summaryMapper } from '../connid.js';

const FIELDS = [
  'messages',
  'control',
  'dtls',
  'wtp_orig',
  'wtp_name',
  'wtp_location',
  'wtp_vendor',
  'wtp_model',
  'wtp_serial',
  'wtp_board_id',
  'wtp_board_revision',
  'wtp_base_mac',
  'wtp_hardware',
  'wtp_software',
  'wtp_boot',
  'wtp_radios',
  'wtp_mac_type',
  'discovery_type',
  'ac_orig',
  'ac_name',
  'ac_vendor',
  'ac_hardware',
  'ac_software',
  'ac_stations',
  'ac_station_limit',
  'ac_wtps',
  'ac_max_wtps',
  'ac_security',
  'data_channel',
  'result_code',
] as const;

export const CAPWAP_LOGS: Record<string, LogMapper> = { 'capwap.session': summaryMapper('capwap', FIELDS, new Set(['control', 'dtls'])) };
