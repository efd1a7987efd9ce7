/** The signature of `fetch`, as `@durable-streams/client` takes it. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
