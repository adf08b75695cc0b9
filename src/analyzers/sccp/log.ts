// sccp.log: one line per SCCP connection (wardline's; Zeek has no SCCP analyzer): the station's
// side, what its RegisterReq said of it (device name, the MAC a "SEP" name carries, Cisco's device
// type number and model, registered address, stream count, protocol version, firmware load), how
// the call manager answered, and counts — messages, calls, media streams started and their RTP
// destinations — with the message names seen. Never a call's parties: names and numbers are not
// read.
import type { LogMapper } from '../logs.js';
import { summaryMapper } from '../connid.js';

const FIELDS = [
  'station_is_orig',
  'device_name',
  'mac',
  'device_type',
  'model',
  'station_kind',
  'station_ip',
  'max_streams',
  'protocol_version',
  'firmware',
  'registered',
  'reject_reason',
  'phone_ui',
  'messages',
  'calls',
  'media',
  'media_peers',
  'message_names',
] as const;

export const SCCP_LOGS: Record<string, LogMapper> = { 'sccp.session': summaryMapper('sccp', FIELDS) };
