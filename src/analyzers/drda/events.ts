// Typed events of DRDA.

/** One per connection, when it ends: drda.log. */
export interface DrdaSession {
  type: 'drda.session';
  packet: number;
  tsSec: number;
  tsNsec: number;
  client_name: string;
  client_host: string;
  client_product: string;
  client_class: string;
  server_name: string;
  server_host: string;
  server_product: string;
  server_class: string;
  database: string;
  security_mechanism: string;
  user: string;
  password: boolean;
  login: string;
  commands: string[];
  sql_statements: number;
  [k: string]: unknown;
}
