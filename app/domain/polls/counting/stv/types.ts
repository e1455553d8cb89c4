/** Public types of the STV family (poll-methods spec, sections 7, 9.4). */
export type CandidateId = number | string
export type StvMethodId = 'scottish_stv' | 'irv' | 'repeated_irv' | 'cpo_stv'
export type TiebreakStrategyName = 'history' | 'random'

export interface StvSettings {
  winners: number
  allow_random: boolean
  random_order: CandidateId[] | null
  pedantic_order: boolean
  quota_override: number | null
  tiebreak_strategies: TiebreakStrategyName[] | null
}

export interface StvInput {
  method: StvMethodId
  candidates: CandidateId[]
  ballots: Array<{ ranking: CandidateId[]; count: number }>
  settings: StvSettings
  seed: string | null
}

export type RoundStatus = 'Elected' | 'Excluded'
export type RoundMethod =
  | 'Direct'
  | 'Tiebreak (history)'
  | 'Tiebreak (Random)'
  | 'No competition left'
  | 'Comparison of Pairs of Outcomes'

export interface StvRound {
  status: RoundStatus
  method: RoundMethod
  selected: CandidateId[]
  vote_count: Record<string, number>
}

export interface StvOutput {
  approved: CandidateId[]
  denied: CandidateId[]
  winners: CandidateId[]
  complete: boolean
  randomized: boolean
  random_order: CandidateId[] | null
  quota: number
  empty_ballot_count: number
  rounds: StvRound[]
  candidates: CandidateId[]
  seed: string | null
}
