import type { DateTime } from 'luxon'

export interface PageMeta {
  total: number
  per_page: number
  current_page: number
  last_page: number
}

export type PageItem = { page: number; url: string; current: boolean } | { gap: true }

export interface PageLinks {
  total: number
  from: number
  to: number
  last: number
  prev: string | null
  next: string | null
  items: PageItem[]
}

/** `path?query` without empty values; keys in the order given. */
export function urlWith(path: string, query: Record<string, unknown>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    params.set(key, String(value))
  }
  const search = params.toString()
  return search ? `${path}?${search}` : path
}

/**
 * Links for the pagination component: first, last and two pages either side
 * of the current one, with gaps. The filters of the list are kept in every link.
 */
export function pageLinks(
  path: string,
  filters: Record<string, unknown>,
  meta: PageMeta
): PageLinks {
  const link = (page: number) => urlWith(path, { ...filters, page: page === 1 ? undefined : page })
  const current = meta.current_page
  const last = Math.max(meta.last_page, 1)
  const items: PageItem[] = []
  let previous = 0
  for (let page = 1; page <= last; page++) {
    if (page !== 1 && page !== last && Math.abs(page - current) > 2) continue
    if (page - previous > 1) items.push({ gap: true })
    items.push({ page, url: link(page), current: page === current })
    previous = page
  }
  const from = meta.total === 0 ? 0 : (current - 1) * meta.per_page + 1
  return {
    total: meta.total,
    from,
    to: Math.min(meta.total, current * meta.per_page),
    last,
    prev: current > 1 ? link(current - 1) : null,
    next: current < last ? link(current + 1) : null,
    items,
  }
}

/** Query-string values as submitted by a GET form, without the empty fields. */
export function withoutEmpty(query: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(query).filter(
      ([, value]) => value !== undefined && value !== null && String(value).trim() !== ''
    )
  )
}

/** Timestamps on admin screens: UTC, to the second, like the API. */
export function formatTimestamp(value: DateTime | null | undefined): string {
  return value ? value.toUTC().toFormat("yyyy-LL-dd HH:mm:ss 'UTC'") : '—'
}

export interface ChangeLine {
  field: string
  from: string | null
  to: string
}

const clip = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max)}…` : text)

/**
 * An audit entry's `{field: [old, new]}` as one compact JSON line per field
 * (values clipped; the page keeps the whole JSON in a title attribute).
 */
export function changeLines(changes: Record<string, unknown> | null | undefined): ChangeLine[] {
  return Object.entries(changes ?? {}).map(([field, value]) =>
    Array.isArray(value) && value.length === 2
      ? {
          field,
          from: clip(JSON.stringify(value[0]) ?? 'null'),
          to: clip(JSON.stringify(value[1]) ?? 'null'),
        }
      : { field, from: null, to: clip(JSON.stringify(value) ?? 'null') }
  )
}
