import { test } from '@japa/runner'
import AgendaItem from '#models/agenda_item'
import Meeting from '#models/meeting'
import CreateAgendaItem from '#actions/agenda/create_agenda_item'
import { systemActor } from '#services/audit_log'
import { givenOrganisation, givenUser } from '#tests/helpers/world'
import { givenMeeting, givenRoles } from '#tests/helpers/meetings'
import { loginAdmin, redirectedTo, submit, visit } from '#tests/helpers/admin'

const cli = systemActor('cli')

test.group('Meeting structure | admin', () => {
  test('moderators export, import and clone from the admin screens; others get 404', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation, { roles: ['meeting_creator'] })
    const source = await givenMeeting(organisation, { moderator: mia })
    await new CreateAgendaItem().execute({ meeting: source, title: 'Budget', actor: cli })
    const target = await givenMeeting(organisation, { moderator: mia })
    const browser = await loginAdmin(client, host, mia)

    const list = await visit(browser, '/admin/structure')
    list.assertStatus(200)
    assert.include(list.text(), `/admin/meetings/${source.id}/structure`)

    const yaml = await visit(browser, `/admin/meetings/${source.id}/structure/download`)
    yaml.assertStatus(200)
    assert.include(yaml.header('content-disposition'), 'attachment')
    assert.include(yaml.text(), 'title: Budget')

    await visit(browser, `/admin/meetings/${target.id}/structure`)
    const imported = await submit(browser, `/admin/meetings/${target.id}/structure/import`, {
      yaml: yaml.text(),
    })
    assert.equal(redirectedTo(imported), `/admin/meetings/${target.id}/structure`)
    assert.include(
      (await visit(browser, `/admin/meetings/${target.id}/structure`)).text(),
      'Imported 1 agenda items'
    )
    assert.deepEqual(
      (await AgendaItem.forOrganisation(organisation.id).where('meeting_id', target.id)).map(
        (i) => i.title
      ),
      ['Budget']
    )

    const broken = await submit(browser, `/admin/meetings/${target.id}/structure/import`, {
      yaml: 'format_version: 1\nmeeting: {title: X}\nextra: 1\n',
    })
    assert.equal(broken.status(), 302)
    assert.include(
      (await visit(browser, `/admin/meetings/${target.id}/structure`)).text(),
      'line 3, extra'
    )

    // Each heavy request from its own login: one login is in its 5-second cool-down after a heavy one.
    const before = (await Meeting.forOrganisation(organisation.id)).length
    const second = await loginAdmin(client, host, mia)
    await visit(second, `/admin/meetings/${source.id}/structure`)
    await submit(second, `/admin/meetings/${source.id}/clone`, { title: 'Copy', dryrun: '1' })
    assert.include(
      (await visit(second, `/admin/meetings/${source.id}/structure`)).text(),
      'Dry run: a clone would copy 1 agenda items'
    )
    assert.lengthOf(await Meeting.forOrganisation(organisation.id), before)
    const refused = await submit(second, `/admin/meetings/${source.id}/clone`, { title: 'Copy' })
    assert.equal(refused.status(), 302)
    assert.lengthOf(await Meeting.forOrganisation(organisation.id), before)
    const third = await loginAdmin(client, host, mia)
    await visit(third, `/admin/meetings/${source.id}/structure`)
    const cloned = await submit(third, `/admin/meetings/${source.id}/clone`, { title: 'Copy' })
    assert.lengthOf(await Meeting.forOrganisation(organisation.id), before + 1)
    assert.match(redirectedTo(cloned)!, /^\/admin\/meetings\/\d+\/structure$/)

    const participant = await givenUser(organisation)
    await givenRoles(source, participant, ['pa'])
    const other = await loginAdmin(client, host, participant)
    ;(await visit(other, `/admin/meetings/${source.id}/structure`)).assertStatus(404)
    ;(await visit(other, `/admin/meetings/${source.id}/structure/download`)).assertStatus(404)
  })
})
