"""A tiny training loop: enough to see the GPU work and checkpoints land in the volume."""
import argparse
import os

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=10)
args = parser.parse_args()

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"training on {device} ({torch.cuda.device_count()} GPUs visible)")
model = torch.nn.Linear(512, 10).to(device)
opt = torch.optim.AdamW(model.parameters())
for epoch in range(args.epochs):
    x = torch.randn(4096, 512, device=device)
    loss = model(x).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
    torch.save(model.state_dict(), os.path.join("/checkpoints", f"epoch-{epoch}.pt"))
