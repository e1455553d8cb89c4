import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Meeting from '#models/meeting'
import type { Actor } from '#services/audit_log'
import type { MeetingRoleCode } from '#domain/permissions/roles'

/**
 * Extension points of the meeting module for modules built later (speaker
 * systems, active users, vote transfers, invites, dialects, polls). Each hook
 * runs inside the transaction of the change that triggers it, so a failing
 * hook rolls the whole change back.
 */
export interface HookContext {
  trx: TransactionClientContract
  meeting: Meeting
  actor: Actor
}

export interface RolesChangedContext extends HookContext {
  userId: number
  before: MeetingRoleCode[]
  after: MeetingRoleCode[]
  added: MeetingRoleCode[]
  removed: MeetingRoleCode[]
}

/** Counts ongoing polls (the poll module registers it; without polls there are none). */
type Counter = (client: QueryClientContract, scope: CounterScope) => Promise<number>
export interface CounterScope {
  meetingId: number
  agendaItemId?: number
  groupId?: number
}

const hooks = {
  /** After a user lost `pa` in a meeting (domain §3.6): speaker roles, active flag, transfers, invites. */
  participantRemoved: [] as Array<(context: HookContext & { userId: number }) => Promise<void>>,
  /** After any change of a meeting role row (domain §3.4: `roles_added` / `roles_removed`). */
  rolesChanged: [] as Array<(context: RolesChangedContext) => Promise<void>>,
  /** Domain event `er_policy_changed` (domain §7.1). */
  erPolicyChanged: [] as Array<
    (context: HookContext & { previous: string | null }) => Promise<void>
  >,
  /** Ongoing polls in a meeting or agenda item (guards of §7.4 and §8.2). */
  ongoingPolls: [] as Counter[],
  /** Proposals and discussion posts authored "as" a group: such a group cannot be deleted (§7.2). */
  groupReferences: [] as Counter[],
}

export type MeetingHookName = keyof typeof hooks

export function registerMeetingHook<K extends MeetingHookName>(
  name: K,
  hook: (typeof hooks)[K][number]
) {
  ;(hooks[name] as Array<(typeof hooks)[K][number]>).push(hook)
  return () => {
    const list = hooks[name] as Array<(typeof hooks)[K][number]>
    const index = list.indexOf(hook)
    if (index >= 0) list.splice(index, 1)
  }
}

export async function runParticipantRemoved(context: HookContext & { userId: number }) {
  for (const hook of hooks.participantRemoved) await hook(context)
}

export async function runRolesChanged(context: RolesChangedContext) {
  for (const hook of hooks.rolesChanged) await hook(context)
}

export async function countOngoingPolls(
  client: QueryClientContract,
  scope: CounterScope
): Promise<number> {
  let total = 0
  for (const counter of hooks.ongoingPolls) total += await counter(client, scope)
  return total
}

export async function countGroupReferences(
  client: QueryClientContract,
  scope: CounterScope
): Promise<number> {
  let total = 0
  for (const counter of hooks.groupReferences) total += await counter(client, scope)
  return total
}

export async function runErPolicyChanged(context: HookContext & { previous: string | null }) {
  for (const hook of hooks.erPolicyChanged) await hook(context)
}

/**
 * `POST /api/meetings {install_dialect}` installs a dialect in the creating
 * transaction (domain §7.1). The dialect module registers the installer.
 */
type DialectInstaller = (context: HookContext & { dialect: string }) => Promise<void>
let dialectInstaller: DialectInstaller | null = null

export function registerDialectInstaller(installer: DialectInstaller | null) {
  dialectInstaller = installer
}

export function currentDialectInstaller(): DialectInstaller | null {
  return dialectInstaller
}
