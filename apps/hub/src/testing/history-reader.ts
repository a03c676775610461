import Database from 'better-sqlite3';
import { registerSlotFunctions } from '../store/slot-values';

/** A second, read-only connection to a history file, as another process would have, able to read slot values. */
export function openHistoryReader(file: string): Database.Database {
  const db = new Database(file, { readonly: true });
  registerSlotFunctions(db);
  return db;
}
