// Typed events of the Telnet and rlogin analyzers (wardline's `login` log).

/** One login attempt in an interactive session: emitted when its outcome shows or at the end. */
export interface LoginAttempt {
  type: 'login.attempt';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** "telnet" or "rlogin". */
  service: string;
  user?: string;
  /** Unset when the outcome could not be told from the server's text. */
  success?: boolean;
  /** True when a password was typed (its value never leaves the analyzer). */
  password_sent: boolean;
  /** Terminal type (Telnet TERMINAL-TYPE, rlogin terminal/speed). */
  client_banner?: string;
  /** The first line the server printed before its login prompt. */
  server_banner?: string;
  /** rlogin: the user name on the client host. */
  client_user?: string;
  [k: string]: unknown;
}
