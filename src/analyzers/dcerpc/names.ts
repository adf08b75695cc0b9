// Names for dce_rpc.log: interface UUID -> endpoint name and (UUID, opnum) -> operation name, with
// Zeek's spelling for what it does not know ("unknown-<uuid>", "unknown-<opnum>"), the operations
// Zeek leaves out of the log as noise (base/protocols/dce-rpc/main.zeek ignored_operations), and
// the interface usually behind a pipe when its bind was not seen (pipe_name_to_common_uuid).
import { RPC_INTERFACES, type RpcInterface } from './names-data.js';

const BY_UUID = new Map<string, RpcInterface>();
for (const i of RPC_INTERFACES) if (!BY_UUID.has(i.uuid)) BY_UUID.set(i.uuid, i);

export function endpointName(uuid: string): string {
  return BY_UUID.get(uuid)?.name ?? `unknown-${uuid}`;
}

export function operationName(uuid: string, opnum: number): string {
  const n = BY_UUID.get(uuid)?.ops[opnum];
  return n === undefined || n === '' ? `unknown-${opnum}` : n;
}

/** Noisy, low-value operations Zeek does not log (its ignored_operations option). */
export const IGNORED_OPERATIONS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['winreg', new Set(['BaseRegCloseKey', 'BaseRegGetVersion', 'BaseRegOpenKey', 'BaseRegQueryValue', 'BaseRegDeleteKeyEx', 'OpenLocalMachine', 'BaseRegEnumKey', 'OpenClassesRoot'])],
  ['spoolss', new Set(['RpcSplOpenPrinter', 'RpcClosePrinter'])],
  ['wkssvc', new Set(['NetrWkstaGetInfo'])],
]);

export function ignoredOperation(endpoint: string, operation: string): boolean {
  const s = IGNORED_OPERATIONS.get(endpoint);
  return s !== undefined && (s.has(operation) || s.has('*'));
}

/** The interface most often bound on a pipe, for calls whose bind was not captured. */
const PIPE_TO_UUID = new Map([
  ['winreg', '338cd001-2244-31f1-aaaa-900038001003'],
  ['spoolss', '12345678-1234-abcd-ef00-0123456789ab'],
  ['srvsvc', '4b324fc8-1670-01d3-1278-5a47bf6ee188'],
]);

/** `\PIPE\lsass` → `lsass` (lower case), as Zeek normalises pipe names. */
export function normalizePipeName(pipe: string): string {
  const m = /\\pipe\\(.*)$/i.exec(pipe);
  return (m === null ? pipe : m[1]).toLowerCase();
}

export function pipeInterface(pipe: string): string | undefined {
  return PIPE_TO_UUID.get(normalizePipeName(pipe));
}
