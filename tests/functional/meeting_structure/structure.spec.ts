import { test } from '@japa/runner'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse as parseYamlText, stringify } from 'yaml'
import ace from '@adonisjs/core/services/ace'
import Meeting from '#models/meeting'
import AgendaItem from '#models/agenda_item'
import Proposal from '#models/proposal'
import TextDocument from '#models/text_document'
import TextParagraph from '#models/text_paragraph'
import DiscussionPost from '#models/discussion_post'
import MeetingGroup from '#models/meeting_group'
import GroupMembership from '#models/group_membership'
import GroupRole from '#models/group_role'
import ReactionButton from '#models/reaction_button'
import Reaction from '#models/reaction'
import AuditEntry from '#models/audit_entry'
import type Organisation from '#models/organisation'
import type User from '#models/user'
import CreateAgendaItem from '#actions/agenda/create_agenda_item'
import { systemActor } from '#services/audit_log'
import { exportSecret, buildStructure } from '#services/meeting_structure'
import { parseStructure, renderStructure, signatureValid } from '#domain/meeting_structure/format'
import { asBrowser, givenOrganisation, givenUser, loginBrowser } from '#tests/helpers/world'
import { givenMeeting, givenRoles } from '#tests/helpers/meetings'
import MeetingExport from '../../../commands/meeting_export.js'
import MeetingImport from '../../../commands/meeting_import.js'
import MeetingCheckSignature from '../../../commands/meeting_check_signature.js'

const cli = systemActor('cli')

/** A meeting with one of everything the structure file carries. */
async function givenRichMeeting(organisation: Organisation, moderator: User) {
  const meeting = await givenMeeting(organisation, { moderator })
  const ann = await givenUser(organisation, { email: `ann-${organisation.id}@example.com` })
  await givenRoles(meeting, ann, ['pr', 'di'])
  const role = await GroupRole.create({
    organisationId: organisation.id,
    meetingId: meeting.id,
    title: 'Delegate',
    roleId: 'delegate',
    roles: ['pv'],
    rev: 1,
  })
  const group = await MeetingGroup.create({
    organisationId: organisation.id,
    meetingId: meeting.id,
    title: 'North',
    body: '',
    groupid: 'north',
    votes: 3,
    delegateToId: null,
    showOnSpeaker: true,
    postAs: true,
    tags: ['region'],
    rev: 1,
  })
  await GroupMembership.create({
    organisationId: organisation.id,
    meetingId: meeting.id,
    meetingGroupId: group.id,
    userId: ann.id,
    groupRoleId: role.id,
    votes: 2,
    rev: 1,
  })
  const first = await new CreateAgendaItem().execute({ meeting, title: 'Budget', actor: cli })
  const second = await new CreateAgendaItem().execute({ meeting, title: 'Statutes', actor: cli })
  const document = await TextDocument.create({
    organisationId: organisation.id,
    meetingId: meeting.id,
    agendaItemId: second.id,
    title: 'Statutes',
    body: '<p>One</p><p>Two</p>',
    baseTag: 'stat',
    authorId: null,
    rev: 1,
  })
  const paragraph = await TextParagraph.create({
    organisationId: organisation.id,
    meetingId: meeting.id,
    agendaItemId: second.id,
    textDocumentId: document.id,
    paragraphId: 1,
    body: '<p>One</p>',
  })
  const base = {
    organisationId: organisation.id,
    meetingId: meeting.id,
    tags: [],
    mentions: [],
    bodyDiffBrief: null,
    rev: 1,
  }
  const proposal = await Proposal.create({
    ...base,
    agendaItemId: first.id,
    shortname: 'proposal',
    propId: 'ann-1',
    body: '<p>More money</p>',
    title: 'More money',
    state: 'published',
    authorId: ann.id,
    meetingGroupId: group.id,
    asGroup: true,
    paragraphId: null,
  })
  await Proposal.create({
    ...base,
    agendaItemId: second.id,
    shortname: 'diff_proposal',
    propId: 'ann-2',
    body: '<p>Uno</p>',
    title: 'Uno',
    state: 'approved',
    authorId: ann.id,
    meetingGroupId: null,
    asGroup: false,
    paragraphId: paragraph.id,
  })
  await DiscussionPost.create({
    organisationId: organisation.id,
    meetingId: meeting.id,
    agendaItemId: first.id,
    body: '<p>Agreed</p>',
    tags: [],
    mentions: [],
    authorId: ann.id,
    meetingGroupId: null,
    asGroup: false,
    rev: 1,
  })
  const button = await ReactionButton.create({
    organisationId: organisation.id,
    meetingId: meeting.id,
    title: 'Support',
    titleKey: 'support',
    description: '',
    icon: 'hand',
    color: 'blue',
    changeRoles: ['pa'],
    listRoles: ['mo'],
    allowedModels: ['proposal'],
    flagMode: false,
    voteTemplate: false,
    onPresentation: false,
    onVote: false,
    target: null,
    order: 1,
    active: true,
    rev: 1,
  })
  await Reaction.create({
    organisationId: organisation.id,
    meetingId: meeting.id,
    agendaItemId: first.id,
    buttonId: button.id,
    userId: ann.id,
    contentType: 'proposal',
    objectId: proposal.id,
    rev: 1,
  })
  return { meeting, ann }
}

/** The structure without ids, dates and source: what a round trip must preserve. */
function comparable(content: any) {
  const strip = (value: any): any => {
    if (Array.isArray(value)) return value.map(strip)
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value)
          .filter(
            ([key]) =>
              ![
                'id',
                'created',
                'exported_at',
                'source',
                'signature',
                'order',
                'delegate_to',
                'paragraph',
                'role',
                'meeting_group',
                'button',
                'object',
                'proposal',
              ].includes(key)
          )
          .map(([key, v]) => [key, strip(v)])
      )
    }
    return value
  }
  return strip(content)
}

async function moderatorWorld(client: any) {
  const { organisation, host } = await givenOrganisation()
  const mia = await givenUser(organisation)
  const session = await loginBrowser(client, host, mia)
  return { organisation, host, mia, session }
}

test.group('Meeting structure | export, import, clone', () => {
  test('export → import round trip through the API; signature valid; users matched by email', async ({
    client,
    assert,
  }) => {
    const { organisation, mia, session } = await moderatorWorld(client)
    const { meeting, ann } = await givenRichMeeting(organisation, mia)

    const exported = await asBrowser(
      client.get(`/api/meetings/${meeting.id}/structure?include_reactions=true`),
      session
    )
    assert.equal(exported.status(), 200, exported.text())
    assert.include(exported.header('content-type'), 'application/yaml')
    assert.include(exported.header('content-disposition'), 'attachment')
    const text = exported.text()
    const parsed = parseStructure(text)
    assert.isTrue(parsed.ok, JSON.stringify(parsed))
    if (!parsed.ok) return
    assert.isTrue(signatureValid(parsed.file, exportSecret()))
    assert.deepEqual(Object.keys(parseYamlText(text)), [
      'format_version',
      'exported_at',
      'source',
      'options',
      'meeting',
      'group_roles',
      'groups',
      'agenda_items',
      'reaction_buttons',
      'reactions',
      'notes',
      'signature',
    ])
    assert.match(parsed.file.agenda_items[0].id, /^_a\d+$/)
    assert.deepEqual(parsed.file.agenda_items[0].proposals[0].author, {
      email: ann.email,
      userid: ann.userid,
    })

    // Into a fresh upcoming meeting of the same organisation.
    const target = await givenMeeting(organisation, { moderator: mia })
    const otherSession = await loginBrowser(
      client,
      (await organisation.related('hosts').query().firstOrFail()).host,
      mia
    )
    const imported = await asBrowser(
      client.put(`/api/meetings/${target.id}/structure`),
      otherSession
    )
      .field('add_participants', 'true')
      .file('file', Buffer.from(text), {
        filename: 'meeting.yaml',
        contentType: 'application/yaml',
      })
    imported.assertStatus(200)
    assert.deepEqual(imported.body().created, {
      agenda_items: 2,
      proposals: 2,
      text_documents: 1,
      discussion_posts: 1,
      groups: 1,
      group_roles: 1,
      memberships: 1,
      reaction_buttons: 1,
      reactions: 1,
      notes: 0,
    })
    assert.isTrue(imported.body().signature_valid)
    assert.deepEqual(imported.body().problems, [])

    const again = await buildStructure(
      (await Meeting.findInOrganisation(organisation.id, target.id))!,
      { include_reactions: true }
    )
    assert.deepEqual(comparable(again.agenda_items), comparable(parsed.file.agenda_items))
    assert.deepEqual(comparable(again.groups), comparable(parsed.file.groups))
    assert.deepEqual(comparable(again.reaction_buttons), comparable(parsed.file.reaction_buttons))
    // The amendment still points at its paragraph, the group proposal at its group.
    const amendment = await Proposal.forOrganisation(organisation.id)
      .where('meeting_id', target.id)
      .where('shortname', 'diff_proposal')
      .firstOrFail()
    const paragraph = await TextParagraph.forOrganisation(organisation.id)
      .where('id', amendment.paragraphId!)
      .firstOrFail()
    assert.equal(paragraph.meetingId, target.id)
    const audit = await AuditEntry.forOrganisation(organisation.id)
      .where('meeting_id', target.id)
      .where('event', 'meeting.structure_imported')
    assert.lengthOf(audit, 1)
    const access = await AuditEntry.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .where('event', 'meeting.structure_exported')
    assert.equal(access[0].action, 'access')
  })

  test('into another organisation: missing users are blanked and reported, or refused on request', async ({
    client,
    assert,
  }) => {
    const { organisation, mia } = await moderatorWorld(client)
    const { meeting } = await givenRichMeeting(organisation, mia)
    const text = renderStructure(await buildStructure(meeting), exportSecret())

    const other = await moderatorWorld(client)
    const target = await givenMeeting(other.organisation, { moderator: other.mia })
    const strict = await asBrowser(
      client.put(`/api/meetings/${target.id}/structure`),
      other.session
    )
      .field('missing_users', 'error')
      .file('file', Buffer.from(text), { filename: 'meeting.yaml' })
    strict.assertStatus(422)
    assert.equal(strict.body().errors[0].code, 'structure.missing_users')
    assert.lengthOf(
      await AgendaItem.forOrganisation(other.organisation.id).where('meeting_id', target.id),
      0
    )

    const preview = await asBrowser(
      client.post('/api/meeting-structure/preview'),
      other.session
    ).json({ yaml: text })
    preview.assertStatus(200)
    assert.equal(preview.body().counts.proposals, 2)
    assert.isAbove(preview.body().problems.length, 0)
    assert.isTrue(preview.body().signature_valid)
    assert.lengthOf(
      await AgendaItem.forOrganisation(other.organisation.id).where('meeting_id', target.id),
      0
    )
  })

  test('an edited file imports with signature_valid false; invalid files name line and key', async ({
    client,
    assert,
  }) => {
    const { organisation, mia, session } = await moderatorWorld(client)
    const target = await givenMeeting(organisation, { moderator: mia })
    const edited = stringify({
      format_version: 1,
      meeting: { title: 'Hand-made' },
      agenda_items: [{ id: '_a1', title: 'Welcome' }],
      signature: 'f'.repeat(64),
    })
    const result = await asBrowser(
      client.put(`/api/meetings/${target.id}/structure`),
      session
    ).json({ yaml: edited })
    result.assertStatus(200)
    assert.isFalse(result.body().signature_valid)
    assert.equal(result.body().created.agenda_items, 1)

    const other = await loginBrowser(
      client,
      (await organisation.related('hosts').query().firstOrFail()).host,
      mia
    )
    const invalid = await asBrowser(client.put(`/api/meetings/${target.id}/structure`), other).json(
      {
        yaml: 'format_version: 1\nmeeting:\n  title: X\nagenda_items:\n  - id: _a1\n    title: Y\n    colour: red\n',
      }
    )
    invalid.assertStatus(422)
    assert.equal(invalid.body().errors[0].code, 'structure.invalid')
    assert.containsSubset(invalid.body().errors[0].meta.issues[0], {
      line: 7,
      key: 'agenda_items.0.colour',
      code: 'unknown_key',
    })

    const third = await loginBrowser(
      client,
      (await organisation.related('hosts').query().firstOrFail()).host,
      mia
    )
    const alias = await asBrowser(client.post('/api/meeting-structure/preview'), third).json({
      yaml: 'format_version: 1\nmeeting: &m\n  title: X\ncopy: *m\n',
    })
    alias.assertStatus(422)
    assert.equal(alias.body().errors[0].meta.issues[0].code, 'alias_forbidden')
    const big = await asBrowser(client.post('/api/meeting-structure/preview'), third).file(
      'file',
      Buffer.alloc(2 * 1024 * 1024 + 1, 'a'),
      { filename: 'big.yaml' }
    )
    big.assertStatus(413)
  })

  test('clone: dry run by default (nothing created), then a real clone in one transaction', async ({
    client,
    assert,
  }) => {
    const { organisation } = await givenOrganisation()
    const mia = await givenUser(organisation, { roles: ['meeting_creator'] })
    const host = (await organisation.related('hosts').query().firstOrFail()).host
    const session = await loginBrowser(client, host, mia)
    const { meeting } = await givenRichMeeting(organisation, mia)
    const before = await Meeting.forOrganisation(organisation.id)

    const dry = await asBrowser(client.post(`/api/meetings/${meeting.id}/clone`), session).json({})
    dry.assertStatus(200)
    assert.deepEqual(dry.body(), {
      dryrun: true,
      counts: {
        agenda_items: 2,
        proposals: 2,
        text_documents: 1,
        discussion_posts: 1,
        groups: 1,
        group_roles: 1,
        memberships: 1,
        reaction_buttons: 1,
        reactions: 0,
        notes: 0,
      },
    })
    assert.lengthOf(await Meeting.forOrganisation(organisation.id), before.length)

    const session2 = await loginBrowser(client, host, mia)
    const real = await asBrowser(client.post(`/api/meetings/${meeting.id}/clone`), session2).json({
      title: 'AGM 2027',
      dryrun: false,
      options: { clear_proposal_states: true },
    })
    real.assertStatus(201)
    assert.containsSubset(real.body(), {
      title: 'AGM 2027',
      state: 'upcoming',
      current_user_roles: ['pa', 'mo'],
    })
    const states = (
      await Proposal.forOrganisation(organisation.id).where('meeting_id', real.body().id)
    ).map((p) => p.state)
    assert.deepEqual(states, ['published', 'published'])
  })

  test('who may export, import and clone', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const meeting = await givenMeeting(organisation, { moderator: mia })
    const participant = await givenUser(organisation)
    await givenRoles(meeting, participant, ['pa'])
    const manager = await givenUser(organisation, { roles: ['org_manager'] })
    const p = await loginBrowser(client, host, participant)
    const m = await loginBrowser(client, host, manager)
    ;(await client.get(`/api/meetings/${meeting.id}/structure`).header('host', host)).assertStatus(
      401
    )
    ;(await asBrowser(client.get(`/api/meetings/${meeting.id}/structure`), p)).assertStatus(403)
    ;(await asBrowser(client.get(`/api/meetings/${meeting.id}/structure`), m)).assertStatus(403)
    ;(
      await asBrowser(client.put(`/api/meetings/${meeting.id}/structure`), p).json({
        yaml: 'format_version: 1',
      })
    ).assertStatus(403)
    // Preview: meeting.add or moderator of some meeting; a plain participant may not.
    ;(
      await asBrowser(client.post('/api/meeting-structure/preview'), p).json({
        yaml: 'format_version: 1\nmeeting: {title: X}',
      })
    ).assertStatus(403)
    ;(
      await asBrowser(client.post('/api/meeting-structure/preview'), m).json({
        yaml: 'format_version: 1\nmeeting: {title: X}',
      })
    ).assertStatus(200)
    // A moderator without meeting.add cannot clone.
    const miaSession = await loginBrowser(client, host, mia)
    ;(
      await asBrowser(client.post(`/api/meetings/${meeting.id}/clone`), miaSession).json({})
    ).assertStatus(403)
    // Import only into upcoming meetings.
    const ongoing = await givenMeeting(organisation, { moderator: mia, state: 'ongoing' })
    const refused = await asBrowser(
      client.put(`/api/meetings/${ongoing.id}/structure`),
      miaSession
    ).json({ yaml: 'format_version: 1\nmeeting: {title: X}' })
    refused.assertStatus(403)
    assert.lengthOf(
      await AgendaItem.forOrganisation(organisation.id).where('meeting_id', ongoing.id),
      0
    )
  })

  test('meeting:export, meeting:import and meeting:check-signature commands', async ({
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const { meeting } = await givenRichMeeting(organisation, mia)
    const target = await givenMeeting(organisation, { moderator: mia })
    const out = join(mkdtempSync(join(tmpdir(), 'structure-')), 'agm.yaml')
    await ace.boot()
    const run = async (Command: any, argv: string[]) => {
      const command = await ace.create(Command, argv)
      command.ui.switchMode('raw')
      await command.exec()
      return {
        command,
        output: command.logger
          .getLogs()
          .map((log: any) => log.message)
          .join('\n'),
      }
    }
    const exported = await run(MeetingExport, [
      '--org',
      host,
      '--meeting',
      String(meeting.id),
      '--out',
      out,
    ])
    assert.equal(exported.command.exitCode ?? 0, 0, exported.output)
    assert.include(readFileSync(out, 'utf8'), 'format_version: 1')
    const checked = await run(MeetingCheckSignature, [out])
    assert.include(checked.output, 'signature valid')
    const imported = await run(MeetingImport, [out, '--org', host, '--meeting', String(target.id)])
    assert.equal(imported.command.exitCode ?? 0, 0, imported.output)
    assert.include(imported.output, '2 agenda_items')
    assert.lengthOf(
      await AgendaItem.forOrganisation(organisation.id).where('meeting_id', target.id),
      2
    )
    const wrong = await run(MeetingImport, [out, '--org', host, '--meeting', '999999'])
    assert.equal(wrong.command.exitCode, 1)
  })
})
