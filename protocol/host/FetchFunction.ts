/** The signature of `fetch` as runtimes and `@durable-streams/client` take it. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
