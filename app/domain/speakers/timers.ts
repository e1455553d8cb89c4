/**
 * Speaking timers (beyond.md B-ADD-02, api.md §11.4) as pure functions of
 * timestamps (milliseconds) passed in by the caller. A turn's clock runs from
 * `start` until `stop`, minus paused intervals.
 *
 * Stored per turn: `runningSince` (last start/resume; null while paused or
 * not started), `pausedAt`, `accumulatedMs` (running time before the last
 * resume) and `limitSeconds` (null = no countdown).
 */
import { DomainError } from '#domain/errors'

/** Domain §12.1: seconds are capped so they fit a small integer column. */
export const MAX_TURN_SECONDS = 32767

export interface TurnClock {
  runningSince: number | null
  pausedAt: number | null
  accumulatedMs: number
  limitSeconds: number | null
}

export function startClock(now: number, limitSeconds: number | null): TurnClock {
  return { runningSince: now, pausedAt: null, accumulatedMs: 0, limitSeconds }
}

export const isPaused = (clock: TurnClock) => clock.pausedAt !== null

export function pauseClock(clock: TurnClock, now: number): TurnClock {
  if (clock.runningSince === null || clock.pausedAt !== null) {
    throw new DomainError('speaker.not_running', 'The timer is not running')
  }
  return {
    ...clock,
    runningSince: null,
    pausedAt: now,
    accumulatedMs: clock.accumulatedMs + Math.max(0, now - clock.runningSince),
  }
}

export function resumeClock(clock: TurnClock, now: number): TurnClock {
  if (clock.pausedAt === null)
    throw new DomainError('speaker.not_paused', 'The timer is not paused')
  return { ...clock, runningSince: now, pausedAt: null }
}

/** Adds time to the countdown (a turn without limit gets one counted from now's elapsed time). */
export function extendClock(clock: TurnClock, seconds: number, now: number): TurnClock {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) {
    throw new DomainError('validation.failed', 'seconds must be an integer between 1 and 3600', {
      field: 'seconds',
      rule: 'range',
    })
  }
  const base = clock.limitSeconds ?? Math.ceil(elapsedMs(clock, now) / 1000)
  return { ...clock, limitSeconds: Math.min(MAX_TURN_SECONDS, base + seconds) }
}

export function elapsedMs(clock: TurnClock, now: number): number {
  const running = clock.runningSince === null ? 0 : Math.max(0, now - clock.runningSince)
  return clock.accumulatedMs + running
}

/** Whole seconds elapsed (floor), as shown by a running clock. */
export const elapsedSeconds = (clock: TurnClock, now: number) =>
  Math.floor(elapsedMs(clock, now) / 1000)

/** Remaining countdown seconds (negative = overtime), or null without a limit. */
export function remainingSeconds(clock: TurnClock, now: number): number | null {
  if (clock.limitSeconds === null) return null
  return clock.limitSeconds - Math.ceil(elapsedMs(clock, now) / 1000)
}

/** Domain §12.1 `stop()`: ceil of the elapsed seconds, minimum 1, capped at 32767. */
export function finishedSeconds(clock: TurnClock, now: number): number {
  return clampSeconds(Math.ceil(elapsedMs(clock, now) / 1000))
}

export function clampSeconds(seconds: number): number {
  return Math.min(MAX_TURN_SECONDS, Math.max(1, seconds))
}

/** The limit a new turn gets: per-kind limit for points of order, else the system default. */
export function limitForKind(
  kind: 'speech' | 'point_of_order',
  system: { speechSeconds: number | null; pointOfOrderSeconds: number | null }
): number | null {
  const value = kind === 'point_of_order' ? system.pointOfOrderSeconds : system.speechSeconds
  return value && value > 0 ? value : null
}
