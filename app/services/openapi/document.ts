import { readFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import type { TokenApiOptions } from '#middleware/api_key_middleware'
import { documentedResponses, responseSchemas } from '#services/openapi/responses'

/**
 * The OpenAPI 3.1 document of the JSON API (beyond.md B-ADD-11, api.md §1),
 * generated from the router's own route list so that it cannot drift:
 * every /api route is an operation. Request bodies and query parameters come
 * from the VineJS validators the handler uses (`validateUsing(x)`, found in
 * the controller's source and exported as JSON Schema by VineJS), security
 * from the route's middleware, and the token-API scope from its middleware.
 * `describeOperation` adds the summaries the generator cannot know.
 */

type JsonSchema = Record<string, unknown>
export interface OpenApiOperation {
  'operationId': string
  'summary': string
  'description'?: string
  'tags': string[]
  'parameters': Array<Record<string, unknown>>
  'requestBody'?: Record<string, unknown>
  'responses': Record<string, unknown>
  'security'?: Array<Record<string, string[]>>
  'x-required-scope'?: string
  'x-validators'?: string[]
}
export interface OpenApiDocument {
  openapi: '3.1.0'
  info: Record<string, unknown>
  servers: Array<{ url: string; description?: string }>
  tags: Array<{ name: string }>
  paths: Record<string, Record<string, OpenApiOperation>>
  components: Record<string, unknown>
}

/** Human summaries for operations whose route name does not say enough. */
const summaries: Record<string, string> = {
  'api.organisation.show': 'The organisation of the host',
  'api.user.show': 'The current user',
  'api.user.messages': 'Login messages (read once; works anonymously)',
  'api.account_link_options.index': 'Accounts to choose from for a paused provider login',
  'api.account_link_options.choose': 'Complete a paused provider login with the chosen account',
  'api.meeting_api_keys.scopes': 'Valid meeting API key scopes (public)',
  'api.meeting_api_keys.store': 'Issue a meeting API key (the key is shown once)',
  'api.meeting_api_keys.destroy': 'Revoke a meeting API key (kept for audit)',
  'api.meeting_api_keys.cycle': 'Replace a meeting API key by a fresh one',
  'api.token_api.meeting': "The API key's meeting",
  'api.openapi': 'This document',
  'api.polls.ballot': "Accessible ballot description with the caller's current choice (B-NEW-05)",
  'api.polls.ballots': 'Counted ballots in random order, after close',
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Errors' } } },
})

/** An API route as the router reports it. */
export interface ApiRoute {
  pattern: string
  methods: string[]
  name?: string
  handler: unknown
  middleware: { all(): Set<unknown> }
}

/** api.md §1: authenticated POSTs accept Idempotency-Key (#services/idempotency). */
const idempotencyKeyParameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  schema: { type: 'string', minLength: 1, maxLength: 255 },
  description:
    'Authenticated requests: a repeat with the same key and request within 24 hours gets the first answer again (header Idempotent-Replayed: true); the same key with another request is a 422, a repeat while the first runs a 409.',
}

export function apiRoutes(): ApiRoute[] {
  const byDomain = router.toJSON()
  return Object.values(byDomain)
    .flat()
    .filter((route) => route.pattern.startsWith('/api/') && !route.pattern.includes('*'))
    .map((route) => route as unknown as ApiRoute)
}

/** `/api/things/:id` → `/api/things/{id}` */
export const openApiPath = (pattern: string) => pattern.replace(/:(\w+)\??/g, '{$1}')

/** The operations (method + path) the router serves under /api. */
export function routeOperations(routes = apiRoutes()): Set<string> {
  const operations = new Set<string>()
  for (const route of routes) {
    for (const method of route.methods) {
      if (method === 'HEAD') continue
      operations.add(`${method.toLowerCase()} ${openApiPath(route.pattern)}`)
    }
  }
  return operations
}

let cached: OpenApiDocument | null = null

export async function openApiDocument(): Promise<OpenApiDocument> {
  if (!cached || !app.inProduction) cached = await buildDocument(apiRoutes())
  return cached
}

export async function buildDocument(routes: ApiRoute[]): Promise<OpenApiDocument> {
  const paths: OpenApiDocument['paths'] = {}
  const tags = new Set<string>()
  const usedIds = new Set<string>()

  for (const route of routes) {
    const path = openApiPath(route.pattern)
    const tag = route.pattern.split('/')[2] || 'api'
    tags.add(tag)
    const handler = await handlerInfo(route.handler)
    const middleware = [...route.middleware.all()]
    const named = middleware.map((entry) => (entry as { name?: string }).name).filter(Boolean)
    const tokenApi = middleware
      .map((entry) => (entry as { tokenApi?: TokenApiOptions }).tokenApi)
      .find(Boolean)

    for (const method of route.methods) {
      if (method === 'HEAD') continue
      const lower = method.toLowerCase()
      let operationId = route.name ?? `${lower}_${path}`
      if (usedIds.has(operationId)) operationId = `${operationId}.${lower}`
      usedIds.add(operationId)

      const operation: OpenApiOperation = {
        operationId,
        summary: summaries[route.name ?? ''] ?? summaryFromName(route.name, lower, path),
        tags: [tag],
        parameters: pathParameters(route.pattern),
        responses: {
          '200': { description: 'Success', content: { 'application/json': { schema: {} } } },
          '401': errorResponse('Not authenticated (api.md §3.7)'),
          '403': errorResponse('Not permitted'),
          '404': errorResponse('Not found or not visible'),
          '422': errorResponse('Invalid input or a refused business rule'),
          '429': errorResponse('Rate limited'),
        },
      }
      if (method === 'POST') operation.parameters.push(idempotencyKeyParameter)
      const documented = documentedResponses[route.name ?? '']
      if (documented) {
        delete operation.responses['200']
        operation.responses[documented.status] = {
          description: documented.description,
          ...(documented.schema
            ? { content: { 'application/json': { schema: documented.schema } } }
            : {}),
        }
      } else {
        if (lower === 'post') operation.responses['201'] = { description: 'Created' }
        if (lower === 'delete' || lower === 'post')
          operation.responses['204'] = { description: 'No content' }
      }

      if (tokenApi) {
        operation.security = [{ apiKey: [] }]
        operation['x-required-scope'] = tokenApi.scope
        if (tokenApi.read) operation.security.push({ session: [] }, { bearer: [] })
      } else if (named.includes('auth')) {
        operation.security = [{ session: [] }, { bearer: [] }]
      } else {
        operation.security = []
      }

      for (const validator of handler?.validators ?? []) {
        const schema = await validatorSchema(handler!.controllerSource, validator)
        if (!schema) continue
        operation['x-validators'] = [...(operation['x-validators'] ?? []), validator]
        if (lower === 'get' || lower === 'delete') {
          operation.parameters.push(...queryParameters(schema, operation.parameters))
        } else if (!operation.requestBody) {
          operation.requestBody = { required: true, content: { 'application/json': { schema } } }
        }
      }
      paths[path] = { ...paths[path], [lower]: operation }
    }
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Assembly JSON API',
      version: '1',
      description:
        'Generated from the routes and validators of this server (docs/integrations.md). ' +
        'The organisation is chosen by the Host header; errors have the shape of components.schemas.Errors.',
    },
    servers: [{ url: '/', description: 'The organisation host you are using' }],
    tags: [...tags].sort().map((name) => ({ name })),
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'assembly-session',
          description:
            'Browser login; unsafe methods also need the X-XSRF-TOKEN header (api.md §3.1)',
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'Personal access token (api.md §3.3)',
        },
        apiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'Meeting API key: `Authorization: Api-Key <prefix>.<secret>` (api.md §3.4)',
        },
      },
      schemas: {
        ...responseSchemas,
        Errors: {
          type: 'object',
          required: ['errors'],
          properties: {
            errors: {
              type: 'array',
              items: {
                type: 'object',
                required: ['code', 'message'],
                properties: {
                  code: { type: 'string' },
                  message: { type: 'string' },
                  field: { type: 'string' },
                  rule: { type: 'string' },
                  meta: { type: 'object' },
                },
              },
            },
          },
        },
      },
    },
  }
}

function summaryFromName(name: string | undefined, method: string, path: string) {
  if (!name) return `${method.toUpperCase()} ${path}`
  const words = name
    .replace(/^api\./, '')
    .split(/[._]/)
    .filter(Boolean)
    .join(' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function pathParameters(pattern: string) {
  return [...pattern.matchAll(/:(\w+)(\?)?/g)].map(([, name, optional]) => ({
    name,
    in: 'path',
    required: !optional,
    schema: name === 'id' ? { type: 'integer', minimum: 1 } : { type: 'string' },
  }))
}

function queryParameters(schema: JsonSchema, existing: Array<Record<string, unknown>>) {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>
  const required = new Set((schema.required ?? []) as string[])
  return Object.entries(properties)
    .filter(([name]) => !existing.some((parameter) => parameter.name === name))
    .map(([name, property]) => ({
      name,
      in: 'query',
      required: required.has(name),
      schema: property,
    }))
}

interface HandlerInfo {
  controllerSource: ControllerSource
  validators: string[]
}

interface ControllerSource {
  text: string
  /** imported name → module specifier */
  imports: Map<string, string>
}

const sources = new Map<string, Promise<ControllerSource | null>>()

/** The controller file of a lazily imported controller, read as text. */
function controllerSource(specifier: string): Promise<ControllerSource | null> {
  let source = sources.get(specifier)
  if (!source) {
    source = (async () => {
      const match = /^#controllers\/(.+)$/.exec(specifier)
      if (!match) return null
      for (const extension of ['.ts', '.js']) {
        try {
          const text = await readFile(
            app.makePath('app/controllers', `${match[1]}${extension}`),
            'utf8'
          )
          const imports = new Map<string, string>()
          for (const [, names, from] of text.matchAll(/import\s*\{([^}]+)\}\s*from\s*'([^']+)'/g)) {
            for (const part of names.split(',')) {
              const [original, alias] = part
                .trim()
                .replace(/^type\s+/, '')
                .split(/\s+as\s+/)
              if (original) imports.set((alias ?? original).trim(), from)
            }
          }
          return { text, imports }
        } catch {}
      }
      return null
    })()
    sources.set(specifier, source)
  }
  return source
}

/** A method's body and the bodies of the `this.x()` helpers it calls. */
function methodBodies(text: string, method: string, seen = new Set<string>()): string {
  if (seen.has(method)) return ''
  seen.add(method)
  const start = new RegExp(`\\n  (?:private |protected |public )?(?:async )?${method}\\(`).exec(
    text
  )
  if (!start) return ''
  const rest = text.slice(start.index + 1)
  const end = /\n {2}(?:private |protected |public |async |static )?\w+\(|\n\}/.exec(rest.slice(1))
  const body = end ? rest.slice(0, end.index + 1) : rest
  let all = body
  for (const [, helper] of body.matchAll(/this\.(\w+)\(/g)) all += methodBodies(text, helper, seen)
  return all
}

async function handlerInfo(handler: unknown): Promise<HandlerInfo | null> {
  const info = handler as { importExpression?: string | null; method?: string }
  if (!info?.importExpression || !info.method) return null
  const specifier =
    /import\(\s*['"]([^'"]+)['"]\s*\)/.exec(info.importExpression)?.[1] ?? info.importExpression
  const source = await controllerSource(specifier)
  if (!source) return null
  const body = methodBodies(source.text, info.method)
  const validators = [
    ...new Set([...body.matchAll(/validateUsing\(\s*(\w+)/g)].map(([, name]) => name)),
  ]
  return { controllerSource: source, validators }
}

/** The validator's JSON Schema (VineJS `toJSONSchema()`), without the draft marker. */
async function validatorSchema(source: ControllerSource, name: string): Promise<JsonSchema | null> {
  const specifier = source.imports.get(name)
  if (!specifier?.startsWith('#validators/')) return null
  let schema: JsonSchema | undefined
  try {
    const module = (await import(specifier)) as Record<string, { toJSONSchema?: () => JsonSchema }>
    schema = module[name]?.toJSONSchema?.()
  } catch {
    // A validator that cannot describe itself leaves the operation without a body schema.
    return null
  }
  if (!schema) return null
  const rest = { ...schema }
  delete rest.$schema
  return rest
}
