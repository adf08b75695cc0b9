// Typed events of the PostgreSQL analyzer.

/**
 * One postgresql.log line, built as Zeek's base/protocols/postgresql/main.zeek builds its Info
 * record: opened by the first message of an exchange, written when the exchange ends.
 */
export interface PostgresqlRecordEvent {
  type: 'postgresql.record';
  tsSec: number;
  tsNsec: number;
  packet: number;
  user?: string;
  database?: string;
  application_name?: string;
  frontend?: string;
  frontend_arg?: string;
  backend?: string;
  backend_arg?: string;
  success?: boolean;
  rows?: number;
  [k: string]: unknown;
}

/** The client's StartupMessage (Zeek's startup_message and startup_parameter events). */
export interface PostgresqlStartupEvent {
  type: 'postgresql.startup';
  major: number;
  minor: number;
  parameters: [string, string][];
  packet: number;
  [k: string]: unknown;
}

/** A ParameterStatus from the server (Zeek's parameter_status). */
export interface PostgresqlParameterStatusEvent {
  type: 'postgresql.parameter_status';
  name: string;
  value: string;
  [k: string]: unknown;
}

/** The client asked for TLS (SSLRequest) or GSSAPI encryption (GSSENCRequest). */
export interface PostgresqlEncryptionRequestEvent {
  type: 'postgresql.ssl_request' | 'postgresql.gssenc_request';
  packet: number;
  [k: string]: unknown;
}

/** The server accepted the SSLRequest: the rest of the connection is TLS (handed to the TLS analyzer). */
export interface PostgresqlStarttlsEvent {
  type: 'postgresql.starttls';
  packet: number;
  [k: string]: unknown;
}

/** The outcome of the startup phase: AuthenticationOk or an ErrorResponse. */
export interface PostgresqlLoginEvent {
  type: 'postgresql.login';
  user?: string;
  database?: string;
  application_name?: string;
  /** Authentication requests the server made, Zeek's names (CleartextPassword, MD5Password, SASL …). */
  methods: string[];
  /** The SASL mechanism the client chose (SCRAM-SHA-256 …). */
  sasl_mechanism?: string;
  success: boolean;
  /** SQLSTATE of the ErrorResponse (28P01: invalid password). */
  code?: string;
  message?: string;
  packet: number;
  [k: string]: unknown;
}
