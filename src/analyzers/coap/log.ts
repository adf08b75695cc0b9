// coap.log (wardline's own; Zeek has no CoAP analyzer): one line per exchange, as dns.log has one
// per query/reply pair: the request's type, code, message id, token, URI, Content-Format, Observe
// and Block options, the paired response's type and code, the links of a /.well-known/core answer
// and a LwM2M registration's parameters. Unset fields are omitted.
import { connHeader, putSet } from '../connid.js';
import type { LogMapper } from '../logs.js';
import type { CoapTransactionEvent } from './events.js';

export const COAP_LOGS: Record<string, LogMapper> = {
  'coap.transaction': (e, c) => {
    if (c === null) return null;
    const ev = e as CoapTransactionEvent;
    const r = connHeader(c, ev.ts_sec, ev.ts_nsec);
    putSet(r, {
      type: ev.msg_type,
      code: ev.code,
      message_id: ev.message_id,
      token: ev.token,
      uri: ev.uri,
      host: ev.host,
      port: ev.port,
      content_format: ev.content_format,
      observe: ev.observe,
      block1: ev.block1,
      block2: ev.block2,
      response_type: ev.response_type,
      response_code: ev.response_code,
      resources: ev.resources,
      resource_types: ev.resource_types,
      interfaces: ev.interfaces,
      lwm2m_endpoint: ev.lwm2m_endpoint,
      lwm2m_version: ev.lwm2m_version,
      lwm2m_lifetime: ev.lwm2m_lifetime,
      lwm2m_binding: ev.lwm2m_binding,
    });
    return { log: 'coap', record: r };
  },
};
