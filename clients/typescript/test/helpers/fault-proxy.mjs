// Fault injection between the client and the real gateway: a small HTTP proxy
// that forwards every request, except that scripted faults can drop a
// connection (before forwarding, or after the gateway answered, so the
// gateway has acted but the client never hears it), cut a long-poll short, or
// answer a status of its own (503, 429 with Retry-After) in the gateway's place.
import http from 'node:http';

export async function startFaultProxy(upstream) {
  const faults = [];
  const seen = [];
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const entry = { method: req.method, path: req.url, body: body.toString('utf8'), at: Date.now() };
    seen.push(entry);
    const i = faults.findIndex((f) => f.method === req.method && req.url.startsWith(f.path));
    const fault = i >= 0 ? faults[i] : undefined;
    if (fault && --fault.times === 0) faults.splice(i, 1);
    if (fault) entry.fault = fault.kind;

    if (fault?.kind === 'drop_before') return req.socket.destroy();
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'Content-Type': 'application/json', ...fault.headers });
      return res.end(JSON.stringify({ error: { code: fault.code ?? 'unavailable', message: 'injected by the test proxy' } }));
    }
    const upstreamReq = http.request(upstream + req.url, { method: req.method, headers: req.headers }, (up) => {
      const out = [];
      up.on('data', (c) => out.push(c));
      up.on('end', () => {
        if (fault?.kind === 'drop_after') return req.socket.destroy();
        res.writeHead(up.statusCode, up.headers);
        res.end(Buffer.concat(out));
      });
    });
    upstreamReq.on('error', () => req.socket.destroy());
    if (fault?.kind === 'cut_after_ms') {
      setTimeout(() => { upstreamReq.destroy(); req.socket.destroy(); }, fault.ms);
    }
    upstreamReq.end(body);
  });
  server.keepAliveTimeout = 1000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    seen,
    /** The next `times` requests matching method and path prefix get `fault`. */
    inject(method, path, fault, times = 1) {
      faults.push({ method, path, times, ...fault });
    },
    requests(method, pathPrefix) {
      return seen.filter((s) => s.method === method && s.path.startsWith(pathPrefix));
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
