/**
 * Participant tags (domain §15.4): pure rules. A namespace belongs to a meeting
 * component (`gen` → `gtags`, `pron` → `ptags`, domain §15.1); a value must be
 * one of the component's `tags`, and its `many` setting decides list or single value.
 */
import { TAG_PATTERN, validateComponentSettings } from '#domain/components/registry'
/** Most namespaces in one request (there are two components; a generous bound against junk). */
export const MAX_NAMESPACES = 10

export const NAMESPACE_COMPONENTS: Readonly<Record<string, string>> = {
  gen: 'gtags',
  pron: 'ptags',
}
export const GENDER_NAMESPACE = 'gen'

export type TagValue = string | string[]
export type TagMap = Record<string, TagValue>

export interface NamespaceRule {
  tags: readonly string[]
  many: boolean
}

/**
 * The namespace rule of a component's stored settings, through the component
 * registry (defaults filled in); null when the component is not valid (domain §15.1).
 */
export function namespaceRule(componentName: string, settings: unknown): NamespaceRule | null {
  const result = validateComponentSettings(componentName, settings)
  if (result.issues.length > 0) return null
  const normalised = result.settings as { tags?: unknown; many?: unknown }
  const tags = Array.isArray(normalised.tags) ? (normalised.tags as string[]) : []
  return { tags, many: normalised.many === true }
}

export interface TagProblem {
  code:
    | 'validation.failed'
    | 'ptags.namespace_unavailable'
    | 'ptags.value_not_allowed'
    | 'ptags.single_value'
  field: string
  rule?: string
  message: string
  meta?: Record<string, unknown>
}

export type TagCheck = { ok: true; tags: TagMap } | { ok: false; problem: TagProblem }

const fail = (problem: TagProblem): TagCheck => ({ ok: false, problem })

/**
 * Checks a `set` body against the enabled namespaces and returns the values to
 * store: a list for `many` namespaces (a single string is accepted and wrapped),
 * a string otherwise. Lists keep the caller's order without duplicates.
 */
export function checkTagSet(input: unknown, rules: ReadonlyMap<string, NamespaceRule>): TagCheck {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return fail({
      code: 'validation.failed',
      field: 'tags',
      rule: 'json',
      message: 'tags must be an object of namespace: value',
    })
  const entries = Object.entries(input as Record<string, unknown>)
  if (entries.length === 0)
    return fail({
      code: 'validation.failed',
      field: 'tags',
      rule: 'required',
      message: 'Name at least one namespace',
    })
  if (entries.length > MAX_NAMESPACES)
    return fail({
      code: 'validation.failed',
      field: 'tags',
      rule: 'maxLength',
      message: `At most ${MAX_NAMESPACES} namespaces`,
    })
  const result: TagMap = {}
  for (const [namespace, value] of entries) {
    const field = `tags.${namespace}`
    if (!TAG_PATTERN.test(namespace))
      return fail({
        code: 'validation.failed',
        field,
        rule: 'regex',
        message: 'A namespace is 1-20 characters of a-z, 0-9, _ and -',
      })
    const rule = rules.get(namespace)
    if (!rule)
      return fail({
        code: 'ptags.namespace_unavailable',
        field,
        message: `No enabled component of this meeting uses the namespace "${namespace}"`,
        meta: { namespace },
      })
    const values = typeof value === 'string' ? [value] : value
    if (!Array.isArray(values) || values.length === 0)
      return fail({
        code: 'validation.failed',
        field,
        rule: 'string',
        message: 'A value is a tag or a non-empty list of tags',
      })
    if (Array.isArray(value) && !rule.many)
      return fail({
        code: 'ptags.single_value',
        field,
        message: `The namespace "${namespace}" takes a single value`,
        meta: { namespace },
      })
    for (const [index, item] of values.entries()) {
      const itemField = Array.isArray(value) ? `${field}.${index}` : field
      if (typeof item !== 'string' || !TAG_PATTERN.test(item))
        return fail({
          code: 'validation.failed',
          field: itemField,
          rule: 'regex',
          message: 'A tag is 1-20 characters of a-z, 0-9, _ and -',
        })
      if (!rule.tags.includes(item))
        return fail({
          code: 'ptags.value_not_allowed',
          field: itemField,
          message: `"${item}" is not a tag of the namespace "${namespace}"`,
          meta: { namespace, value: item, allowed: [...rule.tags] },
        })
    }
    result[namespace] = rule.many ? [...new Set(values as string[])] : (values[0] as string)
  }
  return { ok: true, tags: result }
}

/** Values of one namespace as a list (single values are stored as strings). */
export function valuesOf(tags: TagMap, namespace: string): string[] {
  const value = tags[namespace]
  if (value === undefined) return []
  return typeof value === 'string' ? [value] : [...value]
}

/** The reverse index of `ptags.all` (api.md §8): `{"ns:value": [user ids]}`, ids ascending. */
export function reverseIndex(rows: ReadonlyArray<{ userId: number; tags: TagMap }>) {
  const index: Record<string, number[]> = {}
  for (const row of [...rows].sort((a, b) => a.userId - b.userId)) {
    for (const namespace of Object.keys(row.tags).sort()) {
      for (const value of valuesOf(row.tags, namespace))
        (index[`${namespace}:${value}`] ??= []).push(row.userId)
    }
  }
  return index
}
