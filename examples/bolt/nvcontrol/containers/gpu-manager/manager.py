"""Reports GPUs through nvidia-smi over HTTP: /health and /gpus."""
import json
import subprocess
from http.server import BaseHTTPRequestHandler, HTTPServer


def gpus():
    out = subprocess.run(
        ["nvidia-smi", "--query-gpu=index,name,temperature.gpu,utilization.gpu,power.draw", "--format=csv,noheader"],
        capture_output=True, text=True, check=False,
    )
    return [dict(zip(["index", "name", "temp", "util", "power"], map(str.strip, line.split(",")))) for line in out.stdout.splitlines()]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = {"ok": True} if self.path == "/health" else gpus()
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(data)


HTTPServer(("0.0.0.0", 3000), Handler).serve_forever()
