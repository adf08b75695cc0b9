// Typed events of the Redis analyzer. No event holds a key name, a value or a password: commands
// by name, administration commands by their subcommand and parameter names.
import type { ServerIdentity } from './parse.js';

/** One command and the reply paired with it in order (redis.log). */
export interface RedisCommand {
  type: 'redis.command';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** Upper-case command name ("?" when the first element was not a name). */
  command: string;
  /** CONFIG GET/SET, CLIENT SETNAME, ACL SETUSER, MODULE LOAD, SLAVEOF NO ONE … */
  subcommand?: string;
  /** CONFIG GET/SET: the parameter names (never their values). */
  params?: string[];
  /** Sent inline ("PING\r\n") rather than as an array of bulk strings. */
  inline?: boolean;
  /** AUTH or HELLO … AUTH with a user name (ACL), MIGRATE … AUTH2, ACL SETUSER's user. */
  user?: string;
  /** A password went by with the command (never kept). */
  has_password?: boolean;
  /** The reply: not an error (undefined when none was seen). */
  success?: boolean;
  /** The reply's RESP type (simple, error, integer, bulk, array, null, map, set …). */
  reply?: string;
  /** An error reply's code word: NOAUTH, WRONGPASS, ERR, NOPERM, WRONGTYPE … */
  error?: string;
  /** One of the dangerous administration commands (CONFIG SET of a file, password or replication parameter, SLAVEOF, MODULE, FLUSHALL, DEBUG, SHUTDOWN, SCRIPT, EVAL …). */
  admin?: boolean;
  [k: string]: unknown;
}

/** What INFO or HELLO said of the server (only these fields). */
export interface RedisServer extends ServerIdentity {
  type: 'redis.server';
  host: string;
  host_p: number;
  /** 'info' or 'hello'. */
  source: string;
  packet: number;
  [k: string]: unknown;
}

/**
 * An administration command the monitor judges, with what it needs and nothing of the data:
 * CONFIG SET's parameter names (the directory's kind, never the path), a replication target,
 * whether a script reaches for Lua's loadlib/io/os, a SAVE after the dump's file was moved.
 */
export interface RedisAdmin {
  type: 'redis.admin';
  /** The command's time and packet. */
  tsSec: number;
  tsNsec: number;
  command: string;
  subcommand?: string;
  params?: string[];
  /** SLAVEOF/REPLICAOF <host> <port>: the master the server was told to follow. */
  master_host?: string;
  master_port?: number;
  /** CONFIG SET dir: where the new directory points (cron, ssh, web, other). */
  dir_kind?: string;
  /** EVAL/SCRIPT/FUNCTION text reaching out of Lua's sandbox (package.loadlib, io.popen, os.execute). */
  lua_escape?: boolean;
  /** SAVE/BGSAVE after this connection moved the dump's directory or file name. */
  writes_file?: boolean;
  success?: boolean;
  error?: string;
  packet: number;
  [k: string]: unknown;
}

/** One Redis connection, reported when it ends: for the assessment and the inventory. */
export interface RedisSession {
  type: 'redis.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  server: string;
  server_p: number;
  commands: number;
  /** Replies the server sent (the server answered RESP). */
  replies: number;
  /** Commands past the per-connection log cap, not logged. */
  unlogged: number;
  auth_attempts: number;
  auth_success: boolean;
  /** The server said NOAUTH: it requires a password. */
  noauth: boolean;
  /**
   * Data commands the server answered without an error while no AUTH had succeeded on a
   * connection seen from its handshake, and it never said NOAUTH: an open server.
   */
  unauthenticated_data: number;
  [k: string]: unknown;
}
