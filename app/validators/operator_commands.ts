import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { isoTimestamp } from '#validators/audit'

/**
 * Flags of the operator Ace commands (docs/commands.md). Keys are the flag
 * names, so a VineJS message names the flag the operator typed.
 */

/** A host name as the tenant middleware matches it: lower-case, no port (domain §1.2). */
const HOST_PATTERN =
  /^(?:(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])$/

export const hostName = () => vine.string().trim().toLowerCase().regex(HOST_PATTERN)

const email = () => vine.string().trim().maxLength(254).email()

export const orgCreateValidator = vine.create({
  'name': vine.string().trim().minLength(1).maxLength(255),
  'host': vine.array(hostName()).minLength(1).maxLength(20),
  'admin-email': email().optional(),
})

export const userCreateValidator = vine.create({
  'org': hostName(),
  'email': email(),
  'first-name': vine.string().trim().maxLength(100).optional(),
  'last-name': vine.string().trim().maxLength(100).optional(),
  'role': vine.array(vine.enum(['org_manager', 'meeting_creator'])).optional(),
})

/** Same rule as the admin/API user creation (app/validators/user.ts). */
export const passwordValidator = vine.create({
  'password-stdin': vine.string().minLength(8).maxLength(200),
})

export const userRoleValidator = vine.create({
  org: hostName(),
  email: email(),
  add: vine.array(vine.enum(['org_manager', 'meeting_creator'])).optional(),
  remove: vine.array(vine.enum(['org_manager', 'meeting_creator'])).optional(),
})

export const auditExportValidator = vine.create({
  'org': hostName(),
  'meeting': vine.number().withoutDecimals().min(1).optional(),
  'since': isoTimestamp().optional(),
  'until': isoTimestamp().optional(),
  'format': vine.enum(['jsonl', 'csv']),
  'out': vine.string().trim().minLength(1).optional(),
  'batch-size': vine.number().withoutDecimals().min(1).max(10_000),
})

/** Messages that name what the operator typed (array items would otherwise be called "0"). */
const messages = new SimpleMessagesProvider({
  'host.*.regex':
    'Not a host name (lower-case letters, digits, dots and hyphens; no scheme, port or path)',
  'org.regex':
    'Not a host name (lower-case letters, digits, dots and hyphens; no scheme, port or path)',
  'role.*.enum': 'Unknown organisation role; use org_manager or meeting_creator',
  'add.*.enum': 'Unknown organisation role; use org_manager or meeting_creator',
  'remove.*.enum': 'Unknown organisation role; use org_manager or meeting_creator',
  'password-stdin.minLength': 'The password must have at least {{ min }} characters',
  'password-stdin.maxLength': 'The password must have at most {{ max }} characters',
  'format.enum': 'Use jsonl or csv',
  'since.regex': 'Not an ISO-8601 timestamp (for example 2026-05-04T12:30:00Z)',
  'until.regex': 'Not an ISO-8601 timestamp (for example 2026-05-04T12:30:00Z)',
})
for (const validator of [
  orgCreateValidator,
  userCreateValidator,
  passwordValidator,
  userRoleValidator,
  auditExportValidator,
]) {
  validator.messagesProvider = messages
}
