import type { ClientRequest, RequestOf } from '../../../stratum/index.js';
import type { PoolSession } from '../pool-session.js';

export type ClientMethod = ClientRequest['method'];

/** One Stratum method's handling on the pool side. */
export type Handler<M extends ClientMethod> = (session: PoolSession, req: RequestOf<M>) => void;
