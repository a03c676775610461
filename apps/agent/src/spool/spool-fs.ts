import type * as fsPromises from 'node:fs/promises';

/** The file operations the spool uses, injected so that the agent owns no file system state of its own. */
export type SpoolFs = Pick<typeof fsPromises, 'mkdir' | 'stat' | 'readdir' | 'readFile' | 'open' | 'writeFile' | 'rename' | 'unlink'>;
