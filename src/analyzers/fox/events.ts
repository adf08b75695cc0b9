// Typed events of the Niagara Fox analyzer.

/** One Fox connection: both hellos and the commands that followed, reported when it ends (niagara_fox.log). */
export interface FoxSession {
  type: 'niagara_fox.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** The station's hello (the responder): who and what it is. */
  fox_version?: string;
  host_name?: string;
  host_address?: string;
  app_name?: string;
  app_version?: string;
  vm_name?: string;
  vm_version?: string;
  os_name?: string;
  os_version?: string;
  station_name?: string;
  lang?: string;
  time_zone?: string;
  host_id?: string;
  brand_id?: string;
  /** The client's hello: the program connecting (Workbench, a Supervisor) and its host. */
  client_app?: string;
  client_app_version?: string;
  client_host_name?: string;
  client_os?: string;
  /** A user name sent in a message body; a password field went by (never kept). */
  user?: string;
  has_password?: boolean;
  /** channel:command of the messages after the hellos, in the order first seen. */
  commands: string[];
  messages: number;
  [k: string]: unknown;
}
