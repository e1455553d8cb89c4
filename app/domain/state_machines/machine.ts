/**
 * Generic, framework-free state machines (domain §5). A machine is a data table
 * of events; `evaluate()` is the one pure transition function. Every workflow
 * machine (meetings, agenda items, proposals, polls, speaker lists, invites)
 * is declared with `defineMachine` and run by the same evaluator, so the check
 * order of domain §5 and the error shapes of api.md §6.1 live in one place.
 *
 * `Facts` is whatever plain data a machine's guards need (e.g. the number of
 * ongoing polls); the caller gathers it. Permissions are passed in as a
 * function from permission name to boolean, computed by the predicates in
 * app/domain/permissions.
 */

export interface Reason {
  code: string
  message: string
}

/** A guard that makes the event unavailable when it fails (422 transition.unavailable). */
export interface Condition<Facts> {
  code: string
  message: string
  holds: (facts: Facts) => boolean
}

/** A rule check that rejects the event with its own code (422). */
export interface RuleValidator<Facts> {
  code: string
  message: string
  passes: (facts: Facts) => boolean
}

export interface EventDefinition<State extends string, Facts> {
  name: string
  title: string
  sources: readonly State[]
  /** The target state; a function for events whose target is stored on the object. */
  target: State | ((facts: Facts) => State)
  /** Internal events are fired by jobs and cascades only (with `force`). */
  internal?: boolean
  /** Permission name checked through `can()`, e.g. `meeting.moderate`. */
  permission: string
  conditions?: readonly Condition<Facts>[]
  validators?: readonly RuleValidator<Facts>[]
}

export interface MachineDefinition<State extends string, Facts> {
  name: string
  states: readonly State[]
  initial: State
  final: readonly State[]
  events: readonly EventDefinition<State, Facts>[]
}

export function defineMachine<State extends string, Facts>(
  machine: MachineDefinition<State, Facts>
): MachineDefinition<State, Facts> {
  const states = new Set<string>(machine.states)
  const names = new Set<string>()
  if (!states.has(machine.initial))
    throw new Error(`${machine.name}: unknown initial state ${machine.initial}`)
  for (const event of machine.events) {
    if (names.has(event.name)) throw new Error(`${machine.name}: duplicate event ${event.name}`)
    names.add(event.name)
    for (const source of event.sources) {
      if (!states.has(source))
        throw new Error(`${machine.name}.${event.name}: unknown source ${source}`)
    }
    if (typeof event.target === 'string' && !states.has(event.target)) {
      throw new Error(`${machine.name}.${event.name}: unknown target ${event.target}`)
    }
  }
  return machine
}

export interface EvaluationInput<State extends string, Facts> {
  state: State
  event: string
  facts: Facts
  /** Whether the caller holds a permission (ignored with `force`). */
  can: (permission: string) => boolean
  /** Internal callers (jobs, cascades): internal events allowed, permission skipped. */
  force?: boolean
}

export type Evaluation<State extends string> =
  | { ok: true; event: string; from: State; to: State }
  | {
      ok: false
      status: 403 | 422
      code: string
      message: string
      meta: Record<string, unknown>
    }

/** Events that start from `state` and that a non-internal caller may request, in table order. */
export function availableEvents<State extends string, Facts>(
  machine: MachineDefinition<State, Facts>,
  state: State,
  facts: Facts,
  can: (permission: string) => boolean
): string[] {
  return machine.events
    .filter((event) => !event.internal && event.sources.includes(state))
    .filter((event) => evaluate(machine, { state, event: event.name, facts, can }, false).ok)
    .map((event) => event.name)
}

/**
 * The transition function, in the check order of domain §5: unknown or
 * internal event → 422 transition.unavailable; permission → 403; source state
 * and conditions → 422 transition.unavailable; rule validators → 422 with the
 * validator's code. Vetoes (before-transition hooks) are run by the caller.
 */
export function evaluate<State extends string, Facts>(
  machine: MachineDefinition<State, Facts>,
  input: EvaluationInput<State, Facts>,
  listAllowed = true
): Evaluation<State> {
  const { state, facts, can, force = false } = input
  const event = machine.events.find((candidate) => candidate.name === input.event)
  const unavailable = (message: string, reasons: Reason[] = []) =>
    ({
      ok: false,
      status: 422,
      code: 'transition.unavailable',
      message,
      meta: {
        event: input.event,
        state,
        allowed_events: force || !listAllowed ? [] : availableEvents(machine, state, facts, can),
        reasons,
      },
    }) as const

  if (!event || (event.internal && !force)) {
    return unavailable(`Unknown event "${input.event}"`)
  }
  if (!force && !can(event.permission)) {
    return {
      ok: false,
      status: 403,
      code: 'permission.denied',
      message: 'You do not have permission to do that',
      meta: { permission: event.permission, event: event.name, state },
    }
  }
  if (!event.sources.includes(state)) {
    return unavailable(`The event "${event.name}" is not available in state "${state}"`, [
      { code: 'transition.wrong_state', message: `Not available in state "${state}"` },
    ])
  }
  const unmet = (event.conditions ?? []).filter((condition) => !condition.holds(facts))
  if (unmet.length > 0) {
    return unavailable(
      unmet.map((condition) => condition.message).join('; '),
      unmet.map(({ code, message }) => ({ code, message }))
    )
  }
  const rejected = (event.validators ?? []).find((validator) => !validator.passes(facts))
  if (rejected) {
    return {
      ok: false,
      status: 422,
      code: rejected.code,
      message: rejected.message,
      meta: { event: event.name, state },
    }
  }
  const to = typeof event.target === 'function' ? event.target(facts) : event.target
  return { ok: true, event: event.name, from: state, to }
}

export interface EventStatus {
  name: string
  title: string
  target: string | null
  allowed: boolean
  reasons: Reason[]
}

/**
 * `GET …/event` (api.md §6.1): the events whose sources include the current
 * state (internal ones omitted), with every unmet condition and failed
 * permission or rule check as reasons.
 */
export function describeEvents<State extends string, Facts>(
  machine: MachineDefinition<State, Facts>,
  state: State,
  facts: Facts,
  can: (permission: string) => boolean
): EventStatus[] {
  return machine.events
    .filter((event) => !event.internal && event.sources.includes(state))
    .map((event) => {
      const reasons: Reason[] = []
      if (!can(event.permission)) {
        reasons.push({
          code: 'permission.denied',
          message: `Requires permission ${event.permission}`,
        })
      }
      for (const condition of event.conditions ?? []) {
        if (!condition.holds(facts))
          reasons.push({ code: condition.code, message: condition.message })
      }
      for (const validator of event.validators ?? []) {
        if (!validator.passes(facts))
          reasons.push({ code: validator.code, message: validator.message })
      }
      const target =
        typeof event.target === 'function' ? safeTarget(event.target, facts) : event.target
      return {
        name: event.name,
        title: event.title,
        target,
        allowed: reasons.length === 0,
        reasons,
      }
    })
}

function safeTarget<State extends string, Facts>(
  target: (facts: Facts) => State,
  facts: Facts
): State | null {
  try {
    return target(facts) ?? null
  } catch {
    return null
  }
}

/** `GET /api/state-machines` shape (api.md §6.1). Dynamic targets are published as null. */
export function publishMachine(machine: MachineDefinition<string, any>) {
  return {
    name: machine.name,
    states: [...machine.states],
    initial: machine.initial,
    final: [...machine.final],
    events: machine.events.map((event) => ({
      name: event.name,
      title: event.title,
      sources: [...event.sources],
      target: typeof event.target === 'string' ? event.target : null,
      internal: event.internal ?? false,
    })),
  }
}
