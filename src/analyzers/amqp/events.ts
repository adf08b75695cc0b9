// Typed events of the AMQP analyzer. No password (only its digest, in the `credential` event)
// and no message body (only the bytes counted and the content types declared).

/** One AMQP connection, reported when it ends (amqp.log). */
export interface AmqpSession {
  type: 'amqp.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** From the client's protocol header ("0-9-1"), absent when the capture joined mid-connection. */
  version?: string;
  /** The server answered the client's header with its own: it does not speak that version. */
  version_refused?: boolean;
  server_product?: string;
  server_version?: string;
  server_platform?: string;
  cluster_name?: string;
  mechanisms?: string[];
  client_product?: string;
  client_version?: string;
  client_platform?: string;
  connection_name?: string;
  mechanism?: string;
  user?: string;
  /** A password went by in clear (PLAIN or AMQPLAIN): logged as "<redacted>". */
  has_password: boolean;
  /** true: the server went on to Connection.Tune (authentication passed); false: it refused. */
  auth_success?: boolean;
  vhost?: string;
  opened: boolean;
  close_code?: number;
  close_text?: string;
  /** Methods seen, in order of first appearance (bounded). */
  methods: string[];
  channels: number;
  exchanges: string[];
  queues: string[];
  routing_keys: string[];
  publishes: number;
  deliveries: number;
  content_types: string[];
  body_bytes: number;
  /** The capture began inside the connection (no protocol header or Connection.Start seen). */
  midstream: boolean;
  [k: string]: unknown;
}
