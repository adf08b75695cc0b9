// ajp.log: one line per AJP13 exchange (wardline's; Zeek has no AJP analyzer), in http.log's
// spirit: what the web server forwarded (method, URI path — a query string only noted, as it may
// carry patient identifiers —, the real client behind the proxy as the web server states it, the
// virtual host and port, TLS on the front, Host and User-Agent, the Authorization scheme, the
// remote user, the attributes' names), what the container answered (status, content type,
// Server and X-Powered-By), "<redacted>" for a Basic password or the connector's secret,
// `ghostcat` and the file asked for when javax.servlet.include.* attributes were set.
import type { LogMapper } from '../logs.js';
import { summaryMapper } from '../connid.js';
import { REDACTED } from '../secret.js';

const FIELDS = [
  'kind',
  'method',
  'uri',
  'has_query',
  'protocol',
  'remote_addr',
  'remote_host',
  'server_name',
  'server_port',
  'is_ssl',
  'host',
  'user_agent',
  'auth_scheme',
  'username',
  'password',
  'remote_user',
  'auth_type',
  'route',
  'ssl_cipher',
  'attributes',
  'secret',
  'ghostcat',
  'include_path',
  'request_body_len',
  'status_code',
  'status_msg',
  'content_type',
  'server',
  'powered_by',
  'response_body_len',
  'pong',
  'reuse',
] as const;

const ZEROLESS = new Set(['request_body_len', 'response_body_len']);
const summary = summaryMapper('ajp', FIELDS, ZEROLESS);

export const AJP_LOGS: Record<string, LogMapper> = {
  // The connector's secret is never a value of the event: only that one went by.
  'ajp.exchange': (ev, c, m, run) => summary(ev.has_secret === true ? { ...ev, secret: REDACTED } : ev, c, m, run),
};
