/**
 * Shared types of the counting library (poll-methods spec, section 9).
 * Framework-free: no imports beyond other domain modules.
 */

export type CandidateId = number | string

export const METHOD_IDS = [
  'simple',
  'combined_simple',
  'majority',
  'dutt',
  'schulze',
  'repeated_schulze',
  'scottish_stv',
  'irv',
  'repeated_irv',
  'cpo_stv',
] as const

export type MethodId = (typeof METHOD_IDS)[number]

/** Imported VoteIT 3 polls may carry these; they are never counted (section 1). */
export const HISTORIC_METHOD_IDS = ['schulze_pr', 'schulze_stv'] as const
export type HistoricMethodId = (typeof HISTORIC_METHOD_IDS)[number]

/** VoteIT 3 names that map onto current methods (section 1). */
export const METHOD_ALIASES: Readonly<Record<string, MethodId>> = {
  sorted_schulze: 'repeated_schulze',
  dutt_poll: 'dutt',
}

export type StvFamilyMethodId = 'scottish_stv' | 'irv' | 'repeated_irv' | 'cpo_stv'
export type SchulzeFamilyMethodId = 'schulze' | 'repeated_schulze'

export interface CountDocument {
  method: MethodId
  settings?: Record<string, unknown> | null
  candidates: CandidateId[]
  ballots: Array<Record<string, unknown> & { count: number }>
  abstentions?: number
  seed?: string
}

export type TiebreakStrategy = 'history' | 'random'

// ---------------------------------------------------------------------------
// Settings after defaults (section 2). Poll settings are what a poll stores; the counting
// interface additionally accepts the library options of 9.2, which the app never stores.

export type NoSettings = Record<string, never>

export interface DuttSettings {
  min: number
  max: number
}

export interface SchulzeSettings {
  stars: number
  deny_proposal: boolean
}

export interface RepeatedSchulzeSettings extends SchulzeSettings {
  winners: number | null
}

export interface ScottishStvSettings {
  winners: number
  allow_random: boolean
}

export interface IrvSettings {
  allow_random: boolean
}

export interface RepeatedIrvSettings {
  winners: number
  allow_random: boolean
  min: number | null
  max: number | null
}

export interface CpoStvSettings {
  winners: number
  allow_random: boolean
}

export interface PollSettingsByMethod {
  simple: NoSettings
  combined_simple: NoSettings
  majority: NoSettings
  dutt: DuttSettings
  schulze: SchulzeSettings
  repeated_schulze: RepeatedSchulzeSettings
  scottish_stv: ScottishStvSettings
  irv: IrvSettings
  repeated_irv: RepeatedIrvSettings
  cpo_stv: CpoStvSettings
}

/** Poll settings of any method, defaults applied (what `normalizeSettings` returns). */
export type Settings = PollSettingsByMethod[MethodId]

/** Library option of the Schulze family (8.3). */
export interface SchulzeLibraryOptions {
  random_order: CandidateId[] | null
}

/** Library options of the STV family (9.2). */
export interface StvLibraryOptions {
  random_order: CandidateId[] | null
  pedantic_order: boolean
  quota_override: number | null
  tiebreak_strategies: TiebreakStrategy[] | null
}

/** Settings as `count` uses them: poll settings plus the library options of the family. */
export interface CountSettingsByMethod {
  simple: NoSettings
  combined_simple: NoSettings
  majority: NoSettings
  dutt: DuttSettings
  schulze: SchulzeSettings & SchulzeLibraryOptions
  repeated_schulze: RepeatedSchulzeSettings & SchulzeLibraryOptions
  scottish_stv: ScottishStvSettings & StvLibraryOptions
  irv: IrvSettings & StvLibraryOptions
  repeated_irv: RepeatedIrvSettings & StvLibraryOptions
  cpo_stv: CpoStvSettings & StvLibraryOptions
}

// ---------------------------------------------------------------------------
// Validated ballots (payload without `count`), one shape per method.

export interface SimpleBallot {
  choice: 'yes' | 'no'
  count: number
}
export interface CombinedSimpleBallot {
  yes: CandidateId[]
  no: CandidateId[]
  abstain: CandidateId[]
  count: number
}
export interface MajorityBallot {
  choice: CandidateId
  count: number
}
export interface DuttBallot {
  choices: CandidateId[]
  count: number
}
export interface SchulzeBallot {
  ranking: Array<[CandidateId, number]>
  count: number
}
export interface StvBallot {
  ranking: CandidateId[]
  count: number
}

export interface BallotByMethod {
  simple: SimpleBallot
  combined_simple: CombinedSimpleBallot
  majority: MajorityBallot
  dutt: DuttBallot
  schulze: SchulzeBallot
  repeated_schulze: SchulzeBallot
  scottish_stv: StvBallot
  irv: StvBallot
  repeated_irv: StvBallot
  cpo_stv: StvBallot
}

/** A count document after structural validation and defaults (9.2/9.3). */
export interface ValidDocument<M extends MethodId = MethodId> {
  method: M
  settings: CountSettingsByMethod[M]
  candidates: CandidateId[]
  /** ballots as given (validated, not merged) */
  ballots: Array<BallotByMethod[M]>
  abstentions: number
  seed: string | null
}

// ---------------------------------------------------------------------------
// Outputs (9.4)

export interface CommonResult {
  method: MethodId
  approved: CandidateId[]
  denied: CandidateId[]
  vote_count: number
  abstains: number
  ballot_data: string
  ballot_checksum_sha512: string
  seed: string | null
}

export interface ProposalVotes {
  proposal: CandidateId
  votes: number
}

export interface SimpleResult extends CommonResult {
  method: 'simple'
  yes: number
  no: number
}

export interface CombinedSimpleResult extends CommonResult {
  method: 'combined_simple'
  results: Record<string, { yes: number; no: number; abstain: number }>
}

export interface MajorityResult extends CommonResult {
  method: 'majority'
  results: ProposalVotes[]
}

export interface DuttResult extends CommonResult {
  method: 'dutt'
  results: ProposalVotes[]
  votes_per_proposal: Record<string, number>
}

export type SchulzePair = [[CandidateId, CandidateId], number]
export type SchulzeAction = { nodes: CandidateId[] } | { edges: Array<[CandidateId, CandidateId]> }

export interface SchulzeRound {
  candidates: CandidateId[]
  winner: CandidateId | null
  tied_winners: CandidateId[] | null
  pairs: SchulzePair[]
  strong_pairs: SchulzePair[]
  actions: SchulzeAction[]
  randomized: boolean
}

export interface SchulzeResult extends CommonResult, SchulzeRound {
  method: 'schulze'
  random_order: CandidateId[] | null
}

export interface RepeatedSchulzeResult extends CommonResult {
  method: 'repeated_schulze'
  rounds: SchulzeRound[]
  order: CandidateId[]
  candidates: CandidateId[]
  randomized: boolean
  random_order: CandidateId[] | null
}

export type StvRoundMethod =
  | 'Direct'
  | 'Tiebreak (history)'
  | 'Tiebreak (Random)'
  | 'No competition left'
  | 'Comparison of Pairs of Outcomes'

export interface StvRound {
  status: 'Elected' | 'Excluded'
  method: StvRoundMethod | string
  selected: CandidateId[]
  vote_count: Record<string, number>
}

export interface StvResult extends CommonResult {
  method: StvFamilyMethodId
  winners: CandidateId[]
  complete: boolean
  randomized: boolean
  random_order: CandidateId[] | null
  quota: number
  empty_ballot_count: number
  rounds: StvRound[]
  candidates: CandidateId[]
}

export type CountResult =
  | SimpleResult
  | CombinedSimpleResult
  | MajorityResult
  | DuttResult
  | SchulzeResult
  | RepeatedSchulzeResult
  | StvResult

/** What a method module computes; the common keys are merged in by `count`. */
export type MethodOutcome<R extends CommonResult> = Omit<
  R,
  'method' | 'vote_count' | 'abstains' | 'ballot_data' | 'ballot_checksum_sha512' | 'seed'
> & { seed?: string | null }
