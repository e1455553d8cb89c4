import { DomainError } from '#domain/errors'

/** A unique-constraint violation on SQLite or PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
  const err = error as { code?: string; message?: string } | null
  return (
    err?.code === '23505' ||
    err?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(err?.message ?? '')
  )
}

/**
 * Runs an insert whose uniqueness was checked just before; a concurrent
 * request that won the race makes it a 409 `conflict` (api.md §4.2) instead
 * of a server error.
 */
export async function insertOrConflict<T>(insert: () => Promise<T>, what: string): Promise<T> {
  try {
    return await insert()
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError(
        'conflict',
        `${what} was changed by another request at the same time; please retry`
      )
    }
    throw error
  }
}
