// Maps whatever a handler throws to a JSON-RPC error: typed and short, never a stack trace.
import { ResponseError } from 'vscode-jsonrpc/node';
import { ErrorCodes } from '../protocol/helper-protocol';
import { NetlinkError } from '../netlink';

const EPERM = 1;
const EACCES = 13;
const ENOENT = 2;
const EOPNOTSUPP = 95;

export function toResponseError(e: unknown): ResponseError<unknown> {
  if (e instanceof ResponseError) return e;
  if (e instanceof NetlinkError) {
    if (e.errno === EPERM || e.errno === EACCES) return new ResponseError(ErrorCodes.PermissionDenied, e.message);
    if (e.code === 'unsupported' || e.errno === EOPNOTSUPP) return new ResponseError(ErrorCodes.NotSupported, e.message);
    if (e.errno === ENOENT) return new ResponseError(ErrorCodes.NamespaceNotFound, e.message);
    return new ResponseError(ErrorCodes.InternalError, e.message);
  }
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EPERM' || code === 'EACCES') return new ResponseError(ErrorCodes.PermissionDenied, (e as Error).message);
  return new ResponseError(ErrorCodes.InternalError, e instanceof Error ? e.message : String(e));
}
