// The bench measures only what succeeded: any reply of 300 or more stops the run, saying why.

/** `reply` ({status, text?|body?}) when it succeeded; otherwise throws naming `what`. */
export function expectSuccess(reply, what) {
  if (reply.status >= 300) {
    throw new Error(`${what}: status ${reply.status} ${String(reply.text ?? JSON.stringify(reply.body)).slice(0, 300)}`);
  }
  return reply;
}
