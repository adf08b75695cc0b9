// dns.log (Zeek's base/protocols/dns/main.zeek): one line per query/response pair with Zeek's
// field names and value spellings (qtype/qclass/rcode names from Zeek's DNS consts). NetBIOS
// name service lines add wardline's `nbns_name` (the decoded name as people write it),
// `nbns_suffix` and, for opcodes other than a query, `opcode_name`.
import { formatInterval, formatTime } from '../../report/logwriter.js';
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import { NETBIOS_OPCODES, PORT_NBNS } from './analyzer.js';
import { DNS_CLASSES, DNS_QTYPES, DNS_RCODES } from './consts.js';
import type { DnsTransactionEvent } from './events.js';

const TYPE_SRV = 33;

const dnsTransaction: LogMapper = (e, c) => {
  if (c === null) return null;
  const ev = e as DnsTransactionEvent;
  const r = connHeader(c, ev.ts_sec, ev.ts_nsec);
  r.proto = ev.proto;
  r.trans_id = ev.trans_id;
  if (ev.rtt_us !== undefined) r.rtt = Number(formatInterval(ev.rtt_us));
  if (ev.query !== undefined) r.query = ev.query;
  if (ev.qclass !== undefined) {
    r.qclass = ev.qclass;
    r.qclass_name = DNS_CLASSES[ev.qclass] ?? `qclass-${ev.qclass}`;
  }
  if (ev.qtype !== undefined) {
    r.qtype = ev.qtype;
    // RFC 1002 reuses SRV's number for NBSTAT; Zeek names it so on port 137.
    r.qtype_name = ev.qtype === TYPE_SRV && c.rPort === PORT_NBNS ? 'NBSTAT' : (DNS_QTYPES[ev.qtype] ?? `query-${ev.qtype}`);
  }
  if (ev.rcode !== undefined) {
    r.rcode = ev.rcode;
    r.rcode_name = DNS_RCODES[ev.rcode] ?? `rcode-${ev.rcode}`;
  }
  r.AA = ev.AA;
  r.TC = ev.TC;
  r.RD = ev.RD;
  r.RA = ev.RA;
  r.Z = ev.Z;
  if (ev.answers !== undefined) r.answers = ev.answers;
  if (ev.TTLs !== undefined) r.TTLs = ev.TTLs;
  r.rejected = ev.rejected;
  if (ev.nbns_name !== undefined) {
    r.nbns_name = ev.nbns_name;
    r.nbns_suffix = ev.nbns_suffix;
  }
  if (ev.netbios && ev.opcode !== 0) r.opcode_name = NETBIOS_OPCODES[ev.opcode] ?? `netbios-opcode-${ev.opcode}`;
  return { log: 'dns', record: r };
};

export const DNS_LOGS: Record<string, LogMapper> = { 'dns.transaction': dnsTransaction };
