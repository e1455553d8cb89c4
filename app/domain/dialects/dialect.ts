/**
 * Dialects: YAML meeting configuration profiles (domain §20). This module parses and validates one
 * dialect file (errors carry line, column and key), resolves `requires` (merge rules, cycles) and
 * produces the summary shape of the installable list. Framework-free.
 */
import { isMap, isScalar, type Node } from 'yaml'
import { meetingRoleAliases, meetingRoles, type MeetingRoleCode } from '../permissions/roles.js'
import {
  DIALECT_POLL_METHODS,
  DIALECT_SCRIPTS,
  ER_POLICY_NAMES,
  PROPOSAL_ID_POLICY_NAMES,
  SPEAKER_LIST_METHODS,
} from './registries.js'
import { meetingComponentNames, validateComponentSettings } from '../components/registry.js'
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
} from './yaml_schema.js'

export type DialectIssue = SchemaIssue

export const DIALECT_NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,59}$/
const SLUG = /^[a-z0-9][a-z0-9_-]{0,49}$/
const SLUG_MESSAGE = 'must be a slug (lower-case letters, digits, _ and -, at most 50)'

const meetingRoleCodes = Object.keys(meetingRoles) as MeetingRoleCode[]
/** Short codes and the legacy long names (domain §3.2). */
const role = oneOf<MeetingRoleCode>(
  meetingRoleCodes,
  'unknown_role',
  'meeting role',
  meetingRoleAliases
)
const roleList = list(role, { uniqueBy: (code) => code })

export interface DialectGroupRole {
  title: string
  role_id: string
  roles: MeetingRoleCode[]
}
export interface DialectGroup {
  title: string | null
  groupid: string
}
export interface DialectComponent {
  name: string
  settings: Record<string, unknown>
}
export interface DialectReactionButton {
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
}
export interface DialectRoom {
  title: string
  open: boolean
  send_sls: boolean
  send_proposals: boolean
  show_time: boolean
  sls: {
    method_name: string
    settings: Record<string, unknown>
    safe_positions: number
    show_time: boolean
    meeting_roles_to_speaker: MeetingRoleCode[]
  } | null
}

/** A validated (and, after `resolveDialect`, merged) dialect definition. */
export interface Dialect {
  name: string
  title: string
  description: string
  installable: boolean
  requires: string[]
  roles: DialectGroupRole[]
  groups: DialectGroup[]
  er_policy_name: string | null
  proposal_id_policy_name: string | null
  group_votes_active: boolean | null
  group_roles_active: boolean | null
  /** Meeting setting `default_secret_polls` (api.md §11.1); null leaves the meeting's value. */
  default_secret_polls: boolean | null
  groups_can_delegate: boolean
  view_components: Record<string, string>
  configure_components: DialectComponent[]
  block_components: string[]
  block_roles: MeetingRoleCode[]
  poll_methods: string[] | null
  reaction_buttons: DialectReactionButton[]
  run_scripts: string[]
  rooms: DialectRoom[]
}

type DialectBody = Omit<Dialect, 'name'>

const componentName = oneOf(meetingComponentNames(), 'unknown_component', 'meeting component')

/** `{name, settings?}` with the settings checked by the component's own schema (domain §15.1). */
const configuredComponent: Field<DialectComponent> = (w, node, path) => {
  const parsed = object({
    name: { field: componentName, required: true },
    settings: { field: plain(), default: null },
  })(w, node, path)
  if (!parsed) return undefined
  const { settings, issues } = validateComponentSettings(parsed.name, parsed.settings ?? undefined)
  if (issues.length) {
    const settingsNode = isMap(node) ? (node.get('settings', true) as Node | undefined) : undefined
    for (const issue of issues) {
      const key = issue.path ? `${path}.settings.${issue.path}` : `${path}.settings`
      w.report(settingsNode ?? node, key, 'invalid_settings', `${key}: ${issue.message}`)
    }
    return undefined
  }
  return { name: parsed.name, settings }
}

const groupRole = object({
  title: { field: string({ max: 100 }), required: true },
  role_id: { field: string({ pattern: SLUG, patternMessage: SLUG_MESSAGE }), required: true },
  roles: { field: roleList, default: [] },
})

const group = object({
  title: { field: nullable(string({ max: 100 })), default: null },
  groupid: { field: string({ pattern: SLUG, patternMessage: SLUG_MESSAGE }), required: true },
})

const reactionButton = object({
  title: { field: string({ max: 100 }), required: true },
  description: { field: string({ max: 500, allowEmpty: true }), default: '' },
  icon: { field: string({ max: 50, allowEmpty: true }), default: '' },
  color: { field: string({ max: 20, allowEmpty: true }), default: '' },
  change_roles: { field: roleList, default: ['pa'] },
  list_roles: { field: roleList, default: ['mo'] },
  allowed_models: {
    field: list(oneOf(['proposal', 'discussion_post'] as const, 'invalid', 'content type'), {
      uniqueBy: (m) => m,
    }),
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

const speakerSystem = object({
  method_name: {
    field: oneOf(SPEAKER_LIST_METHODS, 'unknown_speaker_method', 'speaker list method'),
    default: 'simple',
  },
  settings: { field: dict(plain()), default: {} },
  safe_positions: { field: integer({ min: 0, max: 3 }), default: 1 },
  show_time: { field: boolean(), default: true },
  meeting_roles_to_speaker: { field: roleList, default: ['pa'] },
})

const room = object({
  title: { field: string({ max: 100 }), required: true },
  open: { field: boolean(), default: false },
  send_sls: { field: boolean(), default: false },
  send_proposals: { field: boolean(), default: false },
  show_time: { field: boolean(), default: false },
  sls: { field: nullable(speakerSystem), default: null },
})

const dialectShape = object({
  title: { field: string({ max: 100 }), required: true },
  description: { field: string({ max: 2000, allowEmpty: true }), default: '' },
  installable: { field: boolean(), default: true },
  requires: {
    field: list(string({ pattern: DIALECT_NAME_PATTERN, patternMessage: 'must name a dialect' }), {
      uniqueBy: (n) => n,
    }),
    default: [],
  },
  roles: { field: list(groupRole, { uniqueBy: (r) => `role_id ${r.role_id}` }), default: [] },
  groups: { field: list(group, { uniqueBy: (g) => `groupid ${g.groupid}` }), default: [] },
  er_policy_name: {
    field: nullable(oneOf(ER_POLICY_NAMES, 'unknown_er_policy', 'electoral register policy')),
    default: null,
  },
  proposal_id_policy_name: {
    field: nullable(
      oneOf(PROPOSAL_ID_POLICY_NAMES, 'unknown_proposal_id_policy', 'proposal ID policy')
    ),
    default: null,
  },
  group_votes_active: { field: nullable(boolean()), default: null },
  group_roles_active: { field: nullable(boolean()), default: null },
  default_secret_polls: { field: nullable(boolean()), default: null },
  groups_can_delegate: { field: boolean(), default: false },
  view_components: { field: dict(string({ max: 50 })), default: {} },
  configure_components: {
    field: list(configuredComponent, { uniqueBy: (c) => `component ${c.name}` }),
    default: [],
  },
  block_components: { field: list(componentName, { uniqueBy: (n) => n }), default: [] },
  block_roles: { field: roleList, default: [] },
  poll_methods: {
    field: nullable(
      list(oneOf(DIALECT_POLL_METHODS, 'unknown_poll_method', 'poll method'), {
        uniqueBy: (m) => m,
      })
    ),
    default: null,
  },
  reaction_buttons: { field: list(reactionButton, { uniqueBy: buttonKey }), default: [] },
  run_scripts: {
    field: list(oneOf(Object.keys(DIALECT_SCRIPTS), 'unknown_script', 'dialect script'), {
      uniqueBy: (s) => s,
    }),
    default: [],
  },
  rooms: { field: list(room, { uniqueBy: (r) => `room ${r.title}` }), default: [] },
})

/** Reaction buttons are matched by title (case-insensitive), icon and colour (domain §14.2, §20.2). */
export function buttonKey(button: Pick<DialectReactionButton, 'title' | 'icon' | 'color'>) {
  return `button ${button.title.toLowerCase()}|${button.icon}|${button.color}`
}

export interface ParsedDialect {
  dialect: Dialect
  /** keys written in the file itself (the rest are defaults), used when merging `requires` */
  explicit: string[]
}

export type ParseResult = { ok: true; value: ParsedDialect } | { ok: false; issues: DialectIssue[] }

/**
 * Parses and validates one dialect file. `name` is the file name without extension.
 * Every issue names its line, column and key; rules that span keys are checked last.
 */
export function parseDialect(source: string, name: string): ParseResult {
  const { doc, walker } = parseYaml(source)
  if (!DIALECT_NAME_PATTERN.test(name)) {
    walker.issues.push({
      line: 1,
      column: 1,
      key: '',
      code: 'invalid_name',
      message: `dialect name "${name}" must be lower-case letters, digits, _, . and - (at most 60)`,
    })
  }
  if (!doc) return { ok: false, issues: walker.issues }
  const contents = doc.contents as Node | null
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return {
      ok: false,
      issues: [
        ...walker.issues,
        { line: 1, column: 1, key: '', code: 'type', message: 'the file is empty' },
      ],
    }
  }
  const parsed = dialectShape(walker, contents, '')
  if (parsed) {
    checkCrossKeyRules(parsed as unknown as DialectBody, contents, walker)
    if (parsed.requires.includes(name)) {
      walker.report(
        nodeAt(contents, 'requires'),
        'requires',
        'requires_cycle',
        `dialect "${name}" requires itself`
      )
    }
  }
  if (walker.issues.length || !parsed) return { ok: false, issues: walker.issues }
  const explicit = parsed.__explicit
  const body = { ...parsed }
  return { ok: true, value: { dialect: { name, ...(body as DialectBody) }, explicit } }
}

function nodeAt(root: Node, key: string): Node | null {
  return isMap(root) ? ((root.get(key, true) as Node | undefined) ?? root) : root
}

/** Rules between keys, also applied after merging `requires`. */
function checkCrossKeyRules(
  dialect: DialectBody,
  root: Node | null,
  walker: { report: (n: Node | null, k: string, c: string, m: string) => void }
) {
  dialect.configure_components.forEach((component, index) => {
    if (dialect.block_components.includes(component.name)) {
      walker.report(
        root ? nodeAt(root, 'configure_components') : null,
        `configure_components.${index}.name`,
        'blocked_component',
        `component "${component.name}" is both configured and blocked`
      )
    }
  })
  if (dialect.block_roles.includes('pa') || dialect.block_roles.includes('mo')) {
    walker.report(
      root ? nodeAt(root, 'block_roles') : null,
      'block_roles',
      'invalid',
      'block_roles cannot contain the participant or moderator role'
    )
  }
}

export type DialectLookup = (name: string) => ParsedDialect | undefined

export type ResolveResult = { ok: true; dialect: Dialect } | { ok: false; issues: DialectIssue[] }

const LIST_KEYS = [
  'roles',
  'groups',
  'configure_components',
  'block_components',
  'block_roles',
  'reaction_buttons',
  'run_scripts',
  'rooms',
] as const
const SCALAR_KEYS = [
  'title',
  'description',
  'installable',
  'er_policy_name',
  'proposal_id_policy_name',
  'group_votes_active',
  'group_roles_active',
  'default_secret_polls',
  'groups_can_delegate',
  'poll_methods',
] as const

const identity: Record<(typeof LIST_KEYS)[number], (item: any) => string> = {
  roles: (r: DialectGroupRole) => r.role_id,
  groups: (g: DialectGroup) => g.groupid,
  configure_components: (c: DialectComponent) => c.name,
  block_components: (n: string) => n,
  block_roles: (n: string) => n,
  reaction_buttons: buttonKey,
  run_scripts: (n: string) => n,
  rooms: (r: DialectRoom) => r.title,
}

/**
 * Merges `requires` (domain §20.2): the required dialects first, in order; lists are
 * concatenated and de-duplicated (an entry with the same identity — role_id, groupid, component
 * name, … — is replaced by the later one), maps are merged, scalars written by the requiring
 * dialect override. Unknown names and cycles are errors.
 */
export function resolveDialect(name: string, lookup: DialectLookup): ResolveResult {
  const issues: DialectIssue[] = []
  const visiting: string[] = []
  const done = new Map<string, Dialect>()

  const visit = (current: string): Dialect | undefined => {
    if (done.has(current)) return done.get(current)
    if (visiting.includes(current)) {
      issues.push({
        line: 1,
        column: 1,
        key: 'requires',
        code: 'requires_cycle',
        message: `requires forms a cycle: ${[...visiting.slice(visiting.indexOf(current)), current].join(' → ')}`,
      })
      return undefined
    }
    const parsed = lookup(current)
    if (!parsed) {
      issues.push({
        line: 1,
        column: 1,
        key: 'requires',
        code: 'requires_unknown',
        message: `${visiting.length ? `dialect "${visiting.at(-1)}" requires` : 'unknown dialect'} "${current}", which does not exist`,
      })
      return undefined
    }
    visiting.push(current)
    let merged: Dialect | undefined
    for (const required of parsed.dialect.requires) {
      const base = visit(required)
      if (!base) continue
      merged = merged ? mergeInto(merged, base, allKeys()) : structuredClone(base)
    }
    visiting.pop()
    const own = parsed.dialect
    const result = merged ? mergeInto(merged, own, parsed.explicit) : structuredClone(own)
    result.name = own.name
    result.requires = own.requires
    // Whether a dialect is offered is a property of the file itself, never inherited.
    result.installable = own.installable
    done.set(current, result)
    return result
  }

  const dialect = visit(name)
  if (!dialect || issues.length) return { ok: false, issues }
  const crossIssues: DialectIssue[] = []
  checkCrossKeyRules(dialect, null, {
    report: (_n, key, code, message) =>
      crossIssues.push({
        line: 1,
        column: 1,
        key,
        code,
        message: `after merging requires: ${message}`,
      }),
  })
  if (crossIssues.length) return { ok: false, issues: crossIssues }
  return { ok: true, dialect }
}

function allKeys(): string[] {
  return [...LIST_KEYS, ...SCALAR_KEYS, 'view_components']
}

function mergeInto(base: Dialect, top: Dialect, explicit: readonly string[]): Dialect {
  const result = structuredClone(base) as any
  for (const key of SCALAR_KEYS) {
    if (explicit.includes(key)) result[key] = structuredClone(top[key])
  }
  for (const key of LIST_KEYS) {
    const id = identity[key]
    const merged: unknown[] = [...result[key]]
    for (const item of top[key] as unknown[]) {
      const at = merged.findIndex((existing) => id(existing) === id(item))
      if (at >= 0) merged[at] = structuredClone(item)
      else merged.push(structuredClone(item))
    }
    result[key] = merged
  }
  result.view_components = { ...base.view_components, ...top.view_components }
  return result as Dialect
}

/** The entry of the installable list (domain §20.1). */
export function dialectSummary(dialect: Dialect) {
  return {
    name: dialect.name,
    title: dialect.title,
    description: dialect.description,
    er_policy_name: dialect.er_policy_name,
    group_votes_active: dialect.group_votes_active,
    group_roles_active: dialect.group_roles_active,
    default_secret_polls: dialect.default_secret_polls,
    groups_can_delegate: dialect.groups_can_delegate,
    block_roles: dialect.block_roles,
    block_components: dialect.block_components,
    configure_components: dialect.configure_components.map((component) => ({
      name: component.name,
    })),
    roles: dialect.roles.map((r) => ({ role_id: r.role_id, title: r.title, roles: r.roles })),
    view_components: dialect.view_components,
  }
}

/** Formats issues for people: `file:line:column key: message`. */
export function formatIssue(file: string, issue: DialectIssue) {
  const message =
    issue.key && !issue.message.startsWith(issue.key)
      ? `${issue.key}: ${issue.message}`
      : issue.message
  return `${file}:${issue.line}:${issue.column} ${message} [${issue.code}]`
}
