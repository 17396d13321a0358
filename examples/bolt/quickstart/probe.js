// Healthcheck probe: exits 0 when the URL answers 2xx within two seconds.
const url = process.argv[2];
const timer = setTimeout(() => process.exit(1), 2000);
fetch(url)
  .then((r) => process.exit(r.ok ? 0 : 1))
  .catch(() => process.exit(1))
  .finally(() => clearTimeout(timer));
