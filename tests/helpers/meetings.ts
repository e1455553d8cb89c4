import type { ApiClient } from '@japa/api-client'
import Meeting from '#models/meeting'
import type Organisation from '#models/organisation'
import type User from '#models/user'
import AgendaItem from '#models/agenda_item'
import CreateMeeting from '#actions/meetings/create_meeting'
import ChangeMeetingRoles from '#actions/meetings/change_meeting_roles'
import TransitionMeeting from '#actions/meetings/transition_meeting'
import TransitionAgendaItem from '#actions/agenda/transition_agenda_item'
import CreateAgendaItem from '#actions/agenda/create_agenda_item'
import { systemActor } from '#services/audit_log'
import { registerSink, type OutgoingMessage } from '#realtime/publish'
import { registerMeetingHook } from '#services/meeting_hooks'
import type { MeetingState } from '#domain/meetings/state_machine'
import type { AgendaItemState } from '#domain/agenda/state_machine'
import {
  asBrowser,
  givenOrganisation,
  givenUser,
  loginBrowser,
  type BrowserSession,
} from '#tests/helpers/world'

const cli = systemActor('cli')

/** Forced event paths from `upcoming` to each meeting state (the job path for `archive`). */
const meetingPaths: Record<MeetingState, string[]> = {
  upcoming: [],
  ongoing: ['make_ongoing'],
  closed: ['make_ongoing', 'close'],
  archiving: ['make_ongoing', 'close', 'request_archiving'],
  archived: ['make_ongoing', 'close', 'request_archiving', 'archive'],
  deleting: ['request_delete'],
}

export async function givenMeeting(
  organisation: Organisation,
  options: {
    moderator?: User
    state?: MeetingState
    public?: boolean
    visibleInLists?: boolean
    erPolicyName?: string | null
  } = {}
): Promise<Meeting> {
  const moderator = options.moderator ?? (await givenUser(organisation))
  let meeting = await new CreateMeeting().execute({
    organisation,
    title: 'Meeting',
    creator: moderator,
    public: options.public,
    visibleInLists: options.visibleInLists,
    erPolicyName: options.erPolicyName === undefined ? 'auto_before_poll' : options.erPolicyName,
    actor: cli,
  })
  meeting = await moveMeetingTo(meeting, options.state ?? 'upcoming')
  return meeting
}

export async function moveMeetingTo(meeting: Meeting, state: MeetingState): Promise<Meeting> {
  // Skip the part of the path the meeting has already walked (upcoming → ongoing → closed → …).
  const walked = meetingPaths[meeting.state].length
  const path = meeting.state === 'deleting' ? [] : meetingPaths[state].slice(walked)
  for (const event of path) {
    if (event === 'archive') {
      meeting.archiveAfter = meeting.archiveAfter!.minus({ days: 4 })
      await meeting.save()
    }
    meeting = await new TransitionMeeting().execute({
      meeting,
      event,
      user: null,
      actor: cli,
      force: true,
    })
  }
  return meeting
}

export async function givenRoles(meeting: Meeting, user: User, roles: string[]) {
  await new ChangeMeetingRoles().execute({
    meeting,
    userIds: [user.id],
    roles,
    mode: 'add',
    actor: cli,
  })
}

/** An agenda item in a given state (the meeting must allow it, domain §7.5). */
export async function givenAgendaItem(
  meeting: Meeting,
  state: AgendaItemState = 'private',
  title = 'Item'
) {
  let item = await new CreateAgendaItem().execute({ meeting, title, actor: cli })
  const events: Record<AgendaItemState, string[]> = {
    private: [],
    upcoming: ['make_upcoming'],
    ongoing: ['make_ongoing'],
    closed: ['close'],
    archived: ['archive'],
  }
  for (const event of events[state]) {
    item = await new TransitionAgendaItem().execute({
      item,
      event,
      user: null,
      actor: cli,
      force: true,
    })
  }
  return item
}

export async function reloadMeeting(meeting: Meeting) {
  return Meeting.findInOrganisation(meeting.organisationId, meeting.id) as Promise<Meeting>
}

export async function reloadItem(item: AgendaItem) {
  return AgendaItem.findInOrganisation(item.organisationId, item.id)
}

/** Collects realtime messages published while `fn` runs (after commit). */
export async function capturePublished<T>(
  fn: () => Promise<T>
): Promise<{ result: T; messages: OutgoingMessage[] }> {
  const messages: OutgoingMessage[] = []
  const stop = registerSink((batch) => void messages.push(...batch))
  try {
    return { result: await fn(), messages }
  } finally {
    stop()
  }
}

/** Pretends `count` polls are ongoing in the meeting (the poll module registers the real counter). */
export function fakeOngoingPolls(meetingId: number, count = 1, agendaItemId?: number) {
  return registerMeetingHook('ongoingPolls', async (_client, scope) => {
    if (scope.meetingId !== meetingId) return 0
    if (
      agendaItemId !== undefined &&
      scope.agendaItemId !== undefined &&
      scope.agendaItemId !== agendaItemId
    )
      return 0
    return count
  })
}

export type Caller =
  | 'anonymous'
  | 'other_org_user'
  | 'org_member'
  | 'participant'
  | 'proposer'
  | 'discusser'
  | 'potential_voter'
  | 'moderator'
  | 'org_manager'
  | 'meeting_creator'

export const allCallers: Caller[] = [
  'anonymous',
  'other_org_user',
  'org_member',
  'participant',
  'proposer',
  'discusser',
  'potential_voter',
  'moderator',
  'org_manager',
  'meeting_creator',
]

/**
 * One organisation with a meeting and a logged-in user per caller kind.
 * `other_org_user` is logged in on their own organisation's host and sends
 * the request there (a session is only valid on its own host).
 */
export async function meetingWorld(
  client: ApiClient,
  options: { state?: MeetingState; public?: boolean; visibleInLists?: boolean } = {}
) {
  const { organisation, host } = await givenOrganisation()
  const other = await givenOrganisation()
  const users: Record<Exclude<Caller, 'anonymous'>, User> = {
    other_org_user: await givenUser(other.organisation),
    org_member: await givenUser(organisation),
    participant: await givenUser(organisation),
    proposer: await givenUser(organisation),
    discusser: await givenUser(organisation),
    potential_voter: await givenUser(organisation),
    moderator: await givenUser(organisation),
    org_manager: await givenUser(organisation, { roles: ['org_manager'] }),
    meeting_creator: await givenUser(organisation, { roles: ['meeting_creator'] }),
  }
  const meeting = await givenMeeting(organisation, {
    moderator: users.moderator,
    state: options.state,
    public: options.public,
    visibleInLists: options.visibleInLists,
  })
  await givenRoles(meeting, users.participant, ['pa'])
  await givenRoles(meeting, users.proposer, ['pr'])
  await givenRoles(meeting, users.discusser, ['di'])
  await givenRoles(meeting, users.potential_voter, ['pv'])
  const sessions = new Map<Caller, BrowserSession>()
  for (const [caller, user] of Object.entries(users) as Array<
    [Exclude<Caller, 'anonymous'>, User]
  >) {
    sessions.set(
      caller,
      await loginBrowser(client, caller === 'other_org_user' ? other.host : host, user)
    )
  }
  return {
    organisation,
    host,
    otherHost: other.host,
    meeting,
    users,
    /** Applies the caller's identity (or none) to a request. */
    as(caller: Caller, request: ReturnType<ApiClient['get']>) {
      if (caller === 'anonymous') return request.header('host', host)
      return asBrowser(request, sessions.get(caller)!)
    },
  }
}
