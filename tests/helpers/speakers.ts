import type { ApiClient } from '@japa/api-client'
import type User from '#models/user'
import type Meeting from '#models/meeting'
import type AgendaItem from '#models/agenda_item'
import CreateMeeting from '#actions/meetings/create_meeting'
import ChangeMeetingRoles from '#actions/meetings/change_meeting_roles'
import TransitionMeeting from '#actions/meetings/transition_meeting'
import CreateAgendaItem from '#actions/agenda/create_agenda_item'
import TransitionAgendaItem from '#actions/agenda/transition_agenda_item'
import { systemActor } from '#services/audit_log'
import { registerSink, type OutgoingMessage } from '#realtime/publish'
import {
  asBrowser,
  givenOrganisation,
  givenUser,
  loginBrowser,
  type BrowserSession,
} from '#tests/helpers/world'

/**
 * A speaker-ready world: an ongoing meeting with an ongoing agenda item,
 * moderator Mia, discusser Dan, participant Pia, discusser Eve and an outsider
 * of the same organisation. Rooms, systems and lists are created through the
 * API by the tests themselves.
 */
export async function givenSpeakerWorld(client: ApiClient) {
  const { organisation, host } = await givenOrganisation()
  const mia = await givenUser(organisation, { firstName: 'Mia' })
  const dan = await givenUser(organisation, { firstName: 'Dan' })
  const pia = await givenUser(organisation, { firstName: 'Pia' })
  const eve = await givenUser(organisation, { firstName: 'Eve' })
  const outsider = await givenUser(organisation, { firstName: 'Otto' })
  const actor = systemActor('cli')
  const meeting = await new CreateMeeting().execute({
    organisation,
    title: 'AGM',
    erPolicyName: 'auto_before_poll',
    creator: mia,
    actor,
  })
  const roles = new ChangeMeetingRoles()
  await roles.execute({ meeting, userIds: [dan.id, eve.id], roles: ['di'], mode: 'add', actor })
  await roles.execute({ meeting, userIds: [pia.id], roles: ['pa'], mode: 'add', actor })
  await new TransitionMeeting().execute({
    meeting,
    event: 'make_ongoing',
    user: null,
    actor,
    force: true,
  })
  const item = await new CreateAgendaItem().execute({ meeting, title: 'Budget', actor })
  await new TransitionAgendaItem().execute({
    item,
    event: 'make_ongoing',
    user: null,
    actor,
    force: true,
  })

  const sessions: Record<string, BrowserSession> = {}
  const login = async (user: User) => (sessions[user.id] ??= await loginBrowser(client, host, user))
  return {
    organisation,
    host,
    meeting: meeting as Meeting,
    item: item as AgendaItem,
    mia,
    dan,
    pia,
    eve,
    outsider,
    login,
  }
}

export type SpeakerWorld = Awaited<ReturnType<typeof givenSpeakerWorld>>

/** Sends a JSON request as the given user (browser login, CSRF header). */
export async function call(
  client: ApiClient,
  world: SpeakerWorld,
  user: User,
  method: 'get' | 'post' | 'patch' | 'put' | 'delete',
  url: string,
  body?: Record<string, unknown>
) {
  const session = await world.login(user)
  const request = asBrowser(client[method](url), session)
  return body === undefined ? request : request.json(body)
}

/** Creates room → system → list through the API; the list becomes the active list. */
export async function givenRunningList(
  client: ApiClient,
  world: SpeakerWorld,
  system: Record<string, unknown> = {}
) {
  const room = await call(client, world, world.mia, 'post', '/api/rooms', {
    meeting: world.meeting.id,
    title: 'Plenary',
  })
  room.assertStatus(201)
  const sls = await call(client, world, world.mia, 'post', '/api/speaker-list-systems', {
    room: room.body().id,
    method_name: 'simple',
    safe_positions: 1,
    meeting_roles_to_speaker: ['di'],
    ...system,
  })
  sls.assertStatus(201)
  const list = await call(client, world, world.mia, 'post', '/api/speaker-lists', {
    speaker_system: sls.body().id,
    agenda_item: world.item.id,
    title: 'Main list',
  })
  list.assertStatus(201)
  const active = await call(
    client,
    world,
    world.mia,
    'patch',
    `/api/speaker-list-systems/${sls.body().id}`,
    {
      active_list: list.body().id,
    }
  )
  active.assertStatus(200)
  return {
    roomId: room.body().id as number,
    systemId: sls.body().id as number,
    listId: list.body().id as number,
  }
}

/** Captures realtime messages published after commit. */
export function captureMessages() {
  const messages: OutgoingMessage[] = []
  const stop = registerSink((batch) => void messages.push(...batch))
  return {
    messages,
    stop,
    on: (channel: string) => messages.filter((message) => message.channel === channel),
    types: (channel: string) =>
      messages.filter((message) => message.channel === channel).map((message) => message.type),
    clear: () => messages.splice(0, messages.length),
  }
}
