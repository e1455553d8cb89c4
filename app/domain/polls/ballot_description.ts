/**
 * Accessible ballot description (beyond.md B-NEW-05): what a screen-reader-first
 * client needs to render a ballot with explicit label↔control associations.
 * Every sentence is a message `key` with `params` (for clients that localise)
 * and an English `text`. Constraints are derived from the normalised settings
 * and the number of options, the same limits `validateVote` applies.
 * Framework-free: the caller passes plain facts (labels already plain text).
 */
import type { MethodId, PollSettingsByMethod, Settings } from './counting/types.js'

export type BallotControl = 'yes_no' | 'yes_no_abstain' | 'radio' | 'checkbox' | 'stars' | 'rank'

export interface BallotMessage {
  key: string
  params: Record<string, string | number | boolean>
  text: string
}

export interface BallotOptionInput {
  /** Proposal id (the id used in the vote payload). */
  id: number
  prop_id: string | null
  /** Full label text, plain text, never truncated. */
  label: string
  /** The proposal's short title (D19 excerpt); the label is the full text. */
  title: string
}

export interface BallotCurrentInput {
  id: number
  rev: number
  abstain: boolean
  /** The payload as `votePayload` returns it (null for an abstention). */
  vote: Record<string, unknown> | null
}

export interface BallotInput {
  /** `description`: the poll body as plain text (empty when none). */
  poll: { id: number; title: string; description: string; state: string; secret: boolean }
  method: MethodId
  methodTitle: string
  settings: Settings
  /** domain §10.1 `p_ord`: c chronological (option input order), a alphabetical, r random. */
  order: 'c' | 'a' | 'r'
  /** Seed of the random order (`r`): stable per poll and voter, so the order does not move. */
  seed: string
  /** The poll's proposals in chronological order. */
  options: BallotOptionInput[]
  current: BallotCurrentInput | null
  canVote: boolean
}

export interface BallotOption {
  /** Candidate id of the vote payload (0 is the deny option of the Schulze family). */
  id: number
  prop_id: string | null
  label: string
  title: string | null
  /** 1-based display position. */
  position: number
  /** Set on options that are no proposal (the Schulze deny option). */
  virtual?: BallotMessage
  /** The current vote mapped onto this option; all null/false without a current vote. */
  selected?: boolean
  choice?: 'yes' | 'no' | 'abstain' | null
  stars?: number | null
  rank?: number | null
}

export interface BallotDescription {
  poll: number
  title: string
  description: string | null
  state: string
  secret: boolean
  method_name: MethodId
  method_title: string
  control: BallotControl
  /** Values of a `yes_no` / `yes_no_abstain` control, or the star range. */
  values: Array<string | number> | null
  instructions: BallotMessage
  constraints: BallotMessage[]
  outcome: BallotMessage | null
  options: BallotOption[]
  current: {
    id: number
    rev: number
    abstain: boolean
    vote: Record<string, unknown> | null
  } | null
  can_vote: boolean
  can_abstain: boolean
}

function message(
  key: string,
  params: Record<string, string | number | boolean>,
  text: string
): BallotMessage {
  return { key: `ballot.${key}`, params, text }
}

const options = (n: number) => `${n} option${n === 1 ? '' : 's'}`
const proposals = (n: number) => `${n} proposal${n === 1 ? '' : 's'}`

function controlOf(method: MethodId): BallotControl {
  switch (method) {
    case 'simple':
      return 'yes_no'
    case 'combined_simple':
      return 'yes_no_abstain'
    case 'majority':
      return 'radio'
    case 'dutt':
      return 'checkbox'
    case 'schulze':
    case 'repeated_schulze':
      return 'stars'
    default:
      return 'rank'
  }
}

/** Count limits as `validateVote` applies them, made effective for `n` options. */
export function choiceLimits(method: MethodId, settings: Settings, n: number) {
  if (method === 'dutt') {
    const s = settings as PollSettingsByMethod['dutt']
    return { min: s.min > 0 ? s.min : 0, max: s.max > 0 ? Math.min(s.max, n) : n }
  }
  if (method === 'repeated_irv') {
    const s = settings as PollSettingsByMethod['repeated_irv']
    return { min: Math.max(1, s.min ?? 1), max: Math.min(s.max ?? n, n) }
  }
  // The rest of the STV family: at least one id, no duplicates.
  return { min: 1, max: n }
}

function chooseConstraint(min: number, max: number, n: number): BallotMessage {
  const params = { min, max, options: n }
  if (min === max)
    return message('constraint.choose_exactly', params, `Choose exactly ${options(min)}.`)
  if (min === 0 && max === n)
    return message(
      'constraint.choose_any',
      params,
      `Choose any number of the ${options(n)}, or none.`
    )
  if (min === 0)
    return message('constraint.choose_at_most', params, `Choose at most ${options(max)}.`)
  if (max === n)
    return message('constraint.choose_at_least', params, `Choose at least ${options(min)}.`)
  return message('constraint.choose_between', params, `Choose between ${min} and ${options(max)}.`)
}

function rankConstraint(min: number, max: number, n: number): BallotMessage {
  const params = { min, max, options: n }
  const candidates = (k: number) => `${k} candidate${k === 1 ? '' : 's'}`
  if (min === max)
    return message(
      'constraint.rank_exactly',
      params,
      `Rank exactly ${candidates(min)}; each rank once.`
    )
  return message(
    'constraint.rank_between',
    params,
    `Rank at least ${min} and at most ${candidates(max)}; each rank once.`
  )
}

function instructionsOf(method: MethodId, settings: Settings): BallotMessage {
  switch (method) {
    case 'simple':
      return message('instructions.simple', {}, 'Vote yes or no on the proposal.')
    case 'combined_simple':
      return message(
        'instructions.combined_simple',
        {},
        'For each proposal, choose yes, no or abstain.'
      )
    case 'majority':
      return message('instructions.majority', {}, 'Choose the proposal you support.')
    case 'dutt':
      return message('instructions.dutt', {}, 'Tick every proposal you approve of.')
    case 'schulze':
    case 'repeated_schulze': {
      const stars = (settings as PollSettingsByMethod['schulze']).stars
      return message(
        'instructions.schulze',
        { stars },
        `Give each proposal from 0 to ${stars} stars: more stars means you prefer it more.`
      )
    }
    default:
      return message(
        'instructions.ranking',
        {},
        'Rank the candidates in order of preference: rank 1 is your first choice, rank 2 your second, and so on.'
      )
  }
}

function constraintsOf(method: MethodId, settings: Settings, n: number): BallotMessage[] {
  const list: BallotMessage[] = []
  switch (method) {
    case 'simple':
      list.push(message('constraint.yes_or_no', {}, 'Choose either yes or no.'))
      break
    case 'combined_simple':
      list.push(
        message(
          'constraint.one_answer_each',
          { options: n },
          `Give one answer for each of the ${proposals(n)}; a proposal left without an answer counts as abstain.`
        )
      )
      break
    case 'majority':
      list.push(
        message('constraint.choose_one', { options: n }, `Choose exactly one of the ${options(n)}.`)
      )
      break
    case 'dutt': {
      const { min, max } = choiceLimits(method, settings, n)
      list.push(chooseConstraint(min, max, n))
      break
    }
    case 'schulze':
    case 'repeated_schulze': {
      const s = settings as PollSettingsByMethod['schulze']
      list.push(
        message(
          'constraint.stars_range',
          { min: 0, max: s.stars, options: n },
          `Rate each option with 0 to ${s.stars} stars; options may share the same number of stars.`
        ),
        // poll-methods §3.1: the UI requires at least one non-zero rating.
        message('constraint.stars_at_least_one', {}, 'Give at least one option 1 star or more.'),
        message(
          'constraint.stars_unrated',
          {},
          'An option left at 0 stars counts as unrated, below every option you rated.'
        )
      )
      if (s.deny_proposal) {
        list.push(
          message(
            'constraint.deny_option',
            {},
            'The option "Reject all proposals" can be rated too: rate it above the proposals you would rather reject.'
          )
        )
      }
      break
    }
    default: {
      const { min, max } = choiceLimits(method, settings, n)
      list.push(
        rankConstraint(min, max, n),
        message(
          'constraint.rank_order',
          {},
          'Ranks follow each other from 1 without gaps; each candidate gets at most one rank.'
        )
      )
    }
  }
  list.push(
    message(
      'constraint.abstain',
      {},
      'You may abstain instead: an abstention counts in the turnout but for no option.'
    ),
    message(
      'constraint.change_vote',
      {},
      'You may change your vote or abstention until the poll closes; the last one counts.'
    )
  )
  return list
}

function outcomeOf(method: MethodId, settings: Settings): BallotMessage | null {
  switch (method) {
    case 'repeated_schulze': {
      const winners = (settings as PollSettingsByMethod['repeated_schulze']).winners
      return winners === null
        ? message('outcome.order', {}, 'The proposals will be put in order; none is approved.')
        : message('outcome.winners', { winners }, `${proposals(winners)} will be approved.`)
    }
    case 'scottish_stv':
    case 'repeated_irv':
    case 'cpo_stv': {
      const winners = (settings as PollSettingsByMethod['scottish_stv']).winners
      return message('outcome.winners', { winners }, `${proposals(winners)} will be approved.`)
    }
    case 'schulze':
    case 'irv':
      return message('outcome.winners', { winners: 1 }, `${proposals(1)} will be approved.`)
    case 'dutt':
      return message(
        'outcome.tally',
        {},
        'The ticks are counted per proposal; nothing is approved or denied.'
      )
    default:
      return null
  }
}

/** FNV-1a, then mulberry32: a small seeded generator for the `r` display order. */
function seededRandom(seed: string): () => number {
  let h = 0x811c9dc5
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  let a = h >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function ordered(input: BallotInput): BallotOptionInput[] {
  const list = [...input.options]
  if (input.order === 'a') {
    const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true })
    return list.sort((a, b) => collator.compare(a.label, b.label) || a.id - b.id)
  }
  if (input.order === 'r') {
    const random = seededRandom(input.seed)
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[list[i], list[j]] = [list[j], list[i]]
    }
  }
  return list
}

const idOf = (value: unknown) => Number(value)

/** The current vote mapped onto one option (null/false everywhere without a vote). */
function mark(method: MethodId, option: BallotOption, vote: Record<string, unknown> | null) {
  switch (method) {
    case 'simple':
      option.choice = vote ? (vote.choice as 'yes' | 'no') : null
      return
    case 'combined_simple': {
      if (!vote) {
        option.choice = null
        return
      }
      const has = (key: string) =>
        ((vote[key] as unknown[]) ?? []).some((id) => idOf(id) === option.id)
      // poll-methods §5.2: yes wins over no; an unmentioned proposal counts as abstain.
      option.choice = has('yes') ? 'yes' : has('no') ? 'no' : 'abstain'
      return
    }
    case 'majority':
      option.selected = vote ? idOf(vote.choice) === option.id : false
      return
    case 'dutt':
      option.selected = vote
        ? (vote.choices as unknown[]).some((id) => idOf(id) === option.id)
        : false
      return
    case 'schulze':
    case 'repeated_schulze': {
      const pair = vote
        ? (vote.ranking as Array<[unknown, number]>).find(([id]) => idOf(id) === option.id)
        : undefined
      option.stars = vote ? (pair ? pair[1] : 0) : null
      return
    }
    default: {
      const index = vote
        ? (vote.ranking as unknown[]).findIndex((id) => idOf(id) === option.id)
        : -1
      option.rank = index >= 0 ? index + 1 : null
    }
  }
}

export function describeBallot(input: BallotInput): BallotDescription {
  const { method, settings } = input
  const n = input.options.length
  const control = controlOf(method)
  const list: BallotOption[] = ordered(input).map((option, index) => ({
    id: option.id,
    prop_id: option.prop_id,
    label: option.label,
    title: option.title,
    position: index + 1,
  }))
  const deny =
    (method === 'schulze' || method === 'repeated_schulze') &&
    (settings as PollSettingsByMethod['schulze']).deny_proposal
  if (deny) {
    const virtual = message('option.deny_all', {}, 'Reject all proposals')
    list.push({
      id: 0,
      prop_id: null,
      label: virtual.text,
      title: null,
      position: list.length + 1,
      virtual,
    })
  }
  const vote = input.current && !input.current.abstain ? input.current.vote : null
  for (const option of list) mark(method, option, vote)
  const values =
    control === 'yes_no'
      ? ['yes', 'no']
      : control === 'yes_no_abstain'
        ? ['yes', 'no', 'abstain']
        : control === 'stars'
          ? Array.from(
              { length: (settings as PollSettingsByMethod['schulze']).stars + 1 },
              (_, i) => i
            )
          : null
  return {
    poll: input.poll.id,
    title: input.poll.title,
    description: input.poll.description || null,
    state: input.poll.state,
    secret: input.poll.secret,
    method_name: method,
    method_title: input.methodTitle,
    control,
    values,
    instructions: instructionsOf(method, settings),
    constraints: constraintsOf(method, settings, n),
    outcome: outcomeOf(method, settings),
    options: list,
    current: input.current
      ? {
          id: input.current.id,
          rev: input.current.rev,
          abstain: input.current.abstain,
          vote: input.current.abstain ? null : input.current.vote,
        }
      : null,
    can_vote: input.canVote,
    can_abstain: input.canVote,
  }
}
