// h323.log (wardline's; Zeek has no H.323 analyzer): one line per RAS transaction (`kind` ras:
// request and answer paired by requestSeqNum, the endpoint's H.221 identity, product and version,
// node kinds, H.323-IDs, counts of number aliases, gatekeeper and endpoint identifiers, the
// reason of a reject, unregistration or disengage, H.235 tokens seen), and one per call
// signalling connection (`kind` call: Q.931 messages and H.225.0 bodies, caller's and callee's
// identity, release reason and Q.850 cause, H.245 tunnelling, fast start, H.235, and whether a
// display name or calling and called numbers went by — never their contents).
import type { LogMapper } from '../logs.js';
import { connHeader } from '../connid.js';
import type { EndpointFields } from './events.js';

const RAS_FIELDS = [
  'is_orig',
  'request',
  'reply',
  'seq',
  'retransmits',
  'in_progress',
  'endpoint_is_orig',
  'protocol_version',
  'reason',
  't35',
  'manufacturer',
  'product_id',
  'version_id',
  'terminal_type',
  'mc',
  'h323_ids',
  'numbers',
  'other_aliases',
  'gatekeeper_id',
  'endpoint_id',
  'call_model',
  'keep_alive',
  'h235',
] as const;

const ENDPOINT_FIELDS = ['t35', 'manufacturer', 'product_id', 'version_id', 'terminal_type', 'mc', 'h323_ids', 'numbers', 'other_aliases'] as const;

const CALL_FIELDS = [
  'caller_is_orig',
  'messages',
  'q931_messages',
  'h225_messages',
  'protocol_version',
  'release_reason',
  'q931_cause',
  'facility_reason',
  'h245_tunnelling',
  'h245_tunnelled',
  'h245_address',
  'fast_start_offered',
  'fast_start_answered',
  'h235',
  'display',
  'calling_number',
  'called_number',
] as const;

function put(r: Record<string, unknown>, name: string, v: unknown): void {
  if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return;
  r[name] = v;
}

const rasLog: LogMapper = (ev, c) => {
  if (c === null) return null;
  const r = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
  r.kind = 'ras';
  for (const f of RAS_FIELDS) put(r, f, ev[f]);
  return { log: 'h323', record: r };
};

const callLog: LogMapper = (ev, c) => {
  if (c === null) return null;
  const r = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
  r.kind = 'call';
  for (const f of CALL_FIELDS) put(r, f, ev[f]);
  const caller = ev.caller as EndpointFields;
  const callee = ev.callee as EndpointFields;
  for (const f of ENDPOINT_FIELDS) put(r, `caller_${f}`, caller[f]);
  for (const f of ENDPOINT_FIELDS) put(r, `callee_${f}`, callee[f]);
  return { log: 'h323', record: r };
};

export const H323_LOGS: Record<string, LogMapper> = { 'h323.ras': rasLog, 'h323.call': callLog };
