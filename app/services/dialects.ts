import app from '@adonisjs/core/services/app'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import env from '#start/env'
import DialectRow from '#models/dialect'
import { DialectDirectory } from '#domain/dialects/directory'
import {
  dialectSummary,
  parseDialect,
  resolveDialect,
  type Dialect,
  type DialectIssue,
  type ParsedDialect,
} from '#domain/dialects/dialect'

/**
 * The dialect registry of the app (domain §20.1, api.md §11.7): the files of
 * MEETING_DIALECTS_DIR (shared by every organisation, re-read on change at most every
 * 10 seconds) plus the versions imported into one organisation (the newest version of a name
 * wins). Imports may not take the name of a file dialect, so a file name always means the file.
 */
let directory: DialectDirectory | null = null

export function dialectDirectory(): DialectDirectory {
  const dir = env.get('MEETING_DIALECTS_DIR') || app.makePath('dialect-configs')
  if (!directory || directory.directory !== dir) directory = new DialectDirectory(dir)
  return directory
}

export interface AvailableDialect {
  dialect: Dialect
  /** the stored version, or null for a file dialect */
  version: number | null
  source: 'file' | 'organisation'
}

/** The newest stored version of every name imported into the organisation, parsed. */
async function storedDialects(
  organisationId: number,
  trx?: TransactionClientContract
): Promise<Map<string, { parsed: ParsedDialect; version: number }>> {
  const query = DialectRow.forOrganisation(organisationId).orderBy('version', 'desc')
  if (trx) query.useTransaction(trx)
  const rows = await query
  const result = new Map<string, { parsed: ParsedDialect; version: number }>()
  for (const row of rows) {
    if (result.has(row.name)) continue
    const parsed = parseDialect(row.yaml, row.name)
    // A stored row was valid when imported; it can only turn invalid when a registry key it names
    // disappears. Such a row is skipped (treated as invalid, never a crash).
    if (parsed.ok) result.set(row.name, { parsed: parsed.value, version: row.version })
  }
  return result
}

/** A lookup over files and the organisation's stored dialects, for `requires`. */
export async function dialectLookup(organisationId: number, trx?: TransactionClientContract) {
  const files = dialectDirectory().byName()
  const stored = await storedDialects(organisationId, trx)
  return {
    stored,
    files,
    lookup: (name: string) => files.get(name) ?? stored.get(name)?.parsed,
  }
}

/** One dialect by name for the organisation, merged with its requirements; null when unknown or invalid. */
export async function findDialect(
  organisationId: number,
  name: string,
  trx?: TransactionClientContract
): Promise<AvailableDialect | null> {
  const { stored, files, lookup } = await dialectLookup(organisationId, trx)
  if (!lookup(name)) return null
  const resolved = resolveDialect(name, lookup)
  if (!resolved.ok) return null
  const version = files.has(name) ? null : (stored.get(name)?.version ?? null)
  return { dialect: resolved.dialect, version, source: version === null ? 'file' : 'organisation' }
}

/**
 * Every dialect the organisation may install (domain §20.1): installable files plus its imported
 * dialects (an import is an explicit choice of the organisation, so it is offered even with
 * `installable: false`).
 */
export async function installableDialects(organisationId: number): Promise<AvailableDialect[]> {
  const { stored, files, lookup } = await dialectLookup(organisationId)
  const names = new Set([...files.keys(), ...stored.keys()])
  const result: AvailableDialect[] = []
  for (const name of [...names].sort()) {
    const resolved = resolveDialect(name, lookup)
    if (!resolved.ok) continue
    const version = files.has(name) ? null : (stored.get(name)?.version ?? null)
    if (version === null && !resolved.dialect.installable) continue
    result.push({
      dialect: resolved.dialect,
      version,
      source: version === null ? 'file' : 'organisation',
    })
  }
  return result
}

export { dialectSummary }

/** Validates YAML as dialect `name` against the organisation's registry (requires included). */
export async function validateForOrganisation(
  organisationId: number | null,
  name: string,
  source: string
): Promise<{ ok: true; dialect: Dialect } | { ok: false; issues: DialectIssue[] }> {
  const parsed = parseDialect(source, name)
  if (!parsed.ok) return parsed
  const base =
    organisationId === null
      ? { lookup: (n: string) => dialectDirectory().byName().get(n) }
      : await dialectLookup(organisationId)
  return resolveDialect(name, (candidate) =>
    candidate === name ? parsed.value : base.lookup(candidate)
  )
}

/**
 * The definition behind a meeting's `installed_dialect` name for payloads (domain §7.1). File
 * dialects resolve without a database query (callers may be inside a transaction on a one-connection
 * SQLite pool); imported ones are read once and cached for 10 seconds per organisation.
 */
const storedCache = new Map<number, { at: number; dialects: Map<string, Dialect> }>()

export function forgetStoredDialects(organisationId: number) {
  storedCache.delete(organisationId)
  for (const key of pinned.keys()) if (key.startsWith(`${organisationId}:`)) pinned.delete(key)
}

/**
 * Definitions just installed or imported, so that payloads built later in the same transaction
 * (meeting creation publishes `meeting.changed` inside it) need no second connection.
 */
const pinned = new Map<string, Dialect>()

export function pinInstalledDialect(organisationId: number, dialect: Dialect) {
  pinned.set(`${organisationId}:${dialect.name}`, dialect)
}

export async function resolveInstalledDialect(
  organisationId: number,
  name: string
): Promise<Dialect | null> {
  const pin = pinned.get(`${organisationId}:${name}`)
  if (pin) return pin
  const files = dialectDirectory().byName()
  if (files.has(name)) {
    const resolved = resolveDialect(name, (candidate) => files.get(candidate))
    return resolved.ok ? resolved.dialect : null
  }
  let cached = storedCache.get(organisationId)
  if (!cached || Date.now() - cached.at > 10_000) {
    const { lookup, stored } = await dialectLookup(organisationId)
    const dialects = new Map<string, Dialect>()
    for (const storedName of stored.keys()) {
      const resolved = resolveDialect(storedName, lookup)
      if (resolved.ok) dialects.set(storedName, resolved.dialect)
    }
    cached = { at: Date.now(), dialects }
    storedCache.set(organisationId, cached)
  }
  return cached.dialects.get(name) ?? null
}
