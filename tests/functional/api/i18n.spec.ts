import { test } from '@japa/runner'
import { asBrowser, givenOrganisation, givenUser, loginBrowser } from '#tests/helpers/world'
import { givenMeeting } from '#tests/helpers/meetings'

interface ApiErrorBody {
  code: string
  message: string
  field?: string
  rule?: string
}

const errorsOf = (body: unknown) => (body as { errors: ApiErrorBody[] }).errors

test.group('API | localised messages (api.md §1: Accept-Language, en and sv, fallback en)', () => {
  test('the same error in English and Swedish: same code, translated message', async ({
    client,
    assert,
  }) => {
    const { host } = await givenOrganisation()
    const en = await client.get('/api/user').header('host', host)
    const sv = await client.get('/api/user').header('host', host).header('accept-language', 'sv')
    en.assertStatus(401)
    sv.assertStatus(401)
    assert.equal(errorsOf(en.body())[0].code, 'auth.unauthenticated')
    assert.equal(errorsOf(sv.body())[0].code, 'auth.unauthenticated')
    assert.equal(errorsOf(en.body())[0].message, 'Authentication required')
    assert.equal(errorsOf(sv.body())[0].message, 'Inloggning krävs')
    assert.equal(en.header('content-language'), 'en')
    assert.equal(sv.header('content-language'), 'sv')
  })

  test('a domain error keeps its specifics in Swedish (interpolated from meta)', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const meeting = await givenMeeting(organisation, { moderator: mia })
    const session = await loginBrowser(client, host, mia)
    const send = (language: string) =>
      asBrowser(client.post(`/api/meetings/${meeting.id}/event`), session)
        .header('accept-language', language)
        .json({ event: 'explode' })
    const en = await send('en')
    const sv = await send('sv-SE')
    en.assertStatus(422)
    sv.assertStatus(422)
    const [enError, svError] = [errorsOf(en.body())[0], errorsOf(sv.body())[0]]
    assert.equal(enError.code, 'transition.unavailable')
    assert.equal(svError.code, enError.code)
    assert.equal(enError.message, 'Unknown event "explode"')
    assert.equal(
      svError.message,
      `Händelsen ”explode” är inte tillgänglig i läget ”${meeting.state}”`
    )
    assert.deepEqual(sv.body().errors[0].meta, en.body().errors[0].meta)
    assert.equal(sv.header('content-language'), 'sv')
  })

  test('the reasons of an unavailable transition are translated by their codes', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const meeting = await givenMeeting(organisation, { moderator: mia })
    const session = await loginBrowser(client, host, mia)
    const send = (language: string) =>
      asBrowser(client.post(`/api/meetings/${meeting.id}/event`), session)
        .header('accept-language', language)
        .json({ event: 'close' })
    const [en, sv] = [await send('en'), await send('sv')]
    en.assertStatus(422)
    sv.assertStatus(422)
    const [enMeta, svMeta] = [en.body().errors[0].meta, sv.body().errors[0].meta]
    assert.deepEqual(
      svMeta.reasons.map((reason: { code: string }) => reason.code),
      ['transition.wrong_state']
    )
    assert.equal(enMeta.reasons[0].message, `Not available in state "${meeting.state}"`)
    assert.equal(svMeta.reasons[0].message, `Inte tillgänglig i läget ”${meeting.state}”`)
    assert.deepEqual(svMeta.allowed_events, enMeta.allowed_events)
  })

  test('names that are only in the English sentence come through params', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const meeting = await givenMeeting(organisation, { moderator: mia })
    const session = await loginBrowser(client, host, mia)
    const install = (language: string) =>
      asBrowser(client.post(`/api/meetings/${meeting.id}/install-dialect`), session)
        .header('accept-language', language)
        .json({ dialect: 'sfsfum' })
    ;(await install('en')).assertStatus(200)
    const [en, sv] = [await install('en'), await install('sv')]
    en.assertStatus(422)
    sv.assertStatus(422)
    assert.equal(errorsOf(en.body())[0].message, 'The dialect "sfsfum" is already installed')
    assert.equal(errorsOf(sv.body())[0].code, 'dialect.already_installed')
    assert.equal(errorsOf(sv.body())[0].message, 'Dialekten ”sfsfum” är redan installerad')
    assert.notProperty(sv.body().errors[0], 'params')
  })

  test('q-values choose the language; a region tag maps to its language', async ({
    client,
    assert,
  }) => {
    const { host } = await givenOrganisation()
    const ask = async (header: string) => {
      const response = await client
        .get('/api/user')
        .header('host', host)
        .header('accept-language', header)
      return [response.header('content-language'), errorsOf(response.body())[0].message]
    }
    assert.deepEqual(await ask('en;q=0.4, sv;q=0.9'), ['sv', 'Inloggning krävs'])
    assert.deepEqual(await ask('sv;q=0.2, en;q=0.8'), ['en', 'Authentication required'])
    assert.deepEqual(await ask('de-DE, sv-SE;q=0.5'), ['sv', 'Inloggning krävs'])
    assert.deepEqual(await ask('sv-FI'), ['sv', 'Inloggning krävs'])
  })

  test('an unsupported language falls back to English', async ({ client, assert }) => {
    const { host } = await givenOrganisation()
    const response = await client
      .get('/api/user')
      .header('host', host)
      .header('accept-language', 'de')
    response.assertStatus(401)
    assert.equal(response.header('content-language'), 'en')
    assert.equal(errorsOf(response.body())[0].message, 'Authentication required')
  })

  test('VineJS validation errors come in Swedish and name the field', async ({
    client,
    assert,
  }) => {
    const { host } = await givenOrganisation()
    const send = (language: string) =>
      client
        .post('/api/auth/login')
        .header('host', host)
        .header('accept-language', language)
        .json({ email: 'not-an-email' })
    const en = await send('en')
    const sv = await send('sv')
    en.assertStatus(422)
    sv.assertStatus(422)
    const byField = (body: unknown) =>
      Object.fromEntries(errorsOf(body).map((error) => [error.field, error]))
    const [enErrors, svErrors] = [byField(en.body()), byField(sv.body())]
    assert.equal(svErrors.email.code, 'validation.failed')
    assert.equal(svErrors.email.rule, enErrors.email.rule)
    assert.equal(svErrors.email.message, 'Fältet email måste vara en giltig e-postadress')
    assert.equal(svErrors.password.message, 'Fältet password måste anges')
    assert.notEqual(enErrors.password.message, svErrors.password.message)
    assert.include(enErrors.password.message, 'password')
  })

  test('field errors raised by actions are translated by rule', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const session = await loginBrowser(client, host, user)
    const response = await asBrowser(client.post('/api/user/password'), session)
      .header('accept-language', 'sv')
      .json({ current_password: 'wrong password!', new_password: 'a new long passphrase 123' })
    response.assertStatus(422)
    const [error] = errorsOf(response.body())
    assert.equal(error.code, 'validation.failed')
    assert.equal(error.field, 'current_password')
    assert.equal(error.message, 'Lösenordet i fältet current_password stämmer inte')
  })

  test('errors before routing (unknown route, unknown host) are localised too', async ({
    client,
    assert,
  }) => {
    const { host } = await givenOrganisation()
    const unknownRoute = await client
      .get('/api/no-such-thing')
      .header('host', host)
      .header('accept-language', 'sv')
    unknownRoute.assertStatus(404)
    assert.equal(errorsOf(unknownRoute.body())[0].code, 'not_found')
    assert.equal(errorsOf(unknownRoute.body())[0].message, 'Hittades inte')
    assert.equal(unknownRoute.header('content-language'), 'sv')
    const unknownHost = await client
      .get('/api/organisation')
      .header('host', 'unknown.invalid')
      .header('accept-language', 'sv')
    unknownHost.assertStatus(404)
    assert.equal(errorsOf(unknownHost.body())[0].message, 'Hittades inte')
  })

  test('successful API answers carry Content-Language; admin pages do not', async ({
    client,
    assert,
  }) => {
    const { host } = await givenOrganisation()
    const api = await client
      .get('/api/organisation')
      .header('host', host)
      .header('accept-language', 'sv')
    api.assertStatus(200)
    assert.equal(api.header('content-language'), 'sv')
    assert.include(String(api.header('vary')), 'Accept-Language')
    const admin = await client
      .get('/admin/login')
      .header('host', host)
      .header('accept-language', 'sv')
    assert.isUndefined(admin.header('content-language'))
  })
})
