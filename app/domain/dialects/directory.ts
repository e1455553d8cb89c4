/**
 * Reading dialect files from a directory (domain §20.1): `*.yaml` / `*.yml` found recursively, the
 * file name without extension is the dialect name. Files are re-read only when their mtime changed.
 * Node built-ins only; the directory is passed in by the caller.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, extname, join, relative } from 'node:path'
import {
  parseDialect,
  resolveDialect,
  type Dialect,
  type DialectIssue,
  type ParsedDialect,
} from './dialect.js'

export interface DialectFile {
  name: string
  path: string
  mtimeMs: number
  source: string
  parsed: ParsedDialect | null
  issues: DialectIssue[]
}

export function listDialectFiles(directory: string): string[] {
  const found: string[] = []
  const walk = (dir: string) => {
    let entries: import('node:fs').Dirent[]
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (['.yaml', '.yml'].includes(extname(entry.name))) found.push(path)
    }
  }
  walk(directory)
  return found
}

export function dialectNameOf(path: string) {
  return basename(path, extname(path))
}

export function readDialectFile(path: string, previous?: DialectFile): DialectFile {
  const mtimeMs = statSync(path).mtimeMs
  if (previous && previous.mtimeMs === mtimeMs) return previous
  const source = readFileSync(path, 'utf8')
  const name = dialectNameOf(path)
  const result = parseDialect(source, name)
  return {
    name,
    path,
    mtimeMs,
    source,
    parsed: result.ok ? result.value : null,
    issues: result.ok ? [] : result.issues,
  }
}

/**
 * A cache of one directory's dialects. `refresh()` re-reads changed files at most once per
 * `minIntervalMs` (D57: 10 seconds).
 */
export class DialectDirectory {
  private files = new Map<string, DialectFile>()
  private lastScan = Number.NEGATIVE_INFINITY

  constructor(
    readonly directory: string,
    private minIntervalMs = 10_000,
    private now: () => number = Date.now
  ) {}

  refresh(force = false) {
    if (!force && this.now() - this.lastScan < this.minIntervalMs) return
    this.lastScan = this.now()
    const next = new Map<string, DialectFile>()
    for (const path of listDialectFiles(this.directory)) {
      const file = readDialectFile(path, this.files.get(path))
      next.set(path, file)
    }
    this.files = next
  }

  /** All files, valid or not (for `dialect:validate` and admin screens). */
  all(): DialectFile[] {
    this.refresh()
    return [...this.files.values()]
  }

  /** Valid dialects by name; with duplicates the first file in path order wins. */
  byName(): Map<string, ParsedDialect> {
    const result = new Map<string, ParsedDialect>()
    for (const file of this.all()) {
      if (file.parsed && !result.has(file.name)) result.set(file.name, file.parsed)
    }
    return result
  }

  relativePath(file: DialectFile) {
    return relative(this.directory, file.path)
  }
}

/** Resolves a dialect against a lookup that prefers `extra` (stored dialects) over the files. */
export function resolveWith(
  name: string,
  files: Map<string, ParsedDialect>,
  extra: Map<string, ParsedDialect> = new Map()
): { ok: true; dialect: Dialect } | { ok: false; issues: DialectIssue[] } {
  return resolveDialect(name, (candidate) => extra.get(candidate) ?? files.get(candidate))
}
