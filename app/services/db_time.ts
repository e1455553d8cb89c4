import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'

/**
 * A timestamp in the form the models write (the dialect's format, UTC), for
 * raw inserts and comparisons in SQL that must agree on SQLite (text) and
 * PostgreSQL alike. `client` picks the dialect of a transaction.
 */
export function dbTime(value: DateTime = DateTime.utc(), client?: QueryClientContract): string {
  return value.toUTC().toFormat((client ?? db.connection()).dialect.dateTimeFormat)
}
