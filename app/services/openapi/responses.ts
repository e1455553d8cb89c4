/**
 * Response shapes the generator cannot read from the code: the documented
 * success responses of operations, by route name, and the schemas they use.
 * An operation without an entry is described generically ("Success").
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const list = (item: object) => ({
  type: 'object',
  required: ['data'],
  properties: { data: { type: 'array', items: item }, meta: ref('ListMeta') },
})

export interface DocumentedResponse {
  status: '200' | '201' | '204'
  description: string
  schema?: object
}

export const documentedResponses: Record<string, DocumentedResponse> = {
  'api.user.messages': {
    status: '200',
    description: 'Messages, oldest first',
    schema: { type: 'array', items: ref('LoginMessage') },
  },
  'api.account_link_options.index': {
    status: '200',
    description: 'The accounts to choose from',
    schema: {
      type: 'object',
      properties: {
        data: { type: 'array', items: ref('UserSummary') },
        provider: { type: ['string', 'null'] },
        next: { type: 'string' },
      },
    },
  },
  'api.account_link_options.choose': {
    status: '200',
    description: 'Logged in; go to `next`',
    schema: { type: 'object', properties: { user: { type: 'object' }, next: { type: 'string' } } },
  },
  'api.user.connections.index': {
    status: '200',
    description: 'Connected login methods',
    schema: list(ref('Connection')),
  },
  'api.user.connections.disconnect': { status: '204', description: 'Disconnected' },
  'api.meeting_api_keys.scopes': {
    status: '200',
    description: 'Valid scopes',
    schema: { type: 'object', properties: { data: { type: 'array', items: { type: 'string' } } } },
  },
  'api.meeting_api_keys.index': {
    status: '200',
    description: 'Keys of the meeting',
    schema: list(ref('MeetingApiKey')),
  },
  'api.meeting_api_keys.show': {
    status: '200',
    description: 'The key (no secret)',
    schema: ref('MeetingApiKey'),
  },
  'api.meeting_api_keys.store': {
    status: '201',
    description: 'The new key; `key` is shown only now',
    schema: ref('IssuedMeetingApiKey'),
  },
  'api.meeting_api_keys.cycle': {
    status: '201',
    description: 'The replacement key; `key` is shown only now',
    schema: ref('IssuedMeetingApiKey'),
  },
  'api.meeting_api_keys.destroy': { status: '204', description: 'Revoked (kept for audit)' },
  'api.token_api.meeting': {
    status: '200',
    description: "The key's meeting (204 without a key)",
    schema: { type: 'object' },
  },
  'api.token_api.invites.index': {
    status: '200',
    description: 'Invites of the key meeting',
    schema: list(ref('MeetingInvite')),
  },
  'api.token_api.invites.store': {
    status: '200',
    description: 'Invite statistics',
    schema: {
      type: 'object',
      properties: {
        invites: {
          type: 'object',
          properties: {
            added: { type: 'integer' },
            changed: { type: 'integer' },
            existed: { type: 'integer' },
          },
        },
        annotations: { type: 'array', items: { type: 'object' } },
        dryrun: { type: 'boolean' },
      },
    },
  },
  'api.token_api.invites.show': {
    status: '200',
    description: 'The invite',
    schema: ref('MeetingInvite'),
  },
  'api.token_api.invites.destroy': { status: '204', description: 'Deleted' },
  'api.token_api.invites.add_roles': {
    status: '200',
    description: 'The invite',
    schema: ref('MeetingInvite'),
  },
  'api.token_api.invites.remove_roles': {
    status: '200',
    description: 'The invite',
    schema: ref('MeetingInvite'),
  },
}

const nullableTime = { type: ['string', 'null'], format: 'date-time' }

export const responseSchemas = {
  ListMeta: {
    type: 'object',
    properties: {
      total: { type: 'integer' },
      per_page: { type: 'integer' },
      current_page: { type: 'integer' },
      last_page: { type: 'integer' },
    },
  },
  LoginMessage: {
    type: 'object',
    required: ['level', 'level_tag', 'message', 'tags'],
    properties: {
      level: { type: 'integer' },
      level_tag: { enum: ['debug', 'info', 'success', 'warning', 'error'] },
      message: { type: 'string' },
      tags: { type: 'string' },
    },
  },
  UserSummary: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      userid: { type: ['string', 'null'] },
      first_name: { type: 'string' },
      last_name: { type: 'string' },
      email: { type: ['string', 'null'] },
      img_url: { type: ['string', 'null'] },
      image_url: { type: ['string', 'null'] },
    },
  },
  Connection: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      provider: { type: 'string' },
      uid: { type: 'string' },
      created: { type: 'string', format: 'date-time' },
    },
  },
  MeetingApiKey: {
    type: 'object',
    required: ['prefix', 'name', 'meeting', 'scopes', 'created', 'expiry', 'revoked', 'last_used'],
    properties: {
      prefix: { type: 'string' },
      name: { type: 'string' },
      meeting: { type: 'integer' },
      scopes: { type: 'array', items: { type: 'string' } },
      created: { type: 'string', format: 'date-time' },
      expiry: { type: 'string', format: 'date-time' },
      revoked: nullableTime,
      last_used: nullableTime,
      active: { type: 'boolean' },
      user: { type: 'integer', description: "The key's system user (the audit actor)" },
    },
  },
  IssuedMeetingApiKey: {
    allOf: [
      { $ref: '#/components/schemas/MeetingApiKey' },
      {
        type: 'object',
        required: ['key'],
        properties: { key: { type: 'string', description: '`prefix.secret`; shown once' } },
      },
    ],
  },
  MeetingInvite: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      rev: { type: 'integer' },
      meeting: { type: 'integer' },
      state: { enum: ['open', 'accepted', 'rejected', 'revoked', 'expired'] },
      roles: { type: 'array', items: { type: 'string' } },
      user_data: { type: 'object', description: 'Masked identity data' },
      has_annotations: { type: 'boolean' },
      used_by: { type: ['integer', 'null'] },
      used_at: nullableTime,
      created: { type: 'string', format: 'date-time' },
      modified: { type: 'string', format: 'date-time' },
    },
  },
}
