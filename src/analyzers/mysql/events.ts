// Typed events of the MySQL analyzer.
export type { MysqlRecord as MysqlCommandEvent } from './analyzer.js';

/** The server's Initial Handshake: product and version for the inventory. */
export interface MysqlGreetingEvent {
  type: 'mysql.greeting';
  host: string;
  version: string;
  product: 'MySQL' | 'MariaDB';
  protocol: number;
  auth_plugin?: string;
  ssl_supported: boolean;
  packet: number;
  [k: string]: unknown;
}

/** The client asked to switch to TLS (Zeek's mysql_ssl_request). */
export interface MysqlSslRequestEvent {
  type: 'mysql.starttls';
  packet: number;
  [k: string]: unknown;
}

/** The server refused the connection with an ERR packet instead of a greeting. */
export interface MysqlRefusedEvent {
  type: 'mysql.refused';
  code: number;
  message: string;
  packet: number;
  [k: string]: unknown;
}
