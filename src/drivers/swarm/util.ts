// Small helpers of the Swarm driver: the status code of an engine's answer.

export function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number }).statusCode;
}
