/**
 * The method registry (sections 1 and 2): a typed const map keyed by method id.
 */
import type { MergedBallot } from './ballot_data.js'
import { countCombinedSimple } from './combined_simple.js'
import { countDutt } from './dutt.js'
import { countMajority } from './majority.js'
import { startCheck } from './rules.js'
import { countRepeatedSchulze, countSchulze } from './schulze/index.js'
import { countSimple } from './simple.js'
import { countStvFamily } from './stv_family.js'
import type {
  CommonResult,
  MethodId,
  MethodOutcome,
  PollSettingsByMethod,
  Settings,
  ValidDocument,
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
  startCheck(settings: Settings, proposalCount: number): string[]
  /** counts merged ballots of a validated document; `count` adds the common keys */
  count(
    doc: ValidDocument<M>,
    ballots: ReadonlyArray<MergedBallot<never>>
  ): MethodOutcome<CommonResult>
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
  info: Omit<PollMethodInfo<M>, 'id' | 'startCheck' | 'count'>,
  count: (
    doc: ValidDocument<M>,
    ballots: ReadonlyArray<MergedBallot<never>>
  ) => MethodOutcome<CommonResult>
): PollMethodInfo<M> {
  return { id, ...info, startCheck: (settings, n) => startCheck(id, settings, n), count }
}

export const pollMethods = {
  simple: entry(
    'simple',
    {
      title: 'Simple',
      offered: false,
      discouraged: false,
      component: null,
      payload: '{"choice": "yes" | "no"}',
      settings: [],
      defaults: null,
      proposalsNeeded: 'exactly 1',
    },
    countSimple as never
  ),
  combined_simple: entry(
    'combined_simple',
    {
      title: 'Combined Simple',
      offered: true,
      discouraged: false,
      component: null,
      payload: '{"yes": [id…], "no": [id…], "abstain": [id…]}',
      settings: [],
      defaults: null,
      proposalsNeeded: '≥ 1',
    },
    countCombinedSimple as never
  ),
  majority: entry(
    'majority',
    {
      title: 'Majority',
      offered: true,
      discouraged: false,
      component: null,
      payload: '{"choice": id}',
      settings: [],
      defaults: null,
      proposalsNeeded: 'exactly 2',
    },
    countMajority as never
  ),
  dutt: entry(
    'dutt',
    {
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
    },
    countDutt as never
  ),
  schulze: entry(
    'schulze',
    {
      title: 'Schulze',
      offered: true,
      discouraged: false,
      component: null,
      payload: '{"ranking": [[id, stars]…]}',
      settings: [STARS, DENY],
      defaults: { stars: 5, deny_proposal: false },
      proposalsNeeded: '≥ 3, or ≥ 2 with deny_proposal',
    },
    countSchulze as never
  ),
  repeated_schulze: entry(
    'repeated_schulze',
    {
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
    },
    countRepeatedSchulze as never
  ),
  scottish_stv: entry(
    'scottish_stv',
    {
      title: 'Scottish STV',
      offered: true,
      discouraged: false,
      component: null,
      payload: '{"ranking": [id…]}',
      settings: [winners('≥ 1 (the UI proposes 2)'), ALLOW_RANDOM],
      defaults: { allow_random: true },
      proposalsNeeded: '≥ winners + 1',
    },
    countStvFamily as never
  ),
  irv: entry(
    'irv',
    {
      title: 'Instant-Runoff Voting',
      offered: true,
      discouraged: false,
      component: null,
      payload: '{"ranking": [id…]}',
      settings: [ALLOW_RANDOM],
      defaults: { allow_random: true },
      proposalsNeeded: '≥ 3',
    },
    countStvFamily as never
  ),
  repeated_irv: entry(
    'repeated_irv',
    {
      title: 'Repeated Instant-Runoff Voting',
      offered: true,
      discouraged: true,
      component: 'repeated_irv',
      payload: '{"ranking": [id…]}',
      settings: [winners('≥ 2'), ALLOW_RANDOM, RANGE('min'), RANGE('max')],
      defaults: { allow_random: true, min: null, max: null },
      proposalsNeeded: '≥ 3 and ≥ min',
    },
    countStvFamily as never
  ),
  cpo_stv: entry(
    'cpo_stv',
    {
      title: 'CPO-STV',
      offered: false,
      discouraged: false,
      component: null,
      payload: '{"ranking": [id…]}',
      settings: [winners('≥ 1'), ALLOW_RANDOM],
      defaults: { allow_random: true },
      proposalsNeeded: '≥ winners + 1',
    },
    countStvFamily as never
  ),
} as const satisfies { [M in MethodId]: PollMethodInfo<M> }
