// amqp.log: one line per AMQP connection (wardline's; Zeek has no AMQP analyzer): who served and
// who connected (products, versions, platforms), how the client authenticated (mechanism, user,
// password "<redacted>" when one went by in clear, whether the server accepted it), the virtual
// host, how the connection closed, and what it carried (exchanges, queues, routing keys,
// publishes and deliveries, content types and body bytes, never the bodies).
import type { LogMapper } from '../logs.js';
import { summaryMapper } from '../connid.js';

const FIELDS = [
  'version',
  'version_refused',
  'server_product',
  'server_version',
  'server_platform',
  'cluster_name',
  'mechanisms',
  'client_product',
  'client_version',
  'client_platform',
  'connection_name',
  'mechanism',
  'user',
  'password',
  'auth_success',
  'vhost',
  'opened',
  'close_code',
  'close_text',
  'methods',
  'channels',
  'exchanges',
  'queues',
  'routing_keys',
  'publishes',
  'deliveries',
  'content_types',
  'body_bytes',
  'midstream',
] as const;

export const AMQP_LOGS: Record<string, LogMapper> = { 'amqp.session': summaryMapper('amqp', FIELDS) };
