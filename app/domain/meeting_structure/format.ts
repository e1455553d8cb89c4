/**
 * The meeting structure file (domain §21, D60): YAML with the top-level keys `format_version`,
 * `exported_at`, `source`, `options`, `meeting`, `groups`, `group_roles`, `agenda_items` (with
 * nested `proposals`, `text_documents`, `discussion_posts`), `reaction_buttons`, `reactions`,
 * `notes` and `signature`. Primary keys are placeholders (`_123`) remapped on import; users are
 * referred to by email and userid so a file can move between organisations.
 * Framework-free: parsing with line numbers, reference checks, HMAC signature.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { stringify } from 'yaml'
import { meetingRoleAliases, meetingRoles, type MeetingRoleCode } from '../permissions/roles.js'
import {
  boolean,
  dict,
  integer,
  list,
  nullable,
  object,
  oneOf,
  parseYaml,
  plain,
  string,
  type Field,
  type SchemaIssue,
} from '../dialects/yaml_schema.js'

export const STRUCTURE_FORMAT_VERSION = 1
/** Domain §21: 2 MB per file. */
export const MAX_STRUCTURE_BYTES = 2 * 1024 * 1024

export interface ExportOptions {
  include_groups: boolean
  include_proposals: boolean
  include_discussions: boolean
  include_buttons: boolean
  include_reactions: boolean
  include_notes: boolean
  clear_authors: boolean
  clear_group_authors: boolean
  clear_ai_states: boolean
  clear_proposal_states: boolean
  clear_proposal_id: boolean
}

export const defaultExportOptions: ExportOptions = {
  include_groups: true,
  include_proposals: true,
  include_discussions: true,
  include_buttons: true,
  include_reactions: false,
  include_notes: false,
  clear_authors: false,
  clear_group_authors: false,
  clear_ai_states: false,
  clear_proposal_states: false,
  clear_proposal_id: false,
}

export interface ImportOptions {
  /** match groups by `groupid` instead of creating them */
  use_existing_groups: boolean
  /** referenced users become participants (`pa`) */
  add_participants: boolean
  /** a user of the file that does not exist here: refuse the import, or blank the reference */
  missing_users: 'error' | 'blank'
}

export const defaultImportOptions: ImportOptions = {
  use_existing_groups: false,
  add_participants: false,
  missing_users: 'blank',
}

export interface UserRef {
  email: string | null
  userid: string | null
}

export type Ref = string

export interface StructureFile {
  format_version: number
  exported_at: string
  source: { host: string | null; meeting: number | null }
  options: Partial<ExportOptions>
  meeting: {
    title: string
    body: string
    er_policy_name: string | null
    proposal_id_policy_name: string | null
    group_votes_active: boolean
    group_roles_active: boolean
    default_secret_polls: boolean
    installed_dialect: string | null
  }
  group_roles: Array<{ id: Ref; title: string; role_id: string; roles: MeetingRoleCode[] }>
  groups: Array<{
    id: Ref
    title: string
    groupid: string
    body: string
    votes: number | null
    tags: string[]
    post_as: boolean
    show_on_speaker: boolean
    delegate_to: Ref | null
    memberships: Array<{ user: UserRef; role: Ref | null; votes: number | null }>
  }>
  agenda_items: Array<{
    id: Ref
    title: string
    body: string
    state: string
    order: number
    tags: string[]
    block_discussion: boolean
    block_proposals: boolean
    text_documents: Array<{
      id: Ref
      title: string
      body: string
      base_tag: string
      author: UserRef | null
      paragraphs: Array<{ id: Ref; paragraph_id: number; body: string }>
    }>
    proposals: Array<{
      id: Ref
      shortname: 'proposal' | 'diff_proposal'
      prop_id: string | null
      body: string
      state: string
      tags: string[]
      author: UserRef | null
      meeting_group: Ref | null
      as_group: boolean
      paragraph: Ref | null
      created: string | null
    }>
    discussion_posts: Array<{
      id: Ref
      body: string
      tags: string[]
      author: UserRef | null
      meeting_group: Ref | null
      as_group: boolean
      created: string | null
    }>
  }>
  reaction_buttons: Array<{
    id: Ref
    title: string
    description: string
    icon: string
    color: string
    change_roles: MeetingRoleCode[]
    list_roles: MeetingRoleCode[]
    allowed_models: Array<'proposal' | 'discussion_post'>
    flag_mode: boolean
    vote_template: boolean
    on_presentation: boolean
    on_vote: boolean
    target: number | null
    order: number
    active: boolean
  }>
  reactions: Array<{
    button: Ref
    user: UserRef
    content_type: 'proposal' | 'discussion_post'
    object: Ref
  }>
  notes: Array<{ user: UserRef; proposal: Ref; body: string; intent: string | null }>
  signature: string | null
}

export const placeholder = (id: number | string) => `_${id}`
const REF = /^_[A-Za-z0-9]+$/
const ref = string({ pattern: REF, patternMessage: 'must be a placeholder like _12' })
const text = (max = 100_000) => string({ max, allowEmpty: true })
const role = oneOf<MeetingRoleCode>(
  Object.keys(meetingRoles) as MeetingRoleCode[],
  'unknown_role',
  'meeting role',
  meetingRoleAliases
)
const roles = list(role, { uniqueBy: (code) => code })
const tags = list(string({ max: 100 }))
const userRef = object({
  email: { field: nullable(string({ max: 254 })), default: null },
  userid: { field: nullable(string({ max: 100 })), default: null },
})
const optionalUser = nullable(userRef)
const stamp = nullable(string({ max: 40 }))

const structureShape = object({
  format_version: { field: integer({ min: 1, max: STRUCTURE_FORMAT_VERSION }), required: true },
  exported_at: { field: string({ max: 40 }), default: '' },
  source: {
    field: object({
      host: { field: nullable(string({ max: 255 })), default: null },
      meeting: { field: nullable(integer({ min: 1 })), default: null },
    }),
    default: { host: null, meeting: null },
  },
  options: { field: dict(plain()), default: {} },
  meeting: {
    field: object({
      title: { field: string({ max: 100 }), required: true },
      body: { field: text(), default: '' },
      er_policy_name: { field: nullable(string({ max: 30 })), default: null },
      proposal_id_policy_name: { field: nullable(string({ max: 30 })), default: null },
      group_votes_active: { field: boolean(), default: false },
      group_roles_active: { field: boolean(), default: false },
      // Files written before the setting existed: the old behaviour (secret by default).
      default_secret_polls: { field: boolean(), default: true },
      installed_dialect: { field: nullable(string({ max: 60 })), default: null },
    }),
    required: true,
  },
  group_roles: {
    field: list(
      object({
        id: { field: ref, required: true },
        title: { field: string({ max: 100 }), required: true },
        role_id: { field: string({ max: 50 }), required: true },
        roles: { field: roles, default: [] },
      })
    ),
    default: [],
  },
  groups: {
    field: list(
      object({
        id: { field: ref, required: true },
        title: { field: string({ max: 100 }), required: true },
        groupid: {
          field: string({
            max: 100,
            pattern: /^[a-z0-9][a-z0-9_-]*$/,
            patternMessage: 'must be a slug',
          }),
          required: true,
        },
        body: { field: text(), default: '' },
        votes: { field: nullable(integer({ min: 0 })), default: null },
        tags: { field: tags, default: [] },
        post_as: { field: boolean(), default: false },
        show_on_speaker: { field: boolean(), default: true },
        delegate_to: { field: nullable(ref), default: null },
        memberships: {
          field: list(
            object({
              user: { field: userRef, required: true },
              role: { field: nullable(ref), default: null },
              votes: { field: nullable(integer({ min: 0 })), default: null },
            })
          ),
          default: [],
        },
      })
    ),
    default: [],
  },
  agenda_items: {
    field: list(
      object({
        id: { field: ref, required: true },
        title: { field: string({ max: 100 }), required: true },
        body: { field: text(), default: '' },
        state: {
          field: oneOf(
            ['private', 'upcoming', 'ongoing', 'closed', 'archived'] as const,
            'invalid',
            'agenda item state'
          ),
          default: 'private',
        },
        order: { field: integer({ min: 0 }), default: 0 },
        tags: { field: tags, default: [] },
        block_discussion: { field: boolean(), default: false },
        block_proposals: { field: boolean(), default: false },
        text_documents: {
          field: list(
            object({
              id: { field: ref, required: true },
              title: { field: string({ max: 100, allowEmpty: true }), default: '' },
              body: { field: text(), default: '' },
              base_tag: { field: string({ max: 40 }), required: true },
              author: { field: optionalUser, default: null },
              paragraphs: {
                field: list(
                  object({
                    id: { field: ref, required: true },
                    paragraph_id: { field: integer({ min: 1 }), required: true },
                    body: { field: text(), default: '' },
                  })
                ),
                default: [],
              },
            })
          ),
          default: [],
        },
        proposals: {
          field: list(
            object({
              id: { field: ref, required: true },
              shortname: {
                field: oneOf(['proposal', 'diff_proposal'] as const, 'invalid', 'proposal kind'),
                default: 'proposal',
              },
              prop_id: { field: nullable(string({ max: 60 })), default: null },
              body: { field: text(), default: '' },
              state: {
                field: oneOf(
                  ['published', 'approved', 'denied', 'unhandled', 'retracted', 'voting'] as const,
                  'invalid',
                  'proposal state'
                ),
                default: 'published',
              },
              tags: { field: tags, default: [] },
              author: { field: optionalUser, default: null },
              meeting_group: { field: nullable(ref), default: null },
              as_group: { field: boolean(), default: false },
              paragraph: { field: nullable(ref), default: null },
              created: { field: stamp, default: null },
            })
          ),
          default: [],
        },
        discussion_posts: {
          field: list(
            object({
              id: { field: ref, required: true },
              body: { field: text(), default: '' },
              tags: { field: tags, default: [] },
              author: { field: optionalUser, default: null },
              meeting_group: { field: nullable(ref), default: null },
              as_group: { field: boolean(), default: false },
              created: { field: stamp, default: null },
            })
          ),
          default: [],
        },
      })
    ),
    default: [],
  },
  reaction_buttons: {
    field: list(
      object({
        id: { field: ref, required: true },
        title: { field: string({ max: 100 }), required: true },
        description: { field: text(500), default: '' },
        icon: { field: text(50), default: '' },
        color: { field: text(20), default: '' },
        change_roles: { field: roles, default: ['pa'] },
        list_roles: { field: roles, default: ['mo'] },
        allowed_models: {
          field: list(oneOf(['proposal', 'discussion_post'] as const, 'invalid', 'content type')),
          default: ['proposal', 'discussion_post'],
        },
        flag_mode: { field: boolean(), default: false },
        vote_template: { field: boolean(), default: false },
        on_presentation: { field: boolean(), default: false },
        on_vote: { field: boolean(), default: false },
        target: { field: nullable(integer({ min: 1 })), default: null },
        order: { field: integer({ min: 0 }), default: 0 },
        active: { field: boolean(), default: true },
      })
    ),
    default: [],
  },
  reactions: {
    field: list(
      object({
        button: { field: ref, required: true },
        user: { field: userRef, required: true },
        content_type: {
          field: oneOf(['proposal', 'discussion_post'] as const, 'invalid', 'content type'),
          required: true,
        },
        object: { field: ref, required: true },
      })
    ),
    default: [],
  },
  notes: {
    field: list(
      object({
        user: { field: userRef, required: true },
        proposal: { field: ref, required: true },
        body: { field: text(), default: '' },
        intent: { field: nullable(string({ max: 20 })), default: null },
      })
    ),
    default: [],
  },
  signature: { field: nullable(string({ max: 128 })), default: null },
}) as Field<StructureFile>

export type ParseStructureResult =
  { ok: true; file: StructureFile } | { ok: false; issues: SchemaIssue[] }

/**
 * Parses and checks a structure file: YAML syntax, no anchors or aliases, known keys and types
 * (each problem with line and key), unique placeholders and resolvable references.
 */
export function parseStructure(source: string): ParseStructureResult {
  const { doc, walker } = parseYaml(source)
  if (!doc) return { ok: false, issues: walker.issues }
  const file = structureShape(walker, doc.contents as never, '')
  if (!file || walker.issues.length) return { ok: false, issues: walker.issues }
  const issues = checkReferences(file)
  return issues.length ? { ok: false, issues } : { ok: true, file }
}

function checkReferences(file: StructureFile): SchemaIssue[] {
  const issues: SchemaIssue[] = []
  const seen = new Set<string>()
  const problem = (key: string, message: string) =>
    issues.push({ line: 1, column: 1, key, code: 'reference', message })
  const declare = (id: string, key: string) => {
    if (seen.has(id)) problem(key, `placeholder ${id} is used twice`)
    seen.add(id)
  }
  const roleIds = new Set(file.group_roles.map((r) => r.id))
  const groupIds = new Set(file.groups.map((g) => g.id))
  file.group_roles.forEach((r, i) => declare(r.id, `group_roles.${i}.id`))
  file.groups.forEach((g, i) => {
    declare(g.id, `groups.${i}.id`)
    if (g.delegate_to !== null && !groupIds.has(g.delegate_to))
      problem(`groups.${i}.delegate_to`, `no group ${g.delegate_to}`)
    g.memberships.forEach((m, j) => {
      if (m.role !== null && !roleIds.has(m.role))
        problem(`groups.${i}.memberships.${j}.role`, `no group role ${m.role}`)
    })
  })
  const objects = new Map<string, 'proposal' | 'discussion_post'>()
  file.agenda_items.forEach((item, i) => {
    declare(item.id, `agenda_items.${i}.id`)
    const paragraphs = new Set<string>()
    item.text_documents.forEach((doc, d) => {
      declare(doc.id, `agenda_items.${i}.text_documents.${d}.id`)
      doc.paragraphs.forEach((p, k) => {
        declare(p.id, `agenda_items.${i}.text_documents.${d}.paragraphs.${k}.id`)
        paragraphs.add(p.id)
      })
    })
    item.proposals.forEach((p, k) => {
      const key = `agenda_items.${i}.proposals.${k}`
      declare(p.id, `${key}.id`)
      objects.set(p.id, 'proposal')
      if (p.meeting_group !== null && !groupIds.has(p.meeting_group))
        problem(`${key}.meeting_group`, `no group ${p.meeting_group}`)
      if (
        p.shortname === 'diff_proposal' &&
        (p.paragraph === null || !paragraphs.has(p.paragraph))
      ) {
        problem(
          `${key}.paragraph`,
          'an amendment needs a paragraph of a text document of the same agenda item'
        )
      }
      if (p.shortname === 'proposal' && p.paragraph !== null)
        problem(`${key}.paragraph`, 'only amendments refer to a paragraph')
    })
    item.discussion_posts.forEach((post, k) => {
      const key = `agenda_items.${i}.discussion_posts.${k}`
      declare(post.id, `${key}.id`)
      objects.set(post.id, 'discussion_post')
      if (post.meeting_group !== null && !groupIds.has(post.meeting_group))
        problem(`${key}.meeting_group`, `no group ${post.meeting_group}`)
    })
  })
  const buttons = new Set(file.reaction_buttons.map((b) => b.id))
  file.reaction_buttons.forEach((b, i) => declare(b.id, `reaction_buttons.${i}.id`))
  file.reactions.forEach((r, i) => {
    if (!buttons.has(r.button)) problem(`reactions.${i}.button`, `no reaction button ${r.button}`)
    if (objects.get(r.object) !== r.content_type)
      problem(`reactions.${i}.object`, `no ${r.content_type} ${r.object}`)
  })
  file.notes.forEach((n, i) => {
    if (objects.get(n.proposal) !== 'proposal')
      problem(`notes.${i}.proposal`, `no proposal ${n.proposal}`)
  })
  return issues
}

/** Canonical JSON (sorted keys) of the content without `signature`: what the HMAC covers. */
export function canonicalContent(
  file: Omit<StructureFile, 'signature'> & { signature?: unknown }
): string {
  const content: Record<string, unknown> = { ...file }
  delete content.signature
  const sort = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sort)
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value as object)
          .sort()
          .map((key) => [key, sort((value as Record<string, unknown>)[key])])
      )
    }
    return value
  }
  return JSON.stringify(sort(content))
}

export function signStructure(file: Omit<StructureFile, 'signature'>, secret: string): string {
  return createHmac('sha256', secret).update(canonicalContent(file), 'utf8').digest('hex')
}

/** D60: a quality marker, not a security control; an invalid signature does not block import. */
export function signatureValid(file: StructureFile, secret: string): boolean {
  if (!file.signature || !/^[0-9a-f]{64}$/.test(file.signature)) return false
  const expected = Buffer.from(signStructure(file, secret), 'hex')
  return timingSafeEqual(expected, Buffer.from(file.signature, 'hex'))
}

/** The YAML text of a signed file (keys in the documented order, signature last). */
export function renderStructure(content: Omit<StructureFile, 'signature'>, secret: string): string {
  const signature = signStructure(content, secret)
  return stringify({ ...content, signature }, { aliasDuplicateObjects: false, lineWidth: 0 })
}

export function structureCounts(file: StructureFile) {
  const items = file.agenda_items
  return {
    agenda_items: items.length,
    proposals: items.reduce((sum, item) => sum + item.proposals.length, 0),
    text_documents: items.reduce((sum, item) => sum + item.text_documents.length, 0),
    discussion_posts: items.reduce((sum, item) => sum + item.discussion_posts.length, 0),
    groups: file.groups.length,
    group_roles: file.group_roles.length,
    memberships: file.groups.reduce((sum, group) => sum + group.memberships.length, 0),
    reaction_buttons: file.reaction_buttons.length,
    reactions: file.reactions.length,
    notes: file.notes.length,
  }
}
