import { Injectable } from '@nestjs/common';
import { KeyedQueue } from '../core/keyed-queue';

/**
 * The one queue per host that every change of its stored state goes
 * through, whichever feature makes it: ingest storing what an agent sent,
 * the API deleting the host. So no snapshot of a host is half-stored while
 * the host is being deleted, and none is stored twice at once.
 */
@Injectable()
export class HostQueue extends KeyedQueue {}
