import { test } from '@japa/runner'
import { ESLint } from 'eslint'

/** The dependency rule of app/domain (docs/architecture.md) is enforced by ESLint. */
test.group('Lint | app/domain stays framework-free', () => {
  const lint = async (code: string, filePath: string) => {
    const eslint = new ESLint({ cwd: process.cwd() })
    const [result] = await eslint.lintText(code, { filePath })
    return result.messages
      .filter((message) => message.ruleId?.startsWith('no-restricted'))
      .map((m) => m.message)
  }

  test('refuses {import} inside app/domain')
    .with([
      { import: "import db from '@adonisjs/lucid/services/db'" },
      { import: "import User from '#models/user'" },
      { import: "import { recordAudit } from '#services/audit_log'" },
      { import: "import { DateTime } from 'luxon'" },
    ])
    .run(async ({ assert }, row) => {
      const messages = await lint(`${row.import}\nexport const x = 1\n`, 'app/domain/example.ts')
      assert.isAbove(messages.length, 0)
    })

  test('allows domain and node imports inside app/domain, and framework imports elsewhere', async ({
    assert,
  }) => {
    assert.lengthOf(
      await lint(
        "import { createHash } from 'node:crypto'\nimport { DomainError } from '#domain/errors'\nexport const x = [createHash, DomainError]\n",
        'app/domain/example.ts'
      ),
      0
    )
    assert.lengthOf(
      await lint(
        "import db from '@adonisjs/lucid/services/db'\nexport const x = db\n",
        'app/services/example.ts'
      ),
      0
    )
  })

  test('refuses process.env inside app/domain', async ({ assert }) => {
    assert.isAbove(
      (await lint('export const x = process.env.X\n', 'app/domain/example.ts')).length,
      0
    )
  })
})
