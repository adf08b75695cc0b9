// rpc.log: one line per RPC program per flow (wardline's: Zeek parses portmapper, MOUNT and NFS
// but logs none of them by default).
import { summaryMapper } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = ['program', 'program_number', 'client_is_orig', 'versions', 'calls', 'replies', 'procedures', 'auth', 'gss_service', 'machine_name', 'auth_uid', 'auth_gid', 'mount_paths', 'exports', 'server_flavors', 'portmap', 'nfs4_minor', 'client_owner', 'errors'] as const;

export const RPC_LOGS: Record<string, LogMapper> = { 'rpc.program': summaryMapper('rpc', FIELDS) };
