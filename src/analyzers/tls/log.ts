// ssl.log and x509.log as Zeek writes them (base/protocols/ssl/main.zeek, base/files/x509/main.zeek),
// with wardline's additions to ssl.log: ja3, ja3s, ja4. x509.log holds each certificate once per
// (fingerprint, server) in a run, as Zeek's log de-duplication does.
import { formatTime } from '../../report/logwriter.js';
import type { LogMapper } from '../logs.js';
import type { SslCertificate, SslSession } from './events.js';
import { connHeader } from '../connid.js';

const sslLog: LogMapper = (e, c) => {
  if (c === null) return null;
  const ev = e as SslSession;
  const r: Record<string, unknown> = connHeader(c, ev.ts_sec, ev.ts_nsec);
  if (ev.version !== undefined) r.version = ev.version;
  if (ev.cipher !== undefined) r.cipher = ev.cipher;
  if (ev.curve !== undefined) r.curve = ev.curve;
  if (ev.server_name !== undefined) r.server_name = ev.server_name;
  r.resumed = ev.resumed;
  if (ev.last_alert !== undefined) r.last_alert = ev.last_alert;
  if (ev.next_protocol !== undefined) r.next_protocol = ev.next_protocol;
  r.established = ev.established;
  r.ssl_history = ev.ssl_history;
  if (ev.cert_chain_fps !== undefined) r.cert_chain_fps = ev.cert_chain_fps;
  if (ev.client_cert_chain_fps !== undefined) r.client_cert_chain_fps = ev.client_cert_chain_fps;
  if (ev.subject !== undefined) r.subject = ev.subject;
  if (ev.issuer !== undefined) r.issuer = ev.issuer;
  if (ev.client_subject !== undefined) r.client_subject = ev.client_subject;
  if (ev.client_issuer !== undefined) r.client_issuer = ev.client_issuer;
  if (ev.sni_matches_cert !== undefined) r.sni_matches_cert = ev.sni_matches_cert;
  if (ev.validation_status !== undefined) r.validation_status = ev.validation_status;
  if (ev.ja3 !== undefined) r.ja3 = ev.ja3;
  if (ev.ja3s !== undefined) r.ja3s = ev.ja3s;
  if (ev.ja4 !== undefined) r.ja4 = ev.ja4;
  return { log: 'ssl', record: r };
};

const x509Log: LogMapper = (e, _c, m, run) => {
  const ev = e as SslCertificate;
  const x = ev.cert;
  if (!run.once(`x509|${x.fingerprint}|${ev.server}`)) return null;
  const r: Record<string, unknown> = {
    ts: Number(formatTime(m.tsSec, m.tsNsec)),
    fingerprint: x.fingerprint,
    'certificate.version': x.version,
    'certificate.serial': x.serial,
    'certificate.subject': x.subject,
    'certificate.issuer': x.issuer,
  };
  if (x.not_valid_before !== null) r['certificate.not_valid_before'] = x.not_valid_before;
  if (x.not_valid_after !== null) r['certificate.not_valid_after'] = x.not_valid_after;
  r['certificate.key_alg'] = x.key_alg;
  r['certificate.sig_alg'] = x.sig_alg;
  if (x.key_type !== undefined) r['certificate.key_type'] = x.key_type;
  if (x.key_length !== undefined) r['certificate.key_length'] = x.key_length;
  if (x.exponent !== undefined) r['certificate.exponent'] = x.exponent;
  if (x.curve !== undefined) r['certificate.curve'] = x.curve;
  if (x.san_dns !== undefined) r['san.dns'] = x.san_dns;
  if (x.san_uri !== undefined) r['san.uri'] = x.san_uri;
  if (x.san_email !== undefined) r['san.email'] = x.san_email;
  if (x.san_ip !== undefined) r['san.ip'] = x.san_ip;
  if (x.basic_constraints_ca !== undefined) r['basic_constraints.ca'] = x.basic_constraints_ca;
  if (x.basic_constraints_path_len !== undefined) r['basic_constraints.path_len'] = x.basic_constraints_path_len;
  r.host_cert = ev.host_cert;
  r.client_cert = ev.client_cert;
  return { log: 'x509', record: r };
};

export const TLS_LOGS: Record<string, LogMapper> = {
  'ssl.session': sslLog,
  'ssl.certificate': x509Log,
};
