// Redis: RESP, the Redis serialization protocol (redis.io/docs/reference/protocol-spec: RESP2,
// and RESP3 after HELLO 3) on TCP 6379. A client sends a command as an array of bulk strings
// ("*2\r\n$4\r\nAUTH\r\n$6\r\nsecret\r\n") or as an inline line ("PING\r\n"); the server answers
// each command in order with one value, typed by its first byte. The tables and pure readers of
// what the analyzer keeps: command names, which commands carry passwords or are dangerous, an
// error's code word, INFO's and HELLO's identity fields. Pure functions only.

export const REDIS_PORT = 6379;
/** Longest header or simple line kept (simple strings, errors, inline commands). */
export const MAX_LINE = 64 * 1024;
/** Bulk strings larger than this are not RESP from Redis (proto-max-bulk-len is 512 MB). */
export const MAX_BULK = 512 * 1024 * 1024;

/** RESP type bytes (RESP2 and RESP3). */
export const T_SIMPLE = 0x2b; // +
export const T_ERROR = 0x2d; // -
export const T_INTEGER = 0x3a; // :
export const T_BULK = 0x24; // $
export const T_ARRAY = 0x2a; // *
export const T_NULL = 0x5f; // _
export const T_BOOL = 0x23; // #
export const T_DOUBLE = 0x2c; // ,
export const T_BIGNUM = 0x28; // (
export const T_BLOB_ERROR = 0x21; // !
export const T_VERBATIM = 0x3d; // =
export const T_MAP = 0x25; // %
export const T_SET = 0x7e; // ~
export const T_ATTRIBUTE = 0x7c; // |
export const T_PUSH = 0x3e; // >

/** The reply type names redis.log shows. */
export const TYPE_NAMES: Record<number, string> = {
  [T_SIMPLE]: 'simple',
  [T_ERROR]: 'error',
  [T_INTEGER]: 'integer',
  [T_BULK]: 'bulk',
  [T_ARRAY]: 'array',
  [T_NULL]: 'null',
  [T_BOOL]: 'boolean',
  [T_DOUBLE]: 'double',
  [T_BIGNUM]: 'big_number',
  [T_BLOB_ERROR]: 'blob_error',
  [T_VERBATIM]: 'verbatim',
  [T_MAP]: 'map',
  [T_SET]: 'set',
  [T_ATTRIBUTE]: 'attribute',
  [T_PUSH]: 'push',
};

/** True for a byte that starts a RESP value. */
export function isTypeByte(b: number): boolean {
  return TYPE_NAMES[b] !== undefined;
}

/** Types whose header is followed by a length-counted payload. */
export function isBlobType(b: number): boolean {
  return b === T_BULK || b === T_BLOB_ERROR || b === T_VERBATIM;
}

/** Types whose header counts elements (maps and attributes count pairs). */
export function isAggregateType(b: number): boolean {
  return b === T_ARRAY || b === T_MAP || b === T_SET || b === T_ATTRIBUTE || b === T_PUSH;
}

/**
 * Redis's command names (redis.io/commands, Redis 7.2, with their older aliases): a client's first
 * array element or inline word must be one of these for the probe to say yes.
 */
export const COMMANDS: ReadonlySet<string> = new Set(
  (
    'ACL APPEND ASKING AUTH BGREWRITEAOF BGSAVE BITCOUNT BITFIELD BITFIELD_RO BITOP BITPOS BLMOVE BLMPOP BLPOP BRPOP ' +
    'BRPOPLPUSH BZMPOP BZPOPMAX BZPOPMIN CLIENT CLUSTER COMMAND CONFIG COPY DBSIZE DEBUG DECR DECRBY DEL DISCARD DUMP ' +
    'ECHO EVAL EVALSHA EVALSHA_RO EVAL_RO EXEC EXISTS EXPIRE EXPIREAT EXPIRETIME FAILOVER FCALL FCALL_RO FLUSHALL ' +
    'FLUSHDB FUNCTION GEOADD GEODIST GEOHASH GEOPOS GEORADIUS GEORADIUSBYMEMBER GEORADIUSBYMEMBER_RO GEORADIUS_RO ' +
    'GEOSEARCH GEOSEARCHSTORE GET GETBIT GETDEL GETEX GETRANGE GETSET HDEL HELLO HEXISTS HGET HGETALL HINCRBY ' +
    'HINCRBYFLOAT HKEYS HLEN HMGET HMSET HRANDFIELD HSCAN HSET HSETNX HSTRLEN HVALS INCR INCRBY INCRBYFLOAT INFO KEYS ' +
    'LASTSAVE LATENCY LCS LINDEX LINSERT LLEN LMOVE LMPOP LOLWUT LPOP LPOS LPUSH LPUSHX LRANGE LREM LSET LTRIM MEMORY ' +
    'MGET MIGRATE MODULE MONITOR MOVE MSET MSETNX MULTI OBJECT PERSIST PEXPIRE PEXPIREAT PEXPIRETIME PFADD PFCOUNT ' +
    'PFDEBUG PFMERGE PFSELFTEST PING PSETEX PSUBSCRIBE PSYNC PTTL PUBLISH PUBSUB PUNSUBSCRIBE QUIT RANDOMKEY READONLY ' +
    'READWRITE RENAME RENAMENX REPLCONF REPLICAOF RESET RESTORE RESTORE-ASKING ROLE RPOP RPOPLPUSH RPUSH RPUSHX SADD ' +
    'SAVE SCAN SCARD SCRIPT SDIFF SDIFFSTORE SELECT SET SETBIT SETEX SETNX SETRANGE SHUTDOWN SINTER SINTERCARD ' +
    'SINTERSTORE SISMEMBER SLAVEOF SLOWLOG SMEMBERS SMISMEMBER SMOVE SORT SORT_RO SPOP SPUBLISH SRANDMEMBER SREM SSCAN ' +
    'SSUBSCRIBE STRLEN SUBSCRIBE SUBSTR SUNION SUNIONSTORE SUNSUBSCRIBE SWAPDB SYNC TIME TOUCH TTL TYPE UNLINK ' +
    'UNSUBSCRIBE UNWATCH WAIT WAITAOF WATCH XACK XADD XAUTOCLAIM XCLAIM XDEL XGROUP XINFO XLEN XPENDING XRANGE XREAD ' +
    'XREADGROUP XREVRANGE XSETID XTRIM ZADD ZCARD ZCOUNT ZDIFF ZDIFFSTORE ZINCRBY ZINTER ZINTERCARD ZINTERSTORE ' +
    'ZLEXCOUNT ZMPOP ZMSCORE ZPOPMAX ZPOPMIN ZRANDMEMBER ZRANGE ZRANGEBYLEX ZRANGEBYSCORE ZRANGESTORE ZRANK ZREM ' +
    'ZREMRANGEBYLEX ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREVRANGE ZREVRANGEBYLEX ZREVRANGEBYSCORE ZREVRANK ZSCAN ZSCORE ' +
    'ZUNION ZUNIONSTORE'
  ).split(' '),
);

/** Commands whose first argument is a subcommand (CONFIG GET, CLIENT SETNAME, ACL SETUSER …). */
export const CONTAINER_COMMANDS: ReadonlySet<string> = new Set(['ACL', 'CLIENT', 'CLUSTER', 'COMMAND', 'CONFIG', 'DEBUG', 'FUNCTION', 'LATENCY', 'MEMORY', 'MODULE', 'OBJECT', 'PUBSUB', 'SCRIPT', 'SLOWLOG', 'XGROUP', 'XINFO']);

/**
 * Commands whose arguments the analyzer reads (passwords, configuration parameter names, a
 * replication target, a script's text): the others keep only their name, so no key name or
 * value is ever held.
 */
export const ARG_COMMANDS: ReadonlySet<string> = new Set(['AUTH', 'EVAL', 'EVAL_RO', 'HELLO', 'MIGRATE', 'REPLICAOF', 'SHUTDOWN', 'SLAVEOF', ...CONTAINER_COMMANDS]);

/**
 * The dangerous administration commands: what the classic attacks on an open Redis use (CONFIG SET
 * dir/dbfilename to write a cron job or an SSH key, SLAVEOF/REPLICAOF to a rogue master, MODULE
 * LOAD, Lua through EVAL/SCRIPT — CVE-2022-0543 on Debian's builds), and what wipes or stops it.
 */
export const ADMIN_COMMANDS: ReadonlySet<string> = new Set(['SLAVEOF', 'REPLICAOF', 'MODULE', 'FLUSHALL', 'FLUSHDB', 'DEBUG', 'SHUTDOWN', 'SCRIPT', 'EVAL', 'EVALSHA', 'EVAL_RO', 'EVALSHA_RO', 'FUNCTION']);

/** CONFIG SET parameters that move files, passwords, replication or protection: admin. */
export const ADMIN_CONFIG_PARAMS: ReadonlySet<string> = new Set(['dir', 'dbfilename', 'logfile', 'appendfilename', 'appenddirname', 'aclfile', 'requirepass', 'masterauth', 'masteruser', 'protected-mode', 'bind', 'replicaof', 'slaveof', 'enable-protected-configs', 'enable-module-command', 'enable-debug-command', 'loadmodule']);

/** CONFIG SET parameters whose value is a password. */
export const PASSWORD_CONFIG_PARAMS: ReadonlySet<string> = new Set(['requirepass', 'masterauth']);

/** Commands that need no authentication and say nothing of data: not proof of an open server. */
export const CONNECTION_COMMANDS: ReadonlySet<string> = new Set(['AUTH', 'HELLO', 'PING', 'ECHO', 'QUIT', 'RESET', 'COMMAND', 'CLIENT', 'SELECT', 'READONLY', 'READWRITE', 'ASKING']);

/** Commands after which the server pushes messages that answer no command (RESP2 pub/sub, MONITOR). */
export const STREAMING_COMMANDS: ReadonlySet<string> = new Set(['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'MONITOR', 'SYNC', 'PSYNC']);

/** Lua a script needs to leave Redis's sandbox (CVE-2022-0543's exploit loads liblua's io library). */
const LUA_ESCAPE = /\bpackage\s*\.\s*loadlib\b|\bio\s*\.\s*popen\b|\bos\s*\.\s*execute\b|\bloadlib\s*\(|\brequire\s*\(?\s*["']io["']/;

export function luaEscapes(script: string): boolean {
  return LUA_ESCAPE.test(script);
}

/** A command name as logged: upper case, or null when it is not a name (binary, too long). */
export function commandName(s: string): string | null {
  return /^[A-Za-z][A-Za-z0-9_.|:-]{0,63}$/.test(s) ? s.toUpperCase() : null;
}

/** A subcommand or configuration parameter name as logged, or null. */
export function paramName(s: string): string | null {
  return /^[A-Za-z*?][A-Za-z0-9_.*?|-]{0,63}$/.test(s) ? s : null;
}

/** The code word of an error reply ("NOAUTH Authentication required." → NOAUTH). */
export function errorCode(text: string): string | undefined {
  const m = /^([A-Z][A-Z0-9_]{1,31})(?:\s|$)/.exec(text);
  return m === null ? undefined : m[1];
}

/** What INFO and HELLO say of the server, the fields the inventory uses. */
export interface ServerIdentity {
  version?: string;
  mode?: string;
  os?: string;
  arch_bits?: number;
  role?: string;
  tcp_port?: number;
}

const INFO_KEYS = new Set(['redis_version', 'redis_mode', 'os', 'arch_bits', 'role', 'tcp_port']);
const MAX_FIELD = 128;

/** INFO's "key:value" lines (sections under "# Name" headers): the identity fields only. */
export function parseInfo(text: string): ServerIdentity | null {
  const id: ServerIdentity = {};
  let found = false;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const c = line.indexOf(':');
    if (c <= 0) continue;
    const k = line.slice(0, c);
    if (!INFO_KEYS.has(k)) continue;
    const v = line.slice(c + 1).slice(0, MAX_FIELD);
    if (!/^[\x20-\x7e]+$/.test(v)) continue;
    found = true;
    if (k === 'redis_version') id.version = v;
    else if (k === 'redis_mode') id.mode = v;
    else if (k === 'os') id.os = v;
    else if (k === 'role') id.role = v;
    else if (k === 'arch_bits' && /^\d{1,3}$/.test(v)) id.arch_bits = Number(v);
    else if (k === 'tcp_port' && /^\d{1,5}$/.test(v)) id.tcp_port = Number(v);
  }
  return found ? id : null;
}

/** HELLO's answer, a map (RESP3) or flat array (RESP2) of name, value, …: the identity fields. */
export function parseHello(items: readonly string[]): ServerIdentity | null {
  const id: ServerIdentity = {};
  let found = false;
  for (let i = 0; i + 1 < items.length; i += 2) {
    const v = items[i + 1].slice(0, MAX_FIELD);
    if (!/^[\x20-\x7e]+$/.test(v)) continue;
    switch (items[i]) {
      case 'version':
        id.version = v;
        found = true;
        break;
      case 'mode':
        id.mode = v;
        break;
      case 'role':
        id.role = v;
        break;
      case 'server':
        found = found || v === 'redis';
        break;
    }
  }
  return found ? id : null;
}

/** Splits an inline command line into words (Redis splits on spaces and honours quotes; words are enough here). */
export function inlineWords(line: string): string[] {
  return line.trim().split(/[ \t]+/).filter((w) => w !== '');
}
