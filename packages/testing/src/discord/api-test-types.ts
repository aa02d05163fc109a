/**
 * JSON replies in the stand-in's own tests take many shapes and are checked
 * with `toMatchObject`/`toEqual`, so they are read untyped on purpose.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type ApiJson = any;

export type ApiResponse = Omit<Response, 'json'> & { json(): Promise<ApiJson> };

/** `fetch` whose `json()` is untyped, for assertions on Discord-shaped replies. */
export function fetchApi(url: string, init?: RequestInit): Promise<ApiResponse> {
  return fetch(url, init);
}
