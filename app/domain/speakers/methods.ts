/**
 * Speaker list methods (registry `speaker_list_methods`, domain §12.4 and
 * beyond.md B-ADD-03). Each method normalises its settings (unknown keys are
 * dropped, defaults filled in, bad values reported per field) and orders the
 * non-safe speech turns. Methods never see points of order (beyond.md B-ADD-01:
 * fairness rules order speeches only).
 */
import type { OrderingFacts, QueueEntry } from '#domain/speakers/types'

export const speakerListMethodNames = ['simple', 'priority', 'gender_prio', 'time_fair'] as const
export type SpeakerListMethodName = (typeof speakerListMethodNames)[number]

export const timeFairScopes = ['list', 'agenda_item', 'meeting'] as const
export type TimeFairScope = (typeof timeFairScopes)[number]

export interface PrioritySettings {
  max_times: number
}
export interface GenderPrioSettings extends PrioritySettings {
  priority_genders: string[]
}
export interface TimeFairSettings {
  scope: TimeFairScope
}
export type MethodSettings =
  Record<string, never> | PrioritySettings | GenderPrioSettings | TimeFairSettings

export interface SettingsProblem {
  field: string
  message: string
}

export type SettingsResult<S> =
  { ok: true; settings: S } | { ok: false; problems: SettingsProblem[] }

export interface OrderContext {
  facts: OrderingFacts
  /** The last safe speech turn, if any (the `gender_prio` interleaving starts from it). */
  lastSafe: QueueEntry | null
}

export interface SpeakerListMethod<S> {
  name: SpeakerListMethodName
  title: string
  description: string
  /** JSON Schema of the settings, published to clients. */
  settingsSchema: Record<string, unknown>
  normalizeSettings(raw: unknown): SettingsResult<S>
  /** Orders the non-safe entries; must return a permutation of `entries`. */
  order(entries: readonly QueueEntry[], settings: S, context: OrderContext): QueueEntry[]
}

const TAG_PATTERN = /^[a-z0-9_-]{1,20}$/

function asObject(raw: unknown): Record<string, unknown> {
  return raw && typeof raw === 'object' && !Array.isArray(raw)
    ? (raw as Record<string, unknown>)
    : {}
}

function readMaxTimes(source: Record<string, unknown>, problems: SettingsProblem[]): number {
  const value = source.max_times
  if (value === undefined || value === null) return 0
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1000) {
    problems.push({
      field: 'settings.max_times',
      message: 'max_times must be an integer between 0 and 1000',
    })
    return 0
  }
  return value
}

/** Stable sort by a numeric key; ties keep the incoming (previous) order. */
function stableSortBy(
  entries: readonly QueueEntry[],
  key: (entry: QueueEntry) => number
): QueueEntry[] {
  return entries
    .map((entry, index) => ({ entry, index, key: key(entry) }))
    .sort((a, b) => a.key - b.key || a.index - b.index)
    .map(({ entry }) => entry)
}

/** The `priority` key: finished turns on this list, capped at max_times when > 0. */
export function cappedCount(facts: OrderingFacts, userId: number, maxTimes: number): number {
  const count = facts.finishedTurns.get(userId) ?? 0
  return maxTimes > 0 ? Math.min(count, maxTimes) : count
}

export function isPrioritised(
  facts: OrderingFacts,
  userId: number,
  priorityGenders: readonly string[]
): boolean {
  const tags = facts.genders.get(userId) ?? []
  return tags.some((tag) => priorityGenders.includes(tag))
}

/**
 * The exact interleaving of domain §12.4 (`gender_prio`): within one group of
 * equal spoken count, keep queues P (prioritised) and O (others) in previous
 * order; after a non-prioritised speaker take the head of P when there is one,
 * otherwise whichever head comes first. `previous` carries across groups.
 */
export function interleave(
  group: readonly QueueEntry[],
  prioritised: (entry: QueueEntry) => boolean,
  previous: { value: QueueEntry | null }
): QueueEntry[] {
  const p = group.filter(prioritised)
  const o = group.filter((entry) => !prioritised(entry))
  const position = new Map(group.map((entry, index) => [entry, index]))
  const out: QueueEntry[] = []
  while (p.length > 0 || o.length > 0) {
    let next: QueueEntry
    const lastWasOther = previous.value !== null && !prioritised(previous.value)
    if (lastWasOther && p.length > 0) {
      next = p.shift()!
    } else if (p.length === 0) {
      next = o.shift()!
    } else if (o.length === 0) {
      next = p.shift()!
    } else {
      next = position.get(p[0])! < position.get(o[0])! ? p.shift()! : o.shift()!
    }
    out.push(next)
    previous.value = next
  }
  return out
}

export const simpleMethod: SpeakerListMethod<Record<string, never>> = {
  name: 'simple',
  title: 'In order of entry',
  description: 'First in, first out.',
  settingsSchema: { type: 'object', properties: {}, additionalProperties: false },
  normalizeSettings: () => ({ ok: true, settings: {} }),
  order: (entries) => [...entries],
}

export const priorityMethod: SpeakerListMethod<PrioritySettings> = {
  name: 'priority',
  title: 'Priority to those who have spoken least',
  description: 'Orders by the number of finished turns on this list, capped at max_times when set.',
  settingsSchema: {
    type: 'object',
    properties: { max_times: { type: 'integer', minimum: 0, maximum: 1000, default: 0 } },
  },
  normalizeSettings(raw) {
    const problems: SettingsProblem[] = []
    const maxTimes = readMaxTimes(asObject(raw), problems)
    return problems.length > 0
      ? { ok: false, problems }
      : { ok: true, settings: { max_times: maxTimes } }
  },
  order: (entries, settings, { facts }) =>
    stableSortBy(entries, (entry) => cappedCount(facts, entry.userId, settings.max_times)),
}

export const genderPrioMethod: SpeakerListMethod<GenderPrioSettings> = {
  name: 'gender_prio',
  title: 'Priority, alternating by gender',
  description:
    'Applies priority; within each group of equal spoken count at least every second speaker has a prioritised gender (participant tag namespace gen).',
  settingsSchema: {
    type: 'object',
    properties: {
      max_times: { type: 'integer', minimum: 0, maximum: 1000, default: 0 },
      priority_genders: {
        type: 'array',
        items: { type: 'string', pattern: TAG_PATTERN.source },
        default: ['f', 'nb'],
        uniqueItems: true,
      },
    },
  },
  normalizeSettings(raw) {
    const source = asObject(raw)
    const problems: SettingsProblem[] = []
    const maxTimes = readMaxTimes(source, problems)
    let genders: string[] = ['f', 'nb']
    if (source.priority_genders !== undefined && source.priority_genders !== null) {
      const value = source.priority_genders
      if (
        !Array.isArray(value) ||
        value.some((tag) => typeof tag !== 'string' || !TAG_PATTERN.test(tag))
      ) {
        problems.push({
          field: 'settings.priority_genders',
          message:
            'priority_genders must be a list of tags (a-z, 0-9, _ and -, at most 20 characters)',
        })
      } else {
        genders = [...new Set(value as string[])]
      }
    }
    return problems.length > 0
      ? { ok: false, problems }
      : { ok: true, settings: { max_times: maxTimes, priority_genders: genders } }
  },
  order(entries, settings, { facts, lastSafe }) {
    const sorted = stableSortBy(entries, (entry) =>
      cappedCount(facts, entry.userId, settings.max_times)
    )
    const prioritised = (entry: QueueEntry) =>
      isPrioritised(facts, entry.userId, settings.priority_genders)
    const previous = { value: lastSafe }
    const out: QueueEntry[] = []
    let start = 0
    while (start < sorted.length) {
      const key = cappedCount(facts, sorted[start].userId, settings.max_times)
      let end = start
      while (
        end < sorted.length &&
        cappedCount(facts, sorted[end].userId, settings.max_times) === key
      )
        end++
      out.push(...interleave(sorted.slice(start, end), prioritised, previous))
      start = end
    }
    return out
  },
}

export const timeFairMethod: SpeakerListMethod<TimeFairSettings> = {
  name: 'time_fair',
  title: 'Ordered by time spoken so far',
  description:
    'Orders by total seconds spoken (this list, the agenda item or the whole meeting); ties keep the previous order.',
  settingsSchema: {
    type: 'object',
    properties: { scope: { type: 'string', enum: [...timeFairScopes], default: 'list' } },
  },
  normalizeSettings(raw) {
    const source = asObject(raw)
    const scope = source.scope ?? 'list'
    if (typeof scope !== 'string' || !(timeFairScopes as readonly string[]).includes(scope)) {
      return {
        ok: false,
        problems: [
          { field: 'settings.scope', message: `scope must be one of ${timeFairScopes.join(', ')}` },
        ],
      }
    }
    return { ok: true, settings: { scope: scope as TimeFairScope } }
  },
  order: (entries, _settings, { facts }) =>
    stableSortBy(entries, (entry) => facts.secondsSpoken.get(entry.userId) ?? 0),
}

export const speakerListMethods: Record<SpeakerListMethodName, SpeakerListMethod<any>> = {
  simple: simpleMethod,
  priority: priorityMethod,
  gender_prio: genderPrioMethod,
  time_fair: timeFairMethod,
}

export function isSpeakerListMethodName(name: unknown): name is SpeakerListMethodName {
  return typeof name === 'string' && (speakerListMethodNames as readonly string[]).includes(name)
}

/** Normalises method settings; `null`/missing settings give the defaults. */
export function normalizeMethodSettings(
  name: SpeakerListMethodName,
  raw: unknown
): SettingsResult<MethodSettings> {
  return speakerListMethods[name].normalizeSettings(raw)
}

/** Methods whose selection requires the Gender participant-tags component (domain §12.4). */
export const methodNeedsGenderTags = (name: SpeakerListMethodName) => name === 'gender_prio'
