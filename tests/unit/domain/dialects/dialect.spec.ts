import { test } from '@japa/runner'
import { join } from 'node:path'
import { mkdtempSync, writeFileSync, utimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import {
  parseDialect,
  resolveDialect,
  dialectSummary,
  type ParsedDialect,
} from '#domain/dialects/dialect'
import { DialectDirectory, resolveWith } from '#domain/dialects/directory'

const shippedDir = join(import.meta.dirname, '../../../../dialect-configs')

function issuesOf(source: string, name = 'test') {
  const result = parseDialect(source, name)
  if (result.ok) throw new Error('expected issues, the dialect was valid')
  return result.issues
}

function valid(source: string, name = 'test'): ParsedDialect {
  const result = parseDialect(source, name)
  if (!result.ok) throw new Error(JSON.stringify(result.issues))
  return result.value
}

test.group('Dialects | shipped files (domain §20.5)', () => {
  test('every shipped dialect is valid and resolves its requires', ({ assert }) => {
    const directory = new DialectDirectory(shippedDir)
    const files = directory.all()
    assert.isAtLeast(files.length, 6)
    for (const file of files) {
      assert.deepEqual(file.issues, [], `${file.path} has issues`)
      const resolved = resolveWith(file.name, directory.byName())
      assert.isTrue(resolved.ok, `${file.name} does not resolve: ${JSON.stringify(resolved)}`)
    }
    const names = files.map((file) => file.name)
    for (const name of [
      'association_agm',
      'party_congress',
      'board_meeting',
      'sfsfum',
      'skk_kennelfum',
      'main_subst',
    ]) {
      assert.include(names, name)
    }
  })

  test('legacy long role names are mapped to codes', ({ assert }) => {
    const directory = new DialectDirectory(shippedDir)
    const sfsfum = directory.byName().get('sfsfum')!.dialect
    assert.deepEqual(sfsfum.roles[0], {
      title: 'Delegation leader',
      role_id: 'leader',
      roles: ['pr', 'pv', 'di'],
    })
    assert.deepEqual(sfsfum.block_roles, ['pv'])
    assert.isTrue(sfsfum.installable)
    assert.isFalse(directory.byName().get('main_subst')!.dialect.installable)
  })

  test('defaults fill keys the file leaves out', ({ assert }) => {
    const dialect = valid('title: Minimal').dialect
    assert.equal(dialect.description, '')
    assert.isTrue(dialect.installable)
    assert.deepEqual(dialect.roles, [])
    assert.isNull(dialect.er_policy_name)
    assert.isNull(dialect.poll_methods)
    assert.isFalse(dialect.groups_can_delegate)
  })

  test('summary has the installable-list shape', ({ assert }) => {
    const directory = new DialectDirectory(shippedDir)
    const summary = dialectSummary(directory.byName().get('party_congress')!.dialect)
    assert.containsSubset(summary, {
      name: 'party_congress',
      er_policy_name: 'group_auto_eq_rnd_bf',
      groups_can_delegate: true,
      block_roles: ['pv'],
    })
    assert.deepEqual(summary.configure_components, [
      { name: 'active_users' },
      { name: 'gtags' },
      { name: 'proposal_print' },
    ])
  })
})

test.group('Dialects | errors name line and key', () => {
  test('YAML syntax error', ({ assert }) => {
    const [issue] = issuesOf('title: X\nroles: [a,\n')
    assert.equal(issue.code, 'yaml_syntax')
    assert.isAtLeast(issue.line, 2)
  })

  test('duplicate key', ({ assert }) => {
    const [issue] = issuesOf('title: X\ndescription: a\ndescription: b\n')
    assert.equal(issue.code, 'duplicate_key')
    assert.equal(issue.line, 3)
  })

  test('unknown key at top level and nested', ({ assert }) => {
    const issues = issuesOf('title: X\ncolour: red\nrooms:\n  - title: Hall\n    speakers: 3\n')
    assert.deepEqual(
      issues.map((issue) => [issue.code, issue.line, issue.key]),
      [
        ['unknown_key', 2, 'colour'],
        ['unknown_key', 5, 'rooms.0.speakers'],
      ]
    )
  })

  test('missing required key', ({ assert }) => {
    const issues = issuesOf('description: no title\nroles:\n  - {title: Leader}\n')
    assert.deepEqual(
      issues.map((issue) => [issue.code, issue.line, issue.key]),
      [
        ['required', 3, 'roles.0.role_id'],
        ['required', 1, 'title'],
      ]
    )
  })

  test('wrong type', ({ assert }) => {
    const [issue] = issuesOf('title: X\ninstallable: maybe\n')
    assert.deepEqual([issue.code, issue.line, issue.key], ['type', 2, 'installable'])
  })

  test('unknown meeting role', ({ assert }) => {
    const [issue] = issuesOf(
      'title: X\nroles:\n  - title: Leader\n    role_id: leader\n    roles: [proposer, voter]\n'
    )
    assert.deepEqual([issue.code, issue.line, issue.key], ['unknown_role', 5, 'roles.0.roles.1'])
    assert.include(issue.message, 'voter')
  })

  test('unknown registry keys: ER policy, poll method, component, proposal ID policy, script, speaker method', ({
    assert,
  }) => {
    const issues = issuesOf(
      [
        'title: X',
        'er_policy_name: lottery',
        'poll_methods: [simple, approval]',
        'configure_components:',
        '  - name: chat',
        'proposal_id_policy_name: username',
        'run_scripts: [make_coffee]',
        'rooms:',
        '  - title: Hall',
        '    sls: {method_name: shouting}',
      ].join('\n')
    )
    assert.deepEqual(
      issues.map((issue) => [issue.code, issue.line, issue.key]),
      [
        ['unknown_er_policy', 2, 'er_policy_name'],
        ['unknown_poll_method', 3, 'poll_methods.1'],
        ['unknown_component', 5, 'configure_components.0.name'],
        ['unknown_proposal_id_policy', 6, 'proposal_id_policy_name'],
        ['unknown_script', 7, 'run_scripts.0'],
        ['unknown_speaker_method', 10, 'rooms.0.sls.method_name'],
      ]
    )
  })

  test('component settings are validated by the component schema', ({ assert }) => {
    const issues = issuesOf(
      'title: X\nconfigure_components:\n  - name: gtags\n    settings: {tags: [f, F!], many: 2}\n'
    )
    assert.deepEqual(
      issues.map((issue) => [issue.code, issue.line, issue.key]),
      [
        ['invalid_settings', 4, 'configure_components.0.settings.tags.1'],
        ['invalid_settings', 4, 'configure_components.0.settings.many'],
      ]
    )
  })

  test('duplicates in identity lists', ({ assert }) => {
    const [issue] = issuesOf('title: X\ngroups:\n  - {groupid: north}\n  - {groupid: north}\n')
    assert.deepEqual([issue.code, issue.line, issue.key], ['duplicate', 4, 'groups.1'])
  })

  test('value rules: slug, range', ({ assert }) => {
    const issues = issuesOf(
      'title: X\ngroups:\n  - {groupid: North Region}\nrooms:\n  - title: Hall\n    sls: {safe_positions: 9}\n'
    )
    assert.deepEqual(
      issues.map((issue) => [issue.code, issue.line, issue.key]),
      [
        ['invalid', 3, 'groups.0.groupid'],
        ['invalid', 6, 'rooms.0.sls.safe_positions'],
      ]
    )
  })

  test('a component both configured and blocked', ({ assert }) => {
    const [issue] = issuesOf(
      'title: X\nconfigure_components:\n  - name: notes\nblock_components: [notes]\n'
    )
    assert.deepEqual([issue.code, issue.key], ['blocked_component', 'configure_components.0.name'])
    assert.equal(issue.line, 3)
  })

  test('anchors and aliases are refused', ({ assert }) => {
    const issues = issuesOf(
      'title: X\nblock_roles: &b [proposer]\nroles:\n  - {title: A, role_id: a, roles: *b}\n'
    )
    assert.deepEqual(
      issues.map((issue) => [issue.code, issue.line]),
      [
        ['alias_forbidden', 2],
        ['alias_forbidden', 4],
      ]
    )
  })

  test('an empty file and a non-mapping document', ({ assert }) => {
    assert.equal(issuesOf('')[0].code, 'type')
    const [issue] = issuesOf('- just\n- a list\n')
    assert.deepEqual([issue.code, issue.line], ['type', 1])
  })

  test('invalid dialect name', ({ assert }) => {
    assert.equal(issuesOf('title: X', 'Bad Name')[0].code, 'invalid_name')
  })
})

test.group('Dialects | requires (domain §20.2)', () => {
  const lookupFrom = (sources: Record<string, string>) => {
    const parsed = new Map(
      Object.entries(sources).map(([name, source]) => [name, valid(source, name)])
    )
    return (name: string) => parsed.get(name)
  }

  test('lists are concatenated and de-duplicated, scalars of the requiring dialect win', ({
    assert,
  }) => {
    const lookup = lookupFrom({
      base: [
        'title: Base',
        'er_policy_name: auto_before_poll',
        'group_roles_active: true',
        'block_roles: [potential_voter]',
        'roles:',
        '  - {title: Main, role_id: main, roles: [pv]}',
        '  - {title: Sub, role_id: sub, roles: [di]}',
      ].join('\n'),
      top: [
        'title: Top',
        'requires: [base]',
        'er_policy_name: manual',
        'block_roles: [potential_voter, proposer]',
        'roles:',
        '  - {title: Substitute, role_id: sub, roles: [di, pr]}',
        '  - {title: Leader, role_id: lead, roles: [pv]}',
      ].join('\n'),
    })
    const result = resolveDialect('top', lookup)
    assert.isTrue(result.ok)
    if (!result.ok) return
    assert.equal(result.dialect.title, 'Top')
    assert.equal(result.dialect.er_policy_name, 'manual')
    assert.isTrue(result.dialect.group_roles_active) // inherited, not overridden by the default null
    assert.deepEqual(result.dialect.block_roles, ['pv', 'pr'])
    assert.deepEqual(
      result.dialect.roles.map((r) => [r.role_id, r.title]),
      [
        ['main', 'Main'],
        ['sub', 'Substitute'],
        ['lead', 'Leader'],
      ]
    )
  })

  test('cycles are rejected', ({ assert }) => {
    const lookup = lookupFrom({
      a: 'title: A\nrequires: [b]',
      b: 'title: B\nrequires: [c]',
      c: 'title: C\nrequires: [a]',
    })
    const result = resolveDialect('a', lookup)
    assert.isFalse(result.ok)
    if (result.ok) return
    assert.equal(result.issues[0].code, 'requires_cycle')
    assert.include(result.issues[0].message, 'a → b → c → a')
  })

  test('a dialect requiring itself is rejected while parsing', ({ assert }) => {
    assert.equal(issuesOf('title: A\nrequires: [a]', 'a')[0].code, 'requires_cycle')
  })

  test('unknown requirements are rejected', ({ assert }) => {
    const result = resolveDialect('a', lookupFrom({ a: 'title: A\nrequires: [nowhere]' }))
    assert.isFalse(result.ok)
    if (!result.ok) assert.equal(result.issues[0].code, 'requires_unknown')
  })

  test('merging can create a conflict that each file alone does not have', ({ assert }) => {
    const lookup = lookupFrom({
      base: 'title: Base\nconfigure_components:\n  - name: notes',
      top: 'title: Top\nrequires: [base]\nblock_components: [notes]',
    })
    const result = resolveDialect('top', lookup)
    assert.isFalse(result.ok)
    if (!result.ok) assert.equal(result.issues[0].code, 'blocked_component')
  })
})

test.group('Dialects | directory cache (D57)', () => {
  test('re-reads changed files at most once per interval', ({ assert }) => {
    const dir = mkdtempSync(join(tmpdir(), 'dialects-'))
    const file = join(dir, 'one.yaml')
    writeFileSync(file, 'title: First')
    let now = 0
    const directory = new DialectDirectory(dir, 10_000, () => now)
    assert.equal(directory.byName().get('one')!.dialect.title, 'First')

    writeFileSync(file, 'title: Second')
    utimesSync(file, new Date(), new Date(Date.now() + 5000))
    now = 5_000
    assert.equal(directory.byName().get('one')!.dialect.title, 'First')
    now = 10_001
    assert.equal(directory.byName().get('one')!.dialect.title, 'Second')
  })
})
