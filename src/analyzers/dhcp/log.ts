// dhcp.log (Zeek's base/protocols/dhcp/main.zeek): one record per DHCP "conversation", the
// messages sharing a transaction id across connections (a DISCOVER broadcast, a unicast OFFER …),
// with Zeek's client/server rules for each field, plus the relay-agent fields of Zeek's
// policy/protocols/dhcp/sub-opts and wardline's fingerprint fields param_list, vendor_class and
// client_id. dhcpv6.log (wardline's own; Zeek has no DHCPv6 log) groups DHCPv6 the same way.
//
// Zeek keeps a transaction in a table that expires it 10 s after creation and then every 5 s
// once it has been quiet for 5 s or watched for 30 s; here that check runs when the next message
// of the same transaction arrives, and otherwise the record is written when every flow that
// carried it has released it (see analyzer.ts), so the grouping matches Zeek's.
import { formatAddr } from '../../decode/packet.js';
import type { Conn } from '../../flow/conn.js';
import { connUid } from '../../flow/uid.js';
import { formatInterval, formatTime } from '../../report/logwriter.js';
import type { LogMapper, LogOut, LogRun } from '../logs.js';
import type { AppEvent } from '../types.js';
import type { Dhcp6MessageEvent, DhcpMessageEvent } from './events.js';
import { evictOldest } from '../../util/evict.js';

/** Zeek: DHCP::max_txid_watch_time. */
const MAX_TXID_WATCH = 30;
/** Zeek: join_data &create_expire, then the re-check interval of join_data_expiration. */
const FIRST_CHECK = 10;
const RECHECK = 5;
const IDLE = 5;
/** Zeek: DHCP::max_uids_per_log_entry and max_msg_types_per_log_entry. */
const MAX_UIDS = 10;
const MAX_MSG_TYPES = 50;
/** Open transactions kept per run; beyond this the oldest is written early. */
const MAX_OPEN = 20_000;
const ARP_HTYPE_ETHERNET = 1;
const DHCP_CLIENT_PORT = 68;
const DHCP_SERVER_PORT = 67;

interface Tx {
  v6: boolean;
  tsSec: number;
  tsNsec: number;
  firstTs: number;
  lastTs: number;
  lastSec: number;
  lastNsec: number;
  nextCheck: number;
  uids: string[];
  open: Set<string>;
  msgTypes: string[];
  rec: Record<string, unknown>;
  clientChaddr?: string;
}

const runs = new WeakMap<LogRun, Map<string, Tx>>();

function table(run: LogRun): Map<string, Tx> {
  let t = runs.get(run);
  if (t === undefined) {
    t = new Map();
    runs.set(run, t);
  }
  return t;
}

/** Zeek's join_data_expiration, evaluated at each due check up to `now`. */
function expired(tx: Tx, now: number): boolean {
  while (tx.nextCheck <= now) {
    const at = tx.nextCheck;
    if (at - tx.lastTs > IDLE || at - tx.firstTs > MAX_TXID_WATCH) return true;
    tx.nextCheck += RECHECK;
  }
  return false;
}

function finish(tx: Tx): LogOut {
  const r = tx.rec;
  if (!tx.v6 && r.mac === undefined && tx.clientChaddr !== undefined) r.mac = tx.clientChaddr;
  const durUs = (tx.lastSec - tx.tsSec) * 1e6 + Math.floor(tx.lastNsec / 1000) - Math.floor(tx.tsNsec / 1000);
  const out: Record<string, unknown> = { ts: Number(formatTime(tx.tsSec, tx.tsNsec)), uids: tx.uids };
  for (const k of tx.v6 ? V6_FIELDS : V4_FIELDS) {
    if (k === 'msg_types') out.msg_types = tx.msgTypes;
    else if (k === 'duration') out.duration = Number(formatInterval(Math.max(0, durUs)));
    else if (r[k] !== undefined) out[k] = r[k];
  }
  return { log: tx.v6 ? 'dhcpv6' : 'dhcp', record: out };
}

const V4_FIELDS = [
  'client_addr', 'server_addr', 'mac', 'host_name', 'client_fqdn', 'domain', 'requested_addr', 'assigned_addr', 'lease_time',
  'client_message', 'server_message', 'msg_types', 'duration', 'circuit_id', 'agent_remote_id', 'subscriber_id',
  'param_list', 'vendor_class', 'client_id',
];
const V6_FIELDS = [
  'client_addr', 'server_addr', 'mac', 'duid', 'host_name', 'assigned_addrs', 'prefixes', 'msg_types', 'duration',
  'param_list', 'vendor_class', 'vendor_enterprise', 'user_class', 'server_duid',
];

function isV4Zero(c: Conn): boolean {
  return c.o0 === 0 && c.o1 === 0 && c.o2 === 0xffff && c.o3 === 0;
}

function isV4Broadcast(c: Conn): boolean {
  return c.o0 === 0 && c.o1 === 0 && c.o2 === 0xffff && c.o3 === 0xffffffff;
}

/** Starts or continues the transaction `key`; may return a finished older one. */
function join(run: LogRun, key: string, v6: boolean, c: Conn, tsSec: number, tsNsec: number, ts: number): { tx: Tx; done: LogOut | null } {
  const t = table(run);
  let done: LogOut | null = null;
  let tx = t.get(key);
  if (tx !== undefined && expired(tx, ts)) {
    done = finish(tx);
    t.delete(key);
    tx = undefined;
  }
  if (tx === undefined) {
    if (done === null && t.size >= MAX_OPEN) {
      done = finish(evictOldest(t)![1]);
    }
    tx = {
      v6, tsSec, tsNsec, firstTs: ts, lastTs: ts, lastSec: tsSec, lastNsec: tsNsec, nextCheck: ts + FIRST_CHECK,
      uids: [], open: new Set(), msgTypes: [], rec: {},
    };
    t.set(key, tx);
  }
  const uid = connUid(c);
  if (!tx.uids.includes(uid)) tx.uids.push(uid);
  tx.open.add(uid);
  tx.lastTs = ts;
  tx.lastSec = tsSec;
  tx.lastNsec = tsNsec;
  return { tx, done };
}

/** Zeek writes the record early once it names too many connections or messages. */
function full(run: LogRun, key: string, tx: Tx): LogOut | null {
  if (tx.uids.length < MAX_UIDS && tx.msgTypes.length < MAX_MSG_TYPES) return null;
  table(run).delete(key);
  return finish(tx);
}

const dhcpMessage: LogMapper = (e, c, m, run) => {
  if (c === null) return null;
  const ev = e as DhcpMessageEvent;
  const key = `4:${ev.xid}`;
  const { tx, done } = join(run, key, false, c, m.tsSec, m.tsNsec, m.ts);
  const r = tx.rec;
  tx.msgTypes.push(ev.msg_type);
  // Zeek: is_orig is true for "connections" a server starts towards a broadcast address too.
  const isClient = ev.is_orig && (isV4Zero(c) || c.oPort === DHCP_CLIENT_PORT || c.rPort === DHCP_SERVER_PORT);
  if (ev.message !== undefined) r[isClient ? 'client_message' : 'server_message'] = ev.message;
  if (isClient) {
    if (!isV4Zero(c) && !isV4Broadcast(c)) r.client_addr = formatAddr(c.o0, c.o1, c.o2, c.o3);
    if (ev.host_name !== undefined) r.host_name = ev.host_name;
    if (ev.client_fqdn !== undefined) r.client_fqdn = ev.client_fqdn;
    if (ev.client_id !== undefined && ev.client_id_type === ARP_HTYPE_ETHERNET) r.mac = ev.client_id;
    else tx.clientChaddr = ev.mac;
    if (ev.requested_addr !== undefined) r.requested_addr = ev.requested_addr;
    if (ev.param_list !== undefined) r.param_list = ev.param_list;
    if (ev.vendor_class !== undefined) r.vendor_class = ev.vendor_class;
    if (ev.client_id !== undefined) r.client_id = ev.client_id;
  } else {
    if (ev.yiaddr !== '0.0.0.0') {
      r.server_addr = ev.is_orig ? formatAddr(c.o0, c.o1, c.o2, c.o3) : formatAddr(c.r0, c.r1, c.r2, c.r3);
      r.assigned_addr = ev.yiaddr;
    }
    if (ev.mac !== '' && r.mac === undefined) r.mac = ev.mac;
    if (r.client_addr === undefined && r.assigned_addr !== undefined) r.client_addr = r.assigned_addr;
    if (ev.domain !== undefined) r.domain = ev.domain;
    if (ev.lease_time !== undefined) r.lease_time = ev.lease_time;
  }
  if (ev.circuit_id !== undefined) r.circuit_id = ev.circuit_id;
  if (ev.agent_remote_id !== undefined) r.agent_remote_id = ev.agent_remote_id;
  if (ev.subscriber_id !== undefined) r.subscriber_id = ev.subscriber_id;
  return done ?? full(run, key, tx);
};

/** RFC 8415 §7.3: the messages only servers send. */
const DHCP6_SERVER_MESSAGES = new Set(['ADVERTISE', 'REPLY', 'RECONFIGURE', 'LEASEQUERY-REPLY']);

const dhcp6Message: LogMapper = (e, c, m, run) => {
  if (c === null) return null;
  const ev = e as Dhcp6MessageEvent;
  const key = `6:${ev.xid}`;
  const { tx, done } = join(run, key, true, c, m.tsSec, m.tsNsec, m.ts);
  const r = tx.rec;
  tx.msgTypes.push(ev.msg_type);
  const sender = ev.is_orig ? formatAddr(c.o0, c.o1, c.o2, c.o3) : formatAddr(c.r0, c.r1, c.r2, c.r3);
  if (ev.duid !== undefined) r.duid = ev.duid;
  if (ev.mac !== undefined) r.mac = ev.mac;
  if (!DHCP6_SERVER_MESSAGES.has(ev.msg_type)) {
    r.client_addr = sender;
    if (ev.client_fqdn !== undefined) r.host_name = ev.client_fqdn;
    if (ev.param_list !== undefined) r.param_list = ev.param_list;
    if (ev.vendor_class !== undefined) r.vendor_class = ev.vendor_class;
    if (ev.vendor_enterprise !== undefined) r.vendor_enterprise = ev.vendor_enterprise;
    if (ev.user_class !== undefined) r.user_class = ev.user_class;
  } else {
    r.server_addr = sender;
    if (ev.server_duid !== undefined) r.server_duid = ev.server_duid;
    if (ev.addresses.length) r.assigned_addrs = ev.addresses;
    if (ev.prefixes.length) r.prefixes = ev.prefixes;
  }
  return done ?? full(run, key, tx);
};

const dhcpRelease: LogMapper = (e: AppEvent, c, _m, run) => {
  if (c === null) return null;
  const key = String(e.key);
  const t = table(run);
  const tx = t.get(key);
  if (tx === undefined) return null;
  tx.open.delete(connUid(c));
  if (tx.open.size > 0) return null;
  t.delete(key);
  return finish(tx);
};

export const DHCP_LOGS: Record<string, LogMapper> = {
  'dhcp.message': dhcpMessage,
  'dhcpv6.message': dhcp6Message,
  'dhcp.release': dhcpRelease,
};
