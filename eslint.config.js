import { configApp } from '@adonisjs/eslint-config'

/*
 | The AdonisJS app config, plus the dependency rule of app/domain: it stays
 | framework-free (no AdonisJS, no models/services/controllers, no luxon,
 | no database clients) so it can be tested and reused without the app.
 */
const frameworkImports = [
  { group: ['@adonisjs/*', '@adonisjs/**'], message: 'app/domain must not import AdonisJS.' },
  {
    // A regex: in gitignore-style `group` patterns a leading # starts a comment.
    regex: '^#(models|controllers|services|validators|policies|start|config|middleware|actions|transformers|realtime|events|listeners|exceptions|providers|generated|database)/',
    message: 'app/domain is framework-free: only #domain/* and node built-ins.',
  },
  { group: ['luxon', 'knex', 'pg', 'better-sqlite3', 'ioredis'], message: 'app/domain takes time and data as plain values.' },
]

export default configApp(
  { ignores: ['tmp/**', 'build/**', 'node_modules/**'] },
  {
    rules: {
      // `(await x).y` reads fine in tests and short adapters.
      '@unicorn/no-await-expression-member': 'off',
    },
  },
  {
    files: ['app/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: frameworkImports }],
      'no-restricted-globals': ['error', { name: 'process', message: 'app/domain must not read process.env or exit.' }],
    },
  }
)
