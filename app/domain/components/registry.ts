/**
 * The component registry (domain §15.1): one typed constant map for meeting and organisation
 * components. Each type names its scope, whether it is disabled when the meeting closes, the JSON
 * Schema of its settings (published by `GET /api/component-types`) and the settings check that
 * dialect installation and the component API both use. Framework-free.
 */

export type ComponentScope = 'meeting' | 'organisation'

export interface ComponentSettingsIssue {
  /** dot path inside `settings` ('' for the settings value itself) */
  path: string
  message: string
}

export interface ComponentSettingsResult {
  /** the normalised settings (defaults filled in) */
  settings: Record<string, unknown>
  issues: ComponentSettingsIssue[]
}

export interface ComponentType {
  name: string
  title: string
  scope: readonly ComponentScope[]
  disableOnClose: boolean
  /** JSON Schema (draft 2020-12) of `settings`; `validate` enforces exactly this schema. */
  settingsSchema: Record<string, unknown>
  validate(settings: unknown): ComponentSettingsResult
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const NO_SETTINGS_SCHEMA = { type: 'object', additionalProperties: false, properties: {} }

/** Components without settings accept nothing (or an empty mapping). */
const noSettings: ComponentType['validate'] = (settings) => {
  const issues: ComponentSettingsIssue[] = []
  if (settings !== undefined && settings !== null) {
    if (!isMapping(settings)) {
      issues.push({ path: '', message: 'must be a mapping' })
    } else {
      for (const key of Object.keys(settings))
        issues.push({ path: key, message: 'this component has no settings' })
    }
  }
  return { settings: {}, issues }
}

/** A component tag (and participant-tag namespace): domain §15.1. */
export const TAG_PATTERN = /^[a-z0-9_-]{1,20}$/

function tagSchema(defaults: string[]) {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      tags: {
        type: 'array',
        items: { type: 'string', pattern: TAG_PATTERN.source },
        uniqueItems: true,
        default: defaults,
      },
      many: { type: 'boolean', default: false },
    },
  }
}

function tagSettings(defaults: string[]): ComponentType['validate'] {
  return (settings) => {
    const issues: ComponentSettingsIssue[] = []
    const input = settings ?? {}
    if (!isMapping(input)) {
      return { settings: {}, issues: [{ path: '', message: 'must be a mapping' }] }
    }
    for (const key of Object.keys(input)) {
      if (!['tags', 'many'].includes(key)) issues.push({ path: key, message: 'unknown setting' })
    }
    let tags = defaults
    if (input.tags !== undefined) {
      if (!Array.isArray(input.tags)) {
        issues.push({ path: 'tags', message: 'must be a list of tags' })
      } else {
        const list = input.tags as unknown[]
        list.forEach((tag, index) => {
          if (typeof tag !== 'string' || !TAG_PATTERN.test(tag)) {
            issues.push({
              path: `tags.${index}`,
              message: 'a tag is 1-20 characters of a-z, 0-9, _ and -',
            })
          } else if (list.indexOf(tag) !== index) {
            issues.push({ path: `tags.${index}`, message: `duplicate tag "${tag}"` })
          }
        })
        tags = list as string[]
      }
    }
    let many = false
    if (input.many !== undefined) {
      if (typeof input.many !== 'boolean')
        issues.push({ path: 'many', message: 'must be true or false' })
      else many = input.many
    }
    return { settings: { tags, many }, issues }
  }
}

const FLASH_TYPES = ['info', 'success', 'warning', 'danger']

const flashMessage: ComponentType['validate'] = (settings) => {
  const issues: ComponentSettingsIssue[] = []
  const input = settings ?? {}
  if (!isMapping(input)) {
    return { settings: {}, issues: [{ path: '', message: 'must be a mapping' }] }
  }
  for (const key of Object.keys(input)) {
    if (!['msg', 'type'].includes(key)) issues.push({ path: key, message: 'unknown setting' })
  }
  if (typeof input.msg !== 'string' || input.msg.trim() === '') {
    issues.push({ path: 'msg', message: 'a non-empty message is required' })
  }
  const type = input.type ?? 'info'
  if (!FLASH_TYPES.includes(type as string)) {
    issues.push({ path: 'type', message: `must be one of ${FLASH_TYPES.join(', ')}` })
  }
  return { settings: { msg: input.msg, type }, issues }
}

const STRING_LIST = { type: 'array', items: { type: 'string' }, default: [] }

const dialectsFilter: ComponentType['validate'] = (settings) => {
  const issues: ComponentSettingsIssue[] = []
  const input = settings ?? {}
  if (!isMapping(input)) {
    return { settings: {}, issues: [{ path: '', message: 'must be a mapping' }] }
  }
  const result: Record<string, string[]> = { include: [], exclude: [] }
  for (const key of Object.keys(input)) {
    if (key !== 'include' && key !== 'exclude') {
      issues.push({ path: key, message: 'unknown setting' })
      continue
    }
    const list = input[key]
    if (!Array.isArray(list)) {
      issues.push({ path: key, message: 'must be a list of dialect names' })
      continue
    }
    list.forEach((entry, index) => {
      if (typeof entry !== 'string')
        issues.push({ path: `${key}.${index}`, message: 'must be a dialect name' })
    })
    result[key] = list as string[]
  }
  return { settings: result, issues }
}

function defineType(
  name: string,
  title: string,
  scope: readonly ComponentScope[],
  options: Partial<Pick<ComponentType, 'disableOnClose' | 'settingsSchema' | 'validate'>> = {}
): ComponentType {
  return {
    name,
    title,
    scope,
    disableOnClose: options.disableOnClose ?? false,
    settingsSchema: options.settingsSchema ?? NO_SETTINGS_SCHEMA,
    validate: options.validate ?? noSettings,
  }
}

export const componentTypes: Readonly<Record<string, ComponentType>> = Object.freeze({
  flash_message: defineType('flash_message', 'Flash message', ['meeting', 'organisation'], {
    settingsSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['msg'],
      properties: {
        msg: { type: 'string', minLength: 1 },
        type: { type: 'string', enum: FLASH_TYPES, default: 'info' },
      },
    },
    validate: flashMessage,
  }),
  proposal_print: defineType('proposal_print', 'Print proposals', ['meeting']),
  active_users: defineType('active_users', 'Active users', ['meeting'], { disableOnClose: true }),
  presence_check: defineType('presence_check', 'Presence check (historic)', ['meeting']),
  notes: defineType('notes', 'Notes', ['meeting']),
  gtags: defineType('gtags', 'Gender', ['meeting'], {
    settingsSchema: tagSchema(['m', 'f', 'nb']),
    validate: tagSettings(['m', 'f', 'nb']),
  }),
  ptags: defineType('ptags', 'Pronoun', ['meeting'], {
    settingsSchema: tagSchema([]),
    validate: tagSettings([]),
  }),
  dialects_filter: defineType('dialects_filter', 'Dialects filter', ['organisation'], {
    settingsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { include: STRING_LIST, exclude: STRING_LIST },
    },
    validate: dialectsFilter,
  }),
  repeated_irv: defineType('repeated_irv', 'Repeated IRV', ['organisation']),
})

/** The registered type of a name, or null (a stored name that no longer resolves is invalid). */
export function componentType(name: string): ComponentType | null {
  return Object.prototype.hasOwnProperty.call(componentTypes, name) ? componentTypes[name] : null
}

export function isMeetingComponent(name: string): boolean {
  return componentType(name)?.scope.includes('meeting') ?? false
}

/** Names of the components that may be configured on a meeting. */
export function meetingComponentNames(): string[] {
  return Object.values(componentTypes)
    .filter((entry) => entry.scope.includes('meeting'))
    .map((entry) => entry.name)
}

/** Names of meeting components disabled when the meeting closes. */
export function componentsDisabledOnClose(): string[] {
  return Object.values(componentTypes)
    .filter((entry) => entry.disableOnClose)
    .map((entry) => entry.name)
}

/** Checks settings against the type's schema; an unknown name is one issue at the root. */
export function validateComponentSettings(
  name: string,
  settings: unknown
): ComponentSettingsResult {
  const entry = componentType(name)
  if (!entry) return { settings: {}, issues: [{ path: '', message: 'unknown component' }] }
  return entry.validate(settings)
}

/** A stored component is valid when its type exists and its settings validate (domain §15.1). */
export function isValidComponent(name: string, settings: unknown): boolean {
  return (
    componentType(name) !== null && validateComponentSettings(name, settings).issues.length === 0
  )
}
