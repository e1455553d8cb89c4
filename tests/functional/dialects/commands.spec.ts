import { test } from '@japa/runner'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ace from '@adonisjs/core/services/ace'
import DialectValidate from '../../../commands/dialect_validate.js'
import DialectImport from '../../../commands/dialect_import.js'
import DialectRow from '#models/dialect'
import AuditEntry from '#models/audit_entry'
import { givenOrganisation } from '#tests/helpers/world'

function tempFile(name: string, content: string) {
  const dir = mkdtempSync(join(tmpdir(), 'dialect-cmd-'))
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

async function run(command: typeof DialectValidate | typeof DialectImport, argv: string[]) {
  await ace.boot()
  const instance = await ace.create(command, argv)
  instance.ui.switchMode('raw')
  await instance.exec()
  const lines = instance.logger.getLogs().map((log) => log.message)
  return { instance, lines, output: lines.join('\n') }
}

test.group('dialect:validate', () => {
  test('every shipped dialect validates', async ({ assert }) => {
    const { instance, output } = await run(DialectValidate, [])
    assert.equal(instance.exitCode ?? 0, 0, output)
    assert.include(output, 'party_congress.yaml')
    assert.include(output, 'is valid')
  })

  test('errors name file, line, column and key; exit code 1', async ({ assert }) => {
    const path = tempFile(
      'broken.yaml',
      'title: Broken\nroles:\n  - title: Leader\n    role_id: leader\n    roles: [voter]\ncolour: red\n'
    )
    const { instance, output } = await run(DialectValidate, [path])
    assert.equal(instance.exitCode, 1)
    assert.include(output, `${path}:5:13 roles.0.roles.0: unknown meeting role "voter"`)
    assert.include(output, `${path}:6:1 colour: unknown key "colour" [unknown_key]`)
  })

  test('files may require each other and the shipped dialects', async ({ assert }) => {
    const dir = mkdtempSync(join(tmpdir(), 'dialect-req-'))
    writeFileSync(join(dir, 'base_x.yaml'), 'title: Base\nrequires: [main_subst]\n')
    writeFileSync(join(dir, 'top_x.yaml'), 'title: Top\nrequires: [base_x]\n')
    writeFileSync(join(dir, 'loop_a.yaml'), 'title: A\nrequires: [loop_b]\n')
    writeFileSync(join(dir, 'loop_b.yaml'), 'title: B\nrequires: [loop_a]\n')
    const { instance, output } = await run(
      DialectValidate,
      ['base_x', 'top_x', 'loop_a', 'loop_b'].map((n) => join(dir, `${n}.yaml`))
    )
    assert.equal(instance.exitCode, 1)
    assert.include(output, 'top_x.yaml: Top (top_x) is valid')
    assert.include(output, 'requires forms a cycle: loop_a → loop_b → loop_a')
  })
})

test.group('dialect:import', () => {
  test('stores a new version per import, audited; the organisation is found by host', async ({
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const path = tempFile(
      'my_congress.yaml',
      'title: My congress\nrequires: [party_congress]\ner_policy_name: auto_before_poll\n'
    )
    const first = await run(DialectImport, [path, '--org', host])
    assert.equal(first.instance.exitCode ?? 0, 0, first.output)
    assert.include(first.output, 'as my_congress version 1')
    const second = await run(DialectImport, [path, '--org', host])
    assert.include(second.output, 'version 2')

    const rows = await DialectRow.forOrganisation(organisation.id).orderBy('version')
    assert.deepEqual(
      rows.map((row) => [row.name, row.version, row.title]),
      [
        ['my_congress', 1, 'My congress'],
        ['my_congress', 2, 'My congress'],
      ]
    )
    const audit = await AuditEntry.forOrganisation(organisation.id).where(
      'event',
      'dialect.imported'
    )
    assert.lengthOf(audit, 2)
    assert.equal(audit[0].source, 'cli')
  })

  test('an invalid file is refused with line and key, nothing stored', async ({ assert }) => {
    const { organisation, host } = await givenOrganisation()
    const path = tempFile('bad_one.yaml', 'title: Bad\ner_policy_name: lottery\n')
    const { instance, output } = await run(DialectImport, [path, '--org', host])
    assert.equal(instance.exitCode, 1)
    assert.include(output, `${path}:2:17 er_policy_name:`)
    assert.include(output, 'nothing was imported')
    assert.lengthOf(await DialectRow.forOrganisation(organisation.id), 0)
  })

  test('unknown host', async ({ assert }) => {
    const path = tempFile('fine.yaml', 'title: Fine\n')
    const { instance, output } = await run(DialectImport, [path, '--org', 'nowhere.invalid'])
    assert.equal(instance.exitCode, 1)
    assert.include(output, 'No organisation on host "nowhere.invalid"')
  })
})
