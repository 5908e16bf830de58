/**
 * The options of the entity pages' tables: dense rows, and paging only once there are more rows than one page
 * holds (a short list shows no pager).
 */
export function denseTableOptions(
  rows: number,
  pageSize: number,
  search: boolean,
) {
  return {
    paging: rows > pageSize,
    pageSize,
    search,
    padding: 'dense' as const,
  };
}
