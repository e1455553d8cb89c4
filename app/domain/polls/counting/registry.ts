/**
 * The method registry (sections 1 and 2): a typed const map keyed by method id.
 */
import { count } from './count.js'
import { startCheck, validateVote } from './rules.js'
import { normalizeSettings } from './settings.js'
import type {
  CandidateId,
  CountDocument,
  CountResult,
  MethodId,
  PollSettingsByMethod,
  Settings,
} from './types.js'

export interface SettingSchema {
  key: string
  type: 'integer' | 'boolean' | 'integer_or_null'
  /** null for a required key without default */
  default: number | boolean | null
  required: boolean
  /** the poll-rule limits of section 2, for display */
  limits: string | null
}

export interface PollMethodInfo<M extends MethodId = MethodId> {
  id: M
  title: string
  /** offered to moderators when creating a poll */
  offered: boolean
  /** shown as "discouraged" */
  discouraged: boolean
  /** organisation component required to offer the method */
  component: string | null
  /** vote payload shape (3.1) */
  payload: string
  settings: readonly SettingSchema[]
  /** default poll settings; null for methods without settings */
  defaults: Partial<PollSettingsByMethod[M]> | null
  /** what "proposals needed to start" means (section 1) */
  proposalsNeeded: string
  /** defaults + poll-rule limits (section 2); throws CountInputError */
  normalizeSettings(settings: unknown): PollSettingsByMethod[M]
  /** problems that prevent starting a poll with this many proposals (section 1) */
  startCheck(settings: Settings, proposalCount: number): string[]
  /** problems with one vote payload (section 3.1) */
  validateVote(settings: Settings, candidates: CandidateId[], payload: unknown): string[]
  /** counts a document of this method (9.2 without `method`); the same as `count` */
  count(input: Omit<CountDocument, 'method'>): CountResult
}

const STARS: SettingSchema = {
  key: 'stars',
  type: 'integer',
  default: 5,
  required: false,
  limits: '3 ≤ stars ≤ 20',
}
const DENY: SettingSchema = {
  key: 'deny_proposal',
  type: 'boolean',
  default: false,
  required: false,
  limits: 'adds the virtual candidate 0 ("deny all")',
}
const ALLOW_RANDOM: SettingSchema = {
  key: 'allow_random',
  type: 'boolean',
  default: true,
  required: false,
  limits: null,
}
const winners = (limits: string): SettingSchema => ({
  key: 'winners',
  type: 'integer',
  default: null,
  required: true,
  limits,
})
const RANGE = (key: 'min' | 'max'): SettingSchema => ({
  key,
  type: 'integer_or_null',
  default: null,
  required: false,
  limits: 'positive integer or null (0 is read as null); min ≤ max',
})

function entry<M extends MethodId>(
  id: M,
  info: Omit<
    PollMethodInfo<M>,
    'id' | 'normalizeSettings' | 'startCheck' | 'validateVote' | 'count'
  >
): PollMethodInfo<M> {
  return {
    id,
    ...info,
    normalizeSettings: (settings) => normalizeSettings(id, settings),
    startCheck: (settings, n) => startCheck(id, settings, n),
    validateVote: (settings, candidates, payload) =>
      validateVote(id, settings, candidates, payload),
    count: (input) => count({ ...input, method: id }),
  }
}

export const pollMethods = {
  simple: entry('simple', {
    title: 'Simple',
    offered: false,
    discouraged: false,
    component: null,
    payload: '{"choice": "yes" | "no"}',
    settings: [],
    defaults: null,
    proposalsNeeded: 'exactly 1',
  }),
  combined_simple: entry('combined_simple', {
    title: 'Combined Simple',
    offered: true,
    discouraged: false,
    component: null,
    payload: '{"yes": [id…], "no": [id…], "abstain": [id…]}',
    settings: [],
    defaults: null,
    proposalsNeeded: '≥ 1',
  }),
  majority: entry('majority', {
    title: 'Majority',
    offered: true,
    discouraged: false,
    component: null,
    payload: '{"choice": id}',
    settings: [],
    defaults: null,
    proposalsNeeded: 'exactly 2',
  }),
  dutt: entry('dutt', {
    title: 'Dutt',
    offered: true,
    discouraged: true,
    component: null,
    payload: '{"choices": [id…]}',
    settings: [
      {
        key: 'min',
        type: 'integer',
        default: 0,
        required: false,
        limits: 'integer ≥ 0 (0 = no limit)',
      },
      {
        key: 'max',
        type: 'integer',
        default: 0,
        required: false,
        limits: 'integer ≥ 0 (0 = no limit); max ≥ min',
      },
    ],
    defaults: { min: 0, max: 0 },
    proposalsNeeded: '≥ 2 and ≥ min',
  }),
  schulze: entry('schulze', {
    title: 'Schulze',
    offered: true,
    discouraged: false,
    component: null,
    payload: '{"ranking": [[id, stars]…]}',
    settings: [STARS, DENY],
    defaults: { stars: 5, deny_proposal: false },
    proposalsNeeded: '≥ 3, or ≥ 2 with deny_proposal',
  }),
  repeated_schulze: entry('repeated_schulze', {
    title: 'Repeated Schulze',
    offered: true,
    discouraged: false,
    component: null,
    payload: '{"ranking": [[id, stars]…]}',
    settings: [
      STARS,
      DENY,
      {
        key: 'winners',
        type: 'integer_or_null',
        default: null,
        required: false,
        limits: 'null (sort all proposals) or ≥ 2; "" is read as null',
      },
    ],
    defaults: { stars: 5, deny_proposal: false, winners: null },
    proposalsNeeded: 'as schulze; with winners also ≥ winners + 1 (≥ winners with deny_proposal)',
  }),
  scottish_stv: entry('scottish_stv', {
    title: 'Scottish STV',
    offered: true,
    discouraged: false,
    component: null,
    payload: '{"ranking": [id…]}',
    settings: [winners('≥ 1 (the UI proposes 2)'), ALLOW_RANDOM],
    defaults: { allow_random: true },
    proposalsNeeded: '≥ winners + 1',
  }),
  irv: entry('irv', {
    title: 'Instant-Runoff Voting',
    offered: true,
    discouraged: false,
    component: null,
    payload: '{"ranking": [id…]}',
    settings: [ALLOW_RANDOM],
    defaults: { allow_random: true },
    proposalsNeeded: '≥ 3',
  }),
  repeated_irv: entry('repeated_irv', {
    title: 'Repeated Instant-Runoff Voting',
    offered: true,
    discouraged: true,
    component: 'repeated_irv',
    payload: '{"ranking": [id…]}',
    settings: [winners('≥ 2'), ALLOW_RANDOM, RANGE('min'), RANGE('max')],
    defaults: { allow_random: true, min: null, max: null },
    proposalsNeeded: '≥ 3 and ≥ min',
  }),
  cpo_stv: entry('cpo_stv', {
    title: 'CPO-STV',
    offered: false,
    discouraged: false,
    component: null,
    payload: '{"ranking": [id…]}',
    settings: [winners('≥ 1'), ALLOW_RANDOM],
    defaults: { allow_random: true },
    proposalsNeeded: '≥ winners + 1',
  }),
} as const satisfies { [M in MethodId]: PollMethodInfo<M> }
