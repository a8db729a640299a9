"""What a machine is, in words for the card: the CPU that measured latency, the device a run trained on."""

from __future__ import annotations

import os
import platform
import subprocess

import torch


def cpu_description() -> str:
    try:
        cpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        name = next((line.split(":", 1)[1].strip() for line in cpu.splitlines() if line.startswith("Model name")), "")
    except OSError:
        name = ""
    return f"{name or platform.processor() or 'CPU'} ({os.cpu_count()} cores, CPU only, PyTorch)"


def training_device(device: str) -> str:
    """Where a run trains (images/s mean little without it): the GPU's name, or the CPU's."""
    if device.startswith("cuda"):
        return f"{torch.cuda.get_device_name(torch.device(device))} (CUDA), {torch.get_num_threads()} CPU threads"
    return cpu_description()
