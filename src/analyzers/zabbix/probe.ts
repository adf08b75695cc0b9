// Cheap recognition of Zabbix: "ZBXD" and a flags byte with the protocol bit and no unknown bit
// is a yes on any port; the first bytes of "ZBXD" not yet followed by the flags a maybe on 10050
// and 10051. A bare passive check key (pre-4.0 servers) is not recognised by itself: the agent's
// answer, which has the header, is.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { ZABBIX_AGENT_PORT, ZABBIX_SERVER_PORT, magicPrefix, validFlags } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number, port = 0): number {
  void isOrig;
  if (proto !== 6 || len < 1) return PROBE_NO;
  const m = magicPrefix(buf, off, len);
  if (m < 0) return PROBE_NO;
  if (len >= 5) return validFlags(buf[off + 4]) ? PROBE_YES : PROBE_NO;
  return port === ZABBIX_AGENT_PORT || port === ZABBIX_SERVER_PORT ? PROBE_MAYBE : PROBE_NO;
}
