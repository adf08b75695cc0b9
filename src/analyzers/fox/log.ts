// niagara_fox.log: one line per Niagara Fox connection (wardline's; Zeek has no Fox analyzer):
// what the station said of itself in its hello (host name and address, Niagara application and
// version, Java VM, OS, station name, host id, brand, time zone), the connecting program from the
// client's hello, a user name and "<redacted>" when a password field went by, and the channel
// commands that followed.
import type { LogMapper } from '../logs.js';
import { summaryMapper } from '../connid.js';

const FIELDS = [
  'fox_version',
  'host_name',
  'host_address',
  'app_name',
  'app_version',
  'vm_name',
  'vm_version',
  'os_name',
  'os_version',
  'station_name',
  'lang',
  'time_zone',
  'host_id',
  'brand_id',
  'client_app',
  'client_app_version',
  'client_host_name',
  'client_os',
  'user',
  'password',
  'commands',
  'messages',
] as const;

export const FOX_LOGS: Record<string, LogMapper> = { 'niagara_fox.session': summaryMapper('niagara_fox', FIELDS) };
