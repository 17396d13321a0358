// The task API: an in-memory list of tasks over HTTP/JSON.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 8081);
const tasks = [];
let nextId = 1;

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/health') return send(res, 200, { ok: true, tasks: tasks.length });
  if (url.pathname === '/api/tasks' && req.method === 'GET') return send(res, 200, tasks);
  if (url.pathname === '/api/tasks' && req.method === 'POST') {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      let title = 'untitled';
      try {
        title = String(JSON.parse(body || '{}').title ?? title).slice(0, 200);
      } catch {
        return send(res, 400, { error: 'expected JSON: {"title": "..."}' });
      }
      const task = { id: nextId++, title, done: false, createdAt: new Date().toISOString() };
      tasks.push(task);
      console.log(`task ${task.id} added: ${task.title}`);
      send(res, 201, task);
    });
    return;
  }
  const done = /^\/api\/tasks\/(\d+)\/done$/.exec(url.pathname);
  if (done && req.method === 'POST') {
    const task = tasks.find((t) => t.id === Number(done[1]));
    if (!task) return send(res, 404, { error: 'no such task' });
    task.done = true;
    console.log(`task ${task.id} done`);
    return send(res, 200, task);
  }
  send(res, 404, { error: 'not found' });
});

server.listen(port, '127.0.0.1', () => console.log(`api listening on http://127.0.0.1:${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
