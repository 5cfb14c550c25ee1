/**
 * Replaces the account SID in an Exotel path with `{sid}`, so request lines, error messages and
 * metrics never carry it. Query strings are dropped: they are not needed to identify a request.
 */
export function maskAccountInPath(path: string): string {
  const withoutQuery = path.split('?')[0];
  return withoutQuery.replace(/\/(Accounts|accounts)\/[^/]+/, '/$1/{sid}');
}
