import { test } from '@japa/runner'
import { DomainError } from '#domain/errors'
import { insertOrConflict, isUniqueViolation } from '#services/unique_violation'

test.group('insertOrConflict (lost races on unique values → 409)', () => {
  test('recognises SQLite and PostgreSQL unique violations only', ({ assert }) => {
    assert.isTrue(isUniqueViolation({ code: '23505' }))
    assert.isTrue(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_UNIQUE' }))
    assert.isTrue(
      isUniqueViolation(new Error('UNIQUE constraint failed: meeting_roles.meeting_id'))
    )
    assert.isFalse(isUniqueViolation({ code: '23503' }))
    assert.isFalse(isUniqueViolation(null))
  })

  test('maps a unique violation to conflict and passes other errors through', async ({
    assert,
  }) => {
    const conflict = await insertOrConflict(() => Promise.reject({ code: '23505' }), 'X').catch(
      (error) => error
    )
    assert.instanceOf(conflict, DomainError)
    assert.equal(conflict.code, 'conflict')
    const other = new Error('disk full')
    assert.strictEqual(
      await insertOrConflict(() => Promise.reject(other), 'X').catch((error) => error),
      other
    )
    assert.equal(await insertOrConflict(async () => 42, 'X'), 42)
  })
})
