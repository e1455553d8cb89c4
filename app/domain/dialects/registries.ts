/**
 * The registries a dialect file may name (domain §20.2). Typed constant maps, framework-free:
 * the validator checks keys against them, and install code reads them.
 */
import { METHOD_IDS } from '../polls/counting/types.js'

/** Electoral register policies (domain §11.4); `presence_check` is recognised but not offered (D37). */
export const ER_POLICY_NAMES = [
  'auto_before_poll',
  'manual_trigger',
  'manual',
  'auto_always',
  'gv_auto_before_p',
  'group_auto_eq_rnd_bf',
  'main_subst_active',
  'main_subst_delegate',
  'skk_kfum',
  'skr_agarrad',
  'unrestricted',
] as const

/** Proposal ID policies (domain §9.6, §24). */
export const PROPOSAL_ID_POLICY_NAMES = ['userid', 'sequential', 'agenda_item'] as const

/** Speaker list methods (domain §12.1). */
export const SPEAKER_LIST_METHODS = ['simple', 'priority', 'gender_prio', 'time_fair'] as const

/** Poll methods a dialect may allow (domain §10.5); historic methods cannot be chosen. */
export const DIALECT_POLL_METHODS: readonly string[] = METHOD_IDS

export interface ComponentSettingsIssue {
  /** dot path inside `settings` */
  path: string
  message: string
}

export interface MeetingComponentInfo {
  title: string
  disableOnClose: boolean
  /** Settings check of the adapter (domain §15.1); returns the normalised settings or issues. */
  validate(settings: unknown): {
    settings: Record<string, unknown>
    issues: ComponentSettingsIssue[]
  }
}

const noSettings: MeetingComponentInfo['validate'] = (settings) => {
  const issues: ComponentSettingsIssue[] = []
  if (settings !== undefined && settings !== null) {
    if (typeof settings !== 'object' || Array.isArray(settings)) {
      issues.push({ path: '', message: 'must be a mapping' })
    } else {
      for (const key of Object.keys(settings))
        issues.push({ path: key, message: 'this component has no settings' })
    }
  }
  return { settings: {}, issues }
}

const TAG_PATTERN = /^[a-z0-9_-]{1,20}$/

function tagSettings(defaults: string[]): MeetingComponentInfo['validate'] {
  return (settings) => {
    const issues: ComponentSettingsIssue[] = []
    const input = (settings ?? {}) as Record<string, unknown>
    if (typeof input !== 'object' || Array.isArray(input)) {
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
        input.tags.forEach((tag, index) => {
          if (typeof tag !== 'string' || !TAG_PATTERN.test(tag)) {
            issues.push({
              path: `tags.${index}`,
              message: 'a tag is 1-20 characters of a-z, 0-9, _ and -',
            })
          } else if (input.tags && (input.tags as unknown[]).indexOf(tag) !== index) {
            issues.push({ path: `tags.${index}`, message: `duplicate tag "${tag}"` })
          }
        })
        tags = input.tags as string[]
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

/** Meeting components (domain §15.1) that a dialect may configure or block. */
export const MEETING_COMPONENTS: Record<string, MeetingComponentInfo> = {
  flash_message: {
    title: 'Flash message',
    disableOnClose: false,
    validate(settings) {
      const issues: ComponentSettingsIssue[] = []
      const input = (settings ?? {}) as Record<string, unknown>
      if (typeof input !== 'object' || Array.isArray(input)) {
        return { settings: {}, issues: [{ path: '', message: 'must be a mapping' }] }
      }
      for (const key of Object.keys(input)) {
        if (!['msg', 'type'].includes(key)) issues.push({ path: key, message: 'unknown setting' })
      }
      if (typeof input.msg !== 'string' || input.msg.trim() === '') {
        issues.push({ path: 'msg', message: 'a non-empty message is required' })
      }
      const type = input.type ?? 'info'
      if (!['info', 'success', 'warning', 'danger'].includes(type as string)) {
        issues.push({ path: 'type', message: 'must be one of info, success, warning, danger' })
      }
      return { settings: { msg: input.msg, type }, issues }
    },
  },
  proposal_print: { title: 'Print proposals', disableOnClose: false, validate: noSettings },
  active_users: { title: 'Active users', disableOnClose: true, validate: noSettings },
  presence_check: {
    title: 'Presence check (historic)',
    disableOnClose: false,
    validate: noSettings,
  },
  notes: { title: 'Notes', disableOnClose: false, validate: noSettings },
  gtags: { title: 'Gender', disableOnClose: false, validate: tagSettings(['m', 'f', 'nb']) },
  ptags: { title: 'Pronoun', disableOnClose: false, validate: tagSettings([]) },
}

/** Groups a dialect script creates on install (domain §20.2 `run_scripts`). */
export interface ScriptGroup {
  title: string
  groupid: string
  tags: string[]
  votes?: number | null
}

export interface DialectScript {
  title: string
  /** Groups to upsert (by groupid) when the dialect is installed. */
  groups(): ScriptGroup[]
}

/**
 * The dialect script registry. Scripts are pure data producers so the installer stays one
 * transaction; a stored key that no longer resolves is reported by the validator.
 */
export const DIALECT_SCRIPTS: Record<string, DialectScript> = {
  'federation.create_region_groups': {
    title: 'Create one group per federation region',
    groups: () =>
      ['North', 'South', 'East', 'West'].map((region) => ({
        title: `${region} region`,
        groupid: region.toLowerCase(),
        tags: ['region'],
      })),
  },
}
