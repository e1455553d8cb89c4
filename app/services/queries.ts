export interface PageParams {
  page?: number
  per_page?: number
}

export const DEFAULT_PER_PAGE = 100

/** Lists as `{data, meta}` (api.md §5): page is 1-based, per_page default 100, maximum 500 (validators). */
interface Paginatable<Row> {
  paginate(
    page: number,
    perPage: number
  ): Promise<{
    all(): Row[]
    total: number
    perPage: number
    currentPage: number
    lastPage: number
  }>
}

export async function paginate<Row>(query: Paginatable<Row>, params: PageParams) {
  const page = params.page ?? 1
  const perPage = params.per_page ?? DEFAULT_PER_PAGE
  const result = await query.paginate(page, perPage)
  return {
    rows: result.all(),
    meta: {
      total: result.total,
      per_page: result.perPage,
      current_page: result.currentPage,
      last_page: result.lastPage,
    },
  }
}

/** Case-insensitive search over userid, names and email (api.md §5). */
export function searchUsers<Q extends { where: (...args: any[]) => Q }>(
  query: Q,
  search: string
): Q {
  const pattern = `%${search.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`
  return query.where((any: any) => {
    for (const column of ['userid', 'first_name', 'last_name', 'email']) {
      any.orWhereRaw(`lower(${column}) like ? escape '\\'`, [pattern])
    }
  })
}
