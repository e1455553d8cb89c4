import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import { defineConfig } from '@adonisjs/lucid'

const sqliteFile = app.makePath(env.get('SQLITE_FILE', 'tmp/dev.sqlite3'))
// A fresh clone has no tmp/ yet, and better-sqlite3 will not create the folder.
mkdirSync(dirname(sqliteFile), { recursive: true })

const dbConfig = defineConfig({
  connection: env.get('DB_CONNECTION', 'sqlite'),
  connections: {
    sqlite: {
      client: 'better-sqlite3',
      connection: { filename: sqliteFile },
      useNullAsDefault: true,
      migrations: { naturalSort: true, paths: ['database/migrations'] },
      schemaGeneration: { enabled: false },
    },
    pg: {
      client: 'pg',
      connection: {
        host: env.get('PG_HOST', '127.0.0.1'),
        port: env.get('PG_PORT', 5432),
        user: env.get('PG_USER', 'postgres'),
        password: env.get('PG_PASSWORD', ''),
        database: env.get('PG_DB_NAME', 'postgres'),
      },
      migrations: { naturalSort: true, paths: ['database/migrations'] },
      // database/schema.ts is generated from SQLite only, so both runs agree on it.
      schemaGeneration: { enabled: false },
    },
  },
})

export default dbConfig
