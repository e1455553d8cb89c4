import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import {
  asBearer,
  createToken,
  givenOrganisation,
  givenUser,
  loginBrowser,
} from '#tests/helpers/world'

const lastUsed = async (userId: number) =>
  (await db.from('auth_access_tokens').where('tokenable_id', userId).first())?.last_used_at ?? null

/** The value is written after the answer (informational): wait for it, at most a second. */
async function settledLastUsed(userId: number, differentFrom: unknown = null) {
  for (let i = 0; i < 50; i++) {
    const value = await lastUsed(userId)
    if (value !== null && String(value) !== String(differentFrom)) return value
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return lastUsed(userId)
}

test.group('Auth | token last_used_at', () => {
  test('is recorded on use, at most once a minute, and never for a wrong secret', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const token = await createToken(client, await loginBrowser(client, host, user))
    assert.isNull(await lastUsed(user.id))

    const [prefix] = token.split('.')
    ;(await asBearer(client.get('/api/user'), host, `${prefix}.forged-secret`)).assertStatus(401)
    assert.isNull(await lastUsed(user.id))

    ;(await asBearer(client.get('/api/user'), host, token)).assertStatus(200)
    const first = await settledLastUsed(user.id)
    assert.isNotNull(first)
    ;(await asBearer(client.get('/api/user'), host, token)).assertStatus(200)
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.equal(String(await lastUsed(user.id)), String(first))

    // An old value is refreshed on the next use.
    await db
      .from('auth_access_tokens')
      .where('tokenable_id', user.id)
      .update({ last_used_at: new Date(Date.now() - 120_000) })
    const stale = await lastUsed(user.id)
    ;(await asBearer(client.get('/api/user'), host, token)).assertStatus(200)
    assert.isAbove(new Date(await settledLastUsed(user.id, stale)).getTime(), Date.now() - 60_000)
  })
})
