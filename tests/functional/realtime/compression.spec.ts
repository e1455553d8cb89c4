import { test } from '@japa/runner'
import { channels } from '#realtime/channels'
import { asBrowser, givenOrganisation, givenUser, loginBrowser } from '#tests/helpers/world'
import { COMPRESS_FROM_BYTES } from '#services/compression'

test.group('Realtime | large snapshots are compressed', () => {
  test('gzip when accepted and large; plain JSON otherwise; same content', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation, { roles: ['org_manager'] })
    const session = await loginBrowser(client, host, user)
    const body = Array.from(
      { length: 1000 },
      (_, i) => `<p>Paragraph ${i} of the organisation's long welcome text.</p>`
    ).join('')
    ;(await asBrowser(client.patch('/api/organisation'), session).json({ body })).assertStatus(200)
    const channel = channels.organisation(organisation.id)

    const compressed = await asBrowser(client.get('/api/realtime/snapshot'), session)
      .qs({ channel })
      .header('Accept-Encoding', 'gzip')
    compressed.assertStatus(200)
    assert.equal(compressed.header('content-encoding'), 'gzip')
    assert.include(compressed.header('vary'), 'Accept-Encoding')

    const plain = await asBrowser(client.get('/api/realtime/snapshot'), session)
      .qs({ channel })
      .header('Accept-Encoding', 'identity')
    plain.assertStatus(200)
    assert.isUndefined(plain.header('content-encoding'))
    assert.isAbove(plain.text().length, COMPRESS_FROM_BYTES)
    // The client decompresses: both carry the same snapshot (but for its generation time).
    const strip = (snapshot: any) => ({ ...snapshot, generated_at: null })
    assert.deepEqual(strip(compressed.body()), strip(plain.body()))
    assert.include(JSON.stringify(plain.body()), 'Paragraph 999')
  })
})
