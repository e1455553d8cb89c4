import type Meeting from '#models/meeting'
import type { MeetingRoleCode } from '#domain/permissions/roles'

const iso = (value: { toUTC: () => { toISO: () => string | null } } | null) =>
  value ? value.toUTC().toISO() : null

/** A `GET /api/meetings` entry, and the preview shape (api.md §6.5). */
export function meetingListEntry(meeting: Meeting, currentUserRoles: MeetingRoleCode[] | null) {
  return {
    id: meeting.id,
    title: meeting.title,
    state: meeting.state,
    start_time: iso(meeting.startTime),
    end_time: iso(meeting.endTime),
    public: meeting.public,
    visible_in_lists: meeting.visibleInLists,
    current_user_roles: currentUserRoles && currentUserRoles.length > 0 ? currentUserRoles : null,
  }
}

/**
 * The full `Meeting` without per-user fields (the `meeting.changed` payload).
 * `dialect` is the installed dialect's definition; the dialect module provides
 * it through `registerDialectResolver`.
 */
export function meetingPayload(meeting: Meeting, dialect: unknown = null) {
  return {
    id: meeting.id,
    rev: meeting.rev,
    title: meeting.title,
    body: meeting.body,
    state: meeting.state,
    start_time: iso(meeting.startTime),
    end_time: iso(meeting.endTime),
    public: meeting.public,
    visible_in_lists: meeting.visibleInLists,
    group_votes_active: meeting.groupVotesActive,
    group_roles_active: meeting.groupRolesActive,
    default_secret_polls: meeting.defaultSecretPolls,
    er_policy_name: meeting.erPolicyName,
    proposal_id_policy_name: meeting.proposalIdPolicyName,
    installed_dialect: meeting.installedDialect,
    dialect: meeting.installedDialect ? dialect : null,
    archive_after: iso(meeting.archiveAfter),
    delete_requested: iso(meeting.deleteRequested),
    pre_delete_state: meeting.preDeleteState,
  }
}

/** The REST detail response: the payload plus the caller's roles (null for non-members). */
export async function meetingDetail(meeting: Meeting, currentUserRoles: MeetingRoleCode[] | null) {
  return {
    ...(await meetingPayloadFor(meeting)),
    current_user_roles: currentUserRoles && currentUserRoles.length > 0 ? currentUserRoles : null,
  }
}

type DialectResolver = (organisationId: number, name: string) => Promise<unknown> | unknown
let dialectResolver: DialectResolver | null = null

/**
 * The dialect module registers how an installed dialect name becomes its
 * definition (domain §7.1, §20). Without one, `dialect` is null.
 */
export function registerDialectResolver(resolver: DialectResolver | null): DialectResolver | null {
  const previous = dialectResolver
  dialectResolver = resolver
  return previous
}

/** The installed dialect's definition (snake_case keys of domain §20.2), or null. */
export async function installedDialectDefinition(meeting: Meeting): Promise<unknown> {
  return meeting.installedDialect && dialectResolver
    ? ((await dialectResolver(meeting.organisationId, meeting.installedDialect)) ?? null)
    : null
}

/** The full payload with the installed dialect's definition resolved. */
export async function meetingPayloadFor(meeting: Meeting) {
  return meetingPayload(meeting, await installedDialectDefinition(meeting))
}
