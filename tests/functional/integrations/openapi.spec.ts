import { test } from '@japa/runner'
import { apiRoutes, routeOperations } from '#services/openapi/document'
import { documentedResponses } from '#services/openapi/responses'
import { validScopes } from '#domain/integrations/api_keys'
import { givenOrganisation } from '#tests/helpers/world'

/**
 * The OpenAPI document (beyond.md B-ADD-11) against the router itself: a
 * route missing from the document, or an operation without a route, fails.
 */
test.group('OpenAPI | /api/openapi.json', () => {
  test('every /api route is in the document and every documented operation is a route', async ({
    client,
    assert,
  }) => {
    const { host } = await givenOrganisation()
    const response = await client.get('/api/openapi.json').header('host', host)
    response.assertStatus(200)
    const document = response.body()
    assert.equal(document.openapi, '3.1.0')

    const documented = new Set<string>()
    for (const [path, operations] of Object.entries(document.paths as Record<string, object>)) {
      for (const method of Object.keys(operations)) documented.add(`${method} ${path}`)
    }
    const routed = routeOperations()
    assert.isAbove(routed.size, 20)
    const missing = [...routed].filter((operation) => !documented.has(operation))
    const extra = [...documented].filter((operation) => !routed.has(operation))
    assert.deepEqual(missing, [], 'routes missing from the OpenAPI document')
    assert.deepEqual(extra, [], 'documented operations without a route')
    // Spot checks that the comparison is about the real routes.
    for (const operation of [
      'get /api/openapi.json',
      'post /api/meeting-api-keys',
      'get /api/token-api/meeting',
    ]) {
      assert.isTrue(documented.has(operation), operation)
    }
  })

  test('operation ids are unique and every operation has responses and security', async ({
    client,
    assert,
  }) => {
    const { host } = await givenOrganisation()
    const document = (await client.get('/api/openapi.json').header('host', host)).body()
    const ids: string[] = []
    for (const operations of Object.values(document.paths as Record<string, Record<string, any>>)) {
      for (const operation of Object.values(operations)) {
        ids.push(operation.operationId)
        assert.isObject(operation.responses)
        assert.isArray(operation.security)
      }
    }
    assert.equal(new Set(ids).size, ids.length)
  })

  test('request bodies, query parameters, security and scopes come from validators and middleware', async ({
    client,
    assert,
  }) => {
    const { host } = await givenOrganisation()
    const document = (await client.get('/api/openapi.json').header('host', host)).body()

    const create = document.paths['/api/meeting-api-keys'].post
    const body = create.requestBody.content['application/json'].schema
    assert.sameMembers(body.required, ['meeting', 'name', 'scopes'])
    assert.deepEqual(body.properties.scopes.items.enum, [...validScopes])
    assert.deepEqual(create.security, [{ session: [] }, { bearer: [] }])
    assert.deepEqual(create.responses['201'].content['application/json'].schema, {
      $ref: '#/components/schemas/IssuedMeetingApiKey',
    })
    assert.notProperty(create.responses, '200')
    assert.property(document.components.schemas.MeetingApiKey.properties, 'last_used')

    const list = document.paths['/api/meeting-api-keys'].get
    const meeting = list.parameters.find(
      (parameter: { name: string }) => parameter.name === 'meeting'
    )
    assert.equal(meeting.in, 'query')
    assert.isTrue(meeting.required)

    const tokenApi = document.paths['/api/token-api/invites/{id}/add-roles'].post
    assert.equal(tokenApi['x-required-scope'], 'invites.add_roles')
    assert.deepEqual(tokenApi.security, [{ apiKey: [] }])
    assert.equal(tokenApi.parameters[0].name, 'id')
    assert.equal(tokenApi.parameters[0].in, 'path')

    // Validators used through a helper method (`this.change(…)`) are found too.
    const login = document.paths['/api/auth/login'].post
    assert.sameMembers(login.requestBody.content['application/json'].schema.required, [
      'email',
      'password',
    ])
    assert.deepEqual(document.paths['/api/openapi.json'].get.security, [])
  })

  test('the browsable page renders the document without external assets', async ({
    client,
    assert,
  }) => {
    const { host } = await givenOrganisation()
    const response = await client.get('/api-docs').header('host', host)
    response.assertStatus(200)
    assert.include(response.text(), '/api/meeting-api-keys')
    assert.include(response.text(), 'invites.add_roles')
    assert.notMatch(response.text(), /<script[^>]+src=|<link[^>]+href="https?:/)
  })

  test('hand-written response entries name existing routes (no stale documentation)', async ({
    assert,
  }) => {
    const names = new Set(apiRoutes().map((route) => route.name))
    const stale = Object.keys(documentedResponses).filter((name) => !names.has(name))
    assert.deepEqual(stale, [])
  })
})
