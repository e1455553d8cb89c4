/**
 * A small schema walker over the `yaml` package's node tree, so that every problem is reported
 * with the line and column of the offending node and the dot path of its key (e.g.
 * `rooms.0.sls.method_name`). Framework-free; used by the dialect validator and the meeting
 * structure import.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
} from 'yaml'

export interface SchemaIssue {
  /** 1-based line of the node (or of the mapping that lacks a required key) */
  line: number
  column: number
  /** dot path of the key, '' for the document itself */
  key: string
  /** stable code, e.g. `unknown_key`, `required`, `type`, `unknown_role` */
  code: string
  message: string
}

export class Walker {
  readonly issues: SchemaIssue[] = []
  constructor(private lineCounter: LineCounter) {}

  position(node: Node | null | undefined, fallback?: Node | null) {
    const range = node?.range ?? fallback?.range
    if (!range) return { line: 1, column: 1 }
    const pos = this.lineCounter.linePos(range[0])
    return { line: pos.line, column: pos.col }
  }

  report(
    node: Node | null | undefined,
    key: string,
    code: string,
    message: string,
    fallback?: Node | null
  ) {
    this.issues.push({ ...this.position(node, fallback), key, code, message })
  }
}

/** A field validator: returns the plain value or `undefined` after reporting an issue. */
export type Field<T> = (walker: Walker, node: Node | null, path: string) => T | undefined

const join = (path: string, key: string | number) => (path === '' ? String(key) : `${path}.${key}`)

function scalarValue(node: Node | null): unknown {
  if (node === null) return null
  return isScalar(node) ? node.value : undefined
}

export function string(
  options: { max?: number; pattern?: RegExp; patternMessage?: string; allowEmpty?: boolean } = {}
): Field<string> {
  return (w, node, path) => {
    const value = scalarValue(node)
    // Numbers are accepted where text is expected (e.g. `title: 2026`), as YAML users expect.
    const text = typeof value === 'number' ? String(value) : value
    if (typeof text !== 'string') return void w.report(node, path, 'type', `${path} must be text`)
    if (!options.allowEmpty && text.trim() === '')
      return void w.report(node, path, 'invalid', `${path} must not be empty`)
    if (options.max !== undefined && text.length > options.max) {
      return void w.report(
        node,
        path,
        'invalid',
        `${path} must be at most ${options.max} characters`
      )
    }
    if (options.pattern && !options.pattern.test(text)) {
      return void w.report(
        node,
        path,
        'invalid',
        `${path} ${options.patternMessage ?? `must match ${options.pattern}`}`
      )
    }
    return text
  }
}

export function boolean(): Field<boolean> {
  return (w, node, path) => {
    const value = scalarValue(node)
    if (typeof value !== 'boolean')
      return void w.report(node, path, 'type', `${path} must be true or false`)
    return value
  }
}

export function integer(options: { min?: number; max?: number } = {}): Field<number> {
  return (w, node, path) => {
    const value = scalarValue(node)
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      return void w.report(node, path, 'type', `${path} must be a whole number`)
    }
    if (
      (options.min !== undefined && value < options.min) ||
      (options.max !== undefined && value > options.max)
    ) {
      return void w.report(
        node,
        path,
        'invalid',
        `${path} must be between ${options.min ?? '-∞'} and ${options.max ?? '∞'}`
      )
    }
    return value
  }
}

/** One of a registry's keys; `code` names the registry in the issue (e.g. `unknown_er_policy`). */
export function oneOf<T extends string>(
  values: readonly T[],
  code: string,
  what: string,
  map?: Record<string, T>
): Field<T> {
  return (w, node, path) => {
    const value = scalarValue(node)
    if (typeof value !== 'string') return void w.report(node, path, 'type', `${path} must be text`)
    const mapped = map?.[value] ?? value
    if (!values.includes(mapped as T)) {
      return void w.report(
        node,
        path,
        code,
        `${path}: unknown ${what} "${value}" (known: ${values.join(', ')})`
      )
    }
    return mapped as T
  }
}

export function nullable<T>(field: Field<T>): Field<T | null> {
  return (w, node, path) =>
    node === null || (isScalar(node) && node.value === null) ? null : field(w, node, path)
}

export function list<T>(
  item: Field<T>,
  options: { uniqueBy?: (value: T) => string; max?: number } = {}
): Field<T[]> {
  return (w, node, path) => {
    if (!isSeq(node)) return void w.report(node, path, 'type', `${path} must be a list`)
    if (options.max !== undefined && node.items.length > options.max) {
      return void w.report(node, path, 'invalid', `${path} may have at most ${options.max} entries`)
    }
    const result: T[] = []
    const seen = new Map<string, number>()
    let failed = false
    node.items.forEach((child, index) => {
      const value = item(w, child as Node, join(path, index))
      if (value === undefined) return void (failed = true)
      if (options.uniqueBy) {
        const id = options.uniqueBy(value)
        if (seen.has(id)) {
          w.report(
            child as Node,
            join(path, index),
            'duplicate',
            `${join(path, index)} repeats ${id} (entry ${seen.get(id)})`
          )
          failed = true
          return
        }
        seen.set(id, index)
      }
      result.push(value)
    })
    return failed ? undefined : result
  }
}

/** A mapping from string keys to values of one kind. */
export function dict<T>(value: Field<T>): Field<Record<string, T>> {
  return (w, node, path) => {
    if (node === null) return {}
    if (!isMap(node)) return void w.report(node, path, 'type', `${path} must be a mapping`)
    const result: Record<string, T> = {}
    let failed = false
    for (const pair of node.items) {
      const key = scalarValue(pair.key as Node)
      if (typeof key !== 'string') {
        w.report(pair.key as Node, path, 'type', `${path} keys must be text`)
        failed = true
        continue
      }
      const parsed = value(w, pair.value as Node, join(path, key))
      if (parsed === undefined) failed = true
      else result[key] = parsed
    }
    return failed ? undefined : result
  }
}

/** Any plain data (for settings validated elsewhere); aliases are refused by `parseYaml`. */
export function plain(): Field<unknown> {
  return (_w, node) => (node === null ? null : (node as any).toJSON())
}

export interface Property<T> {
  field: Field<T>
  required?: boolean
  default?: T
}

type Shape = Record<string, Property<any>>
type ShapeValue<S extends Shape> = { [K in keyof S]: S[K] extends Property<infer T> ? T : never }

/**
 * A mapping with known keys; unknown keys are rejected (domain §20.2). The result also says
 * which keys were written explicitly (needed to merge `requires`).
 */
export function object<S extends Shape>(shape: S): Field<ShapeValue<S> & { __explicit: string[] }> {
  return (w, node, path) => {
    if (!isMap(node))
      return void w.report(node, path, 'type', `${path || 'the document'} must be a mapping`)
    const result: Record<string, unknown> = {}
    const explicit: string[] = []
    let failed = false
    for (const pair of node.items) {
      const keyNode = pair.key as Node
      const key = scalarValue(keyNode)
      if (typeof key !== 'string' || !(key in shape)) {
        const name = String(key)
        w.report(
          keyNode,
          join(path, name),
          'unknown_key',
          `unknown key "${name}"${path ? ` in ${path}` : ''}`
        )
        failed = true
        continue
      }
      const parsed = shape[key].field(w, (pair.value as Node) ?? null, join(path, key))
      if (parsed === undefined) failed = true
      else {
        result[key] = parsed
        explicit.push(key)
      }
    }
    for (const [key, property] of Object.entries(shape)) {
      if (node.items.some((pair) => scalarValue(pair.key as Node) === key)) continue // present (maybe invalid)
      if (property.required) {
        w.report(node, join(path, key), 'required', `${join(path, key)} is required`)
        failed = true
      } else {
        result[key] = structuredClone(property.default)
      }
    }
    if (failed) return undefined
    // Not enumerable: nested values stay plain data (JSON, structuredClone, deep equality).
    Object.defineProperty(result, '__explicit', { value: explicit, enumerable: false })
    return result as ShapeValue<S> & { __explicit: string[] }
  }
}

export interface ParsedYaml {
  doc: Document | null
  walker: Walker
}

/**
 * Parses YAML into a node tree. Syntax errors, duplicate keys and (when `allowAliases` is false)
 * anchors and aliases are reported with their line; the caller walks `doc.contents`.
 */
export function parseYaml(source: string, options: { allowAliases?: boolean } = {}): ParsedYaml {
  const lineCounter = new LineCounter()
  const walker = new Walker(lineCounter)
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true })
  for (const error of doc.errors) {
    const pos = lineCounter.linePos(error.pos[0])
    const code = error.code === 'DUPLICATE_KEY' ? 'duplicate_key' : 'yaml_syntax'
    walker.issues.push({
      line: pos.line,
      column: pos.col,
      key: '',
      code,
      message: error.message.split('\n')[0],
    })
  }
  if (doc.errors.length) return { doc: null, walker }
  if (!options.allowAliases) {
    const visit = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return
      if (isAlias(node)) {
        walker.report(node as Node, path, 'alias_forbidden', 'YAML aliases are not allowed')
        return
      }
      if ((node as { anchor?: string }).anchor) {
        walker.report(node as Node, path, 'alias_forbidden', 'YAML anchors are not allowed')
      }
      if (isMap(node)) {
        for (const pair of node.items)
          visit(pair.value, join(path, String(scalarValue(pair.key as Node))))
      } else if (isSeq(node)) {
        node.items.forEach((item, index) => visit(item, join(path, index)))
      }
    }
    visit(doc.contents, '')
    if (walker.issues.length) return { doc: null, walker }
  }
  return { doc, walker }
}
