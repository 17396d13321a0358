// The worker: every couple of seconds it takes the oldest open task and completes it.
const api = process.env.API_URL ?? 'http://127.0.0.1:8081';

async function tick() {
  try {
    const tasks = await (await fetch(`${api}/api/tasks`)).json();
    const open = tasks.find((t) => !t.done);
    if (open) {
      await fetch(`${api}/api/tasks/${open.id}/done`, { method: 'POST' });
      console.log(`worker completed task ${open.id}: ${open.title}`);
    }
  } catch (err) {
    console.error(`worker: api not reachable (${err.message})`);
  }
}

console.log(`worker polling ${api}`);
const timer = setInterval(tick, 2000);
process.on('SIGTERM', () => {
  clearInterval(timer);
  process.exit(0);
});
