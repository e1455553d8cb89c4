import { test } from '@japa/runner'
import DialectRow from '#models/dialect'
import { givenOrganisation, givenUser } from '#tests/helpers/world'
import { loginAdmin, redirectedTo, submit, visit } from '#tests/helpers/admin'

test.group('Dialects | admin', () => {
  test('managers list and import dialects; errors show line and key; others are refused', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const manager = await givenUser(organisation, { roles: ['org_manager'] })
    const browser = await loginAdmin(client, host, manager)

    const page = await visit(browser, '/admin/dialects')
    page.assertStatus(200)
    assert.include(page.text(), 'party_congress')

    const bad = await submit(browser, '/admin/dialects', {
      name: 'our_congress',
      yaml: 'title: Ours\ner_policy_name: lottery\n',
    })
    assert.equal(bad.status(), 302)
    const back = await visit(browser, '/admin/dialects')
    assert.include(back.text(), 'our_congress.yaml:2:17 er_policy_name')
    assert.lengthOf(await DialectRow.forOrganisation(organisation.id), 0)

    const good = await submit(browser, '/admin/dialects', {
      name: 'our_congress',
      yaml: 'title: Ours\nrequires: [party_congress]\n',
    })
    assert.equal(redirectedTo(good), '/admin/dialects')
    const listed = await visit(browser, '/admin/dialects')
    assert.include(listed.text(), 'Imported our_congress version 1')
    const [row] = await DialectRow.forOrganisation(organisation.id)
    assert.deepEqual([row.name, row.version, row.importedBy], ['our_congress', 1, manager.id])

    const member = await givenUser(organisation)
    const memberBrowser = await loginAdmin(client, host, member)
    ;(await visit(memberBrowser, '/admin/dialects')).assertStatus(403)
  })
})
